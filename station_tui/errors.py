"""The package's exception tree.

StationError
 ├── InputError          a person's input is wrong; carries the field and a
 │   │                   Chinese message to show beside it
 │   └── InputErrors     several fields are wrong at once; one InputError each
 ├── RuleError           the input is well formed but a rule forbids it
 │                       (a third rest day, a report changed after locking)
 ├── DuplicateError      the thing already exists (a parcel scanned twice)
 ├── NotFoundError       no record matches (a pickup code nobody holds)
 └── StorageError        the database cannot be opened or upgraded
"""

from __future__ import annotations

from typing import Sequence


class StationError(Exception):
    """Base of every error this package raises on purpose."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InputError(StationError):
    """A value typed or received is malformed."""


class InputErrors(InputError):
    """Several typed values are wrong; a form marks every one at once.

    Message and field are the first error's, for callers that show one.
    """

    def __init__(self, errors: Sequence[InputError]) -> None:
        super().__init__(errors[0].message, field=errors[0].field)
        self.errors = list(errors)


def raise_all(errors: Sequence[InputError]) -> None:
    """Raise the errors collected by a check: one as itself, more together."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InputErrors(errors)


class RuleError(StationError):
    """A well-formed request that the station rules forbid."""


class DuplicateError(StationError):
    """The record already exists."""


class NotFoundError(StationError):
    """No record matches the request."""


class StorageError(StationError):
    """The database cannot be opened, checked or upgraded."""
