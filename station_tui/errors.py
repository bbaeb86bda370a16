"""The package's exception tree.

StationError
 ├── InputError          a person's input is wrong; carries the field and a
 │                       Chinese message to show beside it
 ├── RuleError           the input is well formed but a rule forbids it
 │                       (a third rest day, a report changed after locking)
 ├── DuplicateError      the thing already exists (a parcel scanned twice)
 ├── NotFoundError       no record matches (a pickup code nobody holds)
 └── StorageError        the database cannot be opened or upgraded
"""

from __future__ import annotations


class StationError(Exception):
    """Base of every error this package raises on purpose."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InputError(StationError):
    """A value typed or received is malformed."""


class RuleError(StationError):
    """A well-formed request that the station rules forbid."""


class DuplicateError(StationError):
    """The record already exists."""


class NotFoundError(StationError):
    """No record matches the request."""


class StorageError(StationError):
    """The database cannot be opened, checked or upgraded."""
