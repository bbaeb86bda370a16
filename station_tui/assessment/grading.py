"""Ranks and grades of a period's results (RULES §3, grades).

Stations are ranked by total, then transaction volume, then code. Grades
follow ``grading.mode``:

- ``threshold``: by score alone (≥ 95, ≥ 80, ≥ 60; each boundary belongs to
  the higher band); the shares are shown for comparison only.
- ``caps`` (default): as threshold, but 优秀 and 良好 hold at most
  floor(stations × share); the lower-ranked stations above a cap fall to
  the next band. Nobody falls into 不合格 by a cap.
- ``forced``: every band is filled by rank to floor(stations × share),
  不合格 taking the bottom share and 合格 the rest.

Stations tied on score and volume are never split by a cap or a forced
boundary: with ``tie_at_cap = "out"`` the whole tied group stays out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from station_tui.assessment.result import BandShare, round_points
from station_tui.assessment.rules import Band, Rules


@dataclass
class Entry:
    code: str
    total: Decimal
    volume_fen: int
    rank: int = 0
    grade: str = ""
    note: str = ""


def rank(entries: list[Entry]) -> list[Entry]:
    ordered = sorted(entries, key=lambda e: (-e.total, -e.volume_fen, e.code))
    for position, entry in enumerate(ordered, start=1):
        entry.rank = position
    return ordered


def _by_score(total: Decimal, bands: tuple[Band, ...]) -> int:
    for index, band in enumerate(bands):
        if total >= band.min:
            return index
    return len(bands) - 1


def _tied(a: Entry, b: Entry) -> bool:
    return a.total == b.total and a.volume_fen == b.volume_fen


def _fit(group: list[Entry], cap: int, keep_ties: bool) -> int:
    """How many of ``group`` (in rank order) a cap of ``cap`` lets in."""
    if cap >= len(group):
        return len(group)
    taken = cap
    if cap > 0 and _tied(group[cap - 1], group[cap]):
        if keep_ties:
            while taken < len(group) and _tied(group[taken - 1], group[taken]):
                taken += 1
        else:
            while taken > 0 and _tied(group[taken - 1], group[taken]):
                taken -= 1
    return taken


def grade(entries: list[Entry], rules: Rules) -> list[Entry]:
    """Rank ``entries`` and give each a band code; returns them in rank order."""
    bands = rules.bands
    mode = rules.setting("grading", "mode")
    keep_ties = rules.setting("grading", "tie_at_cap") == "in"
    ordered = rank(entries)
    n = len(ordered)
    caps = [math.floor(n * b.share) for b in bands]

    if mode == "forced":
        start = 0
        fail_n = _fit(list(reversed(ordered)), caps[-1], keep_ties)
        top = ordered[: n - fail_n]
        for index in range(len(bands) - 2):
            taken = _fit(top[start:], caps[index], keep_ties)
            for e in top[start:start + taken]:
                e.grade = bands[index].code
            start += taken
        for e in top[start:]:
            e.grade = bands[-2].code
        for e in ordered[n - fail_n:]:
            e.grade = bands[-1].code
        return ordered

    for e in ordered:
        e.grade = bands[_by_score(e.total, bands)].code
    if mode == "threshold":
        return ordered
    # caps: only the bands above the last two are capped (优秀, 良好); those
    # who do not fit fall one band and compete there.
    for index in range(len(bands) - 2):
        group = [e for e in ordered if e.grade == bands[index].code]
        taken = _fit(group, caps[index], keep_ties)
        for e in group[taken:]:
            e.grade = bands[index + 1].code
            e.note = (f"得分达{bands[index].label}线，但{bands[index].label}名额"
                      f"（{caps[index]}）已满，按排名列为{bands[index + 1].label}")
    return ordered


def distribution(entries: list[Entry], rules: Rules) -> list[BandShare]:
    n = len(entries)
    out = []
    for band in rules.bands:
        count = sum(1 for e in entries if e.grade == band.code)
        actual = round_points(Decimal(count) / n, 4) if n else Decimal(0)
        out.append(BandShare(band.code, band.label, count, actual, band.share))
    return out


def label(rules: Rules, code: str | None) -> str:
    for band in rules.bands:
        if band.code == code:
            return band.label
    return ""
