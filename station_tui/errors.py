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

FieldChecks runs a form's field checks and raises every InputError at once.
"""

from __future__ import annotations

from typing import Callable, ParamSpec, Sequence, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


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


def each_error(error: StationError) -> list[StationError]:
    """The errors ``error`` stands for: its InputErrors' errors, or itself."""
    return list(error.errors) if isinstance(error, InputErrors) else [error]


def raise_all(errors: Sequence[InputError]) -> None:
    """Raise the errors collected by a check: one as itself, more together."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InputErrors(errors)


class FieldChecks:
    """Runs a form's field checks one after another and keeps every error.

    A check that fails does not stop the next, so the form can mark every
    wrong field at once; ``raise_all`` then raises what was kept, before
    anything is written. One error is kept per field: the first, since
    that is what the person must fix first.
    """

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def take(self, check: Callable[P, T], /, *args: P.args,
             **kwargs: P.kwargs) -> T | None:
        """``check``'s value, or None when it raised InputError (kept)."""
        try:
            return check(*args, **kwargs)
        except InputError as error:
            self.add(error)
            return None

    def add(self, error: InputError) -> None:
        """Keep an error (each of several), unless its field has one already."""
        for each in error.errors if isinstance(error, InputErrors) else [error]:
            if each.field is None or self.passed(each.field):
                self.errors.append(each)

    def passed(self, *fields: str) -> bool:
        """No error was kept for any of ``fields``: a rule on them may run."""
        return not any(e.field in fields for e in self.errors)

    def raise_all(self) -> None:
        raise_all(self.errors)


class RuleError(StationError):
    """A well-formed request that the station rules forbid."""


class DuplicateError(StationError):
    """The record already exists."""


class NotFoundError(StationError):
    """No record matches the request."""


class StorageError(StationError):
    """The database cannot be opened, checked or upgraded."""
