"""What every item needs to know about the period being assessed: its
days, the stations active in it, their active spans, prorated targets."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from peewee import Expression, Field

from station_tui.assessment.rules import Rules
from station_tui.domain import clock
from station_tui.domain.periods import Period
from station_tui.records.center import CenterStation


@dataclass(frozen=True)
class StationInfo:
    code: str
    name: str
    town: str
    level: str
    status: str
    active_from: date
    active_until: date | None


class Context:
    """A period, cut at ``as_of`` (exclusive) for a preview, and its stations.

    ``only`` limits every query to one station (the station app's preview
    and the detailed trace of one station's points).
    """

    def __init__(self, period: Period, rules: Rules, *, as_of: date | None = None,
                 only: str | None = None, info: StationInfo | None = None) -> None:
        self.period = period
        self.rules = rules
        self.start = period.start
        self.end = period.end if as_of is None else max(
            period.start, min(period.end, as_of))
        self.only = only
        self.start_instant = clock.day_start(self.start)
        self.end_instant = clock.day_start(self.end)
        if info is not None:
            # A station PC has no registry: it describes itself.
            self.only = info.code
            self.stations = {info.code: info}
            return
        query = CenterStation.select().where(
            CenterStation.active_from < self.end,
            CenterStation.active_until.is_null()
            | (CenterStation.active_until >= self.start),
        )
        if only is not None:
            query = query.where(CenterStation.code == only)
        self.stations: dict[str, StationInfo] = {
            s.code: StationInfo(s.code, s.name, s.town, s.level, s.status,
                                _as_date(s.active_from),
                                _as_date(s.active_until) if s.active_until else None)
            for s in query.order_by(CenterStation.code)
        }

    def scoped(self, field: Field) -> Expression | bool:
        """A condition keeping rows of the station in scope (all, or one)."""
        return True if self.only is None else (field == self.only)

    def day_range(self, field: Field) -> Expression:
        return (field >= self.start) & (field < self.end)

    def span(self, code: str) -> tuple[date, date]:
        """The station's active days in the period: [first, end)."""
        info = self.stations[code]
        first = max(self.start, info.active_from)
        end = self.end
        if info.active_until is not None:
            end = min(end, info.active_until + timedelta(days=1))
        return first, max(first, end)

    def active_days(self, code: str) -> int:
        first, end = self.span(code)
        return (end - first).days

    def active_at_end(self, code: str) -> bool:
        """Active on the last day of the (cut) period: ranked and graded."""
        info = self.stations[code]
        last = self.end - timedelta(days=1)
        return info.active_until is None or info.active_until >= last

    def target(self, annual: int, code: str) -> int:
        """The period's order target: the period's share of the annual one,
        prorated by active days and rounded up to a whole order."""
        share = self.rules.period_share(self.period.kind)
        if share is None:
            year_days = (date(self.start.year + 1, 1, 1)
                         - date(self.start.year, 1, 1)).days
            share = Fraction(self.period.days, year_days)
        exact = annual * share * Fraction(self.active_days(code), self.period.days)
        return math.ceil(exact)


def _as_date(value: date | str) -> date:
    """SQLite hands dates back as ISO text when read through a join."""
    return value if isinstance(value, date) else date.fromisoformat(value)
