"""What the engine returns: item scores with a breakdown, station results,
and the whole assessment of a period."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

#: The twelve items: number → (Chinese name, maximum).
ITEMS: dict[int, tuple[str, int]] = {
    1: ("设施设备使用维护", 10),
    2: ("营业场所卫生保洁", 5),
    3: ("政策宣传创业服务", 5),
    4: ("参加培训学习活动", 5),
    5: ("参与各种营销活动", 5),
    6: ("统计数据上报情况", 15),
    7: ("提供网络代购服务", 10),
    8: ("提供网络代销服务", 10),
    9: ("提供快递代办服务", 10),
    10: ("提供便民综合服务情况", 10),
    11: ("快递包裹保管情况", 10),
    12: ("快递专区功能划分", 5),
}


def round_points(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Half-up to ``places`` decimals, from an exact value."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    quantum = Decimal(1).scaleb(-places)
    return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def centi(value: int) -> Fraction:
    """Centi-points stored in the database, as an exact number of points."""
    return Fraction(value, 100)


@dataclass
class Line:
    """One step of an item's score: points earned (+) or lost (−), why,
    and the records behind it (UUIDs, or days for daily reports)."""

    text: str
    points: Decimal
    refs: list[str] = field(default_factory=list)


@dataclass
class ItemScore:
    number: int
    score: Decimal
    lines: list[Line] = field(default_factory=list)

    @property
    def name(self) -> str:
        return ITEMS[self.number][0]

    @property
    def max(self) -> int:
        return ITEMS[self.number][1]


@dataclass
class StationResult:
    code: str
    name: str
    town: str
    items: dict[int, ItemScore]
    deductions: Decimal
    deduction_lines: list[Line]
    total: Decimal
    volume_fen: int
    #: Target orders for the period after prorating: (purchase, sale).
    targets: tuple[int, int]
    active_days: int
    rank: int | None = None
    grade: str | None = None
    grade_note: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class BandShare:
    code: str
    label: str
    count: int
    actual: Decimal
    expected: Decimal


@dataclass
class Assessment:
    period: str
    start: date
    end: date
    as_of: date
    rules: dict[str, str]
    grading_mode: str | None
    stations: list[StationResult]
    distribution: list[BandShare]
    computed_at: int
    extras: dict[str, Any] = field(default_factory=dict)
    #: Said before the results: a period still running, reports still due.
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
