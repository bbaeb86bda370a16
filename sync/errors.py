"""The sync exception tree.

SyncError                 base; ``message`` is Chinese, for the partner
 ├── NotConfigured        no center address or token on this PC
 ├── ServerUnreachable    connect errors, timeouts, 429 and 5xx after retries
 ├── AuthRefused          401/403: token wrong, revoked or for another station
 ├── ClientTooOld         the server no longer accepts this wire version
 ├── BadReply             a reply that is not the center's JSON (proxy, portal)
 └── ServerRefused        any other refusal (a malformed batch, 4xx)
"""

from __future__ import annotations

from station_tui.errors import StationError


class SyncError(StationError):
    """A sync round could not complete."""


class NotConfigured(SyncError):
    """The center address or token is missing."""


class ServerUnreachable(SyncError):
    """The center did not answer usefully, even after retries."""


class AuthRefused(SyncError):
    """The center refused the token."""


class ClientTooOld(SyncError):
    """The center asks this client to upgrade."""


class BadReply(SyncError):
    """The reply was not what the center sends: HTML, another shape, a redirect."""


class ServerRefused(SyncError):
    """The center refused the request for another reason."""
