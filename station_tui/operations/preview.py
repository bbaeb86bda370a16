"""The station's own assessment "if the period ended today" (RULES §3).

The station PC runs the center's engine on its own database: its ledger,
the center records pulled to it, and the rules text the center sent down
(or the shipped default before the first sync). A day is counted once it
is over, so the preview runs up to yesterday: today's orders and today's
daily report count from tomorrow.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from peewee import fn

from station_tui.assessment.context import StationInfo
from station_tui.assessment.engine import preview
from station_tui.assessment.result import StationResult
from station_tui.assessment.rules import Rules, load_rules, parse_rules
from station_tui.domain import clock
from station_tui.domain.periods import Period, parse_period
from station_tui.domain.scoring import ONSITE_ITEMS
from station_tui.errors import InputError
from station_tui.operations.station import get_setting, require_profile
from station_tui.records import (
    DailyReport,
    OpenSpell,
    ParcelIn,
    ParcelOut,
    PurchaseOrder,
    SaleOrder,
    ServiceRecord,
    StationProfile,
    SyncRound,
    database_proxy,
)
from station_tui.records.center import (
    AssessmentSnapshot,
    CenterStation,
    ClockFlag,
)
from station_tui.storage.db import write_txn

log = logging.getLogger(__name__)

Choice = Literal["year", "H1", "H2"]

#: The period selector: choice → Chinese label.
CHOICES: dict[Choice, str] = {"year": "本年", "H1": "上半年", "H2": "下半年"}

#: ``created_by`` of the station's description of itself in ``center_station``;
#: a row with any other value came from the center and is trusted as is.
SELF_DESCRIBED = "本机站点档案"

#: Settings the sync pull keeps (sync/client/pull.py); read here without
#: importing the sync client, which would load the HTTP stack.
RULES_TEXT = "rules_text"
RULES_VERSION = "rules_version"
PULL_SINCE = "pull_since"

#: How the engine's breakdown says an on-site item has no round yet.
NO_ROUND = "没有现场评分记录"

#: Items that only center records can score, and what they wait for.
CENTER_ITEMS = (
    ("第 1、2、3、10、12 项", "中心的现场评分，暂计 0 分"),
    ("第 4 项", "中心的培训考勤，暂按满分"),
    ("第 5 项", "中心的营销活动记录，暂按满分"),
    ("第 9、11 项的投诉", "中心登记的投诉，暂按没有投诉"),
    ("督查扣分", "中心的督查记录，暂按没有扣分"),
)

#: Ledger tables whose first day tells since when this station has worked.
_FIRST_DAY_TABLES = (OpenSpell, PurchaseOrder, SaleOrder, ParcelIn, ParcelOut,
                     ServiceRecord, DailyReport)


@dataclass(frozen=True)
class CenterResult:
    """The latest assessment result the center sent down."""

    period: str
    total: str
    rank: int | None
    grade: str
    computed_at: int


@dataclass
class StationPreview:
    """One period's preview and what it was computed from."""

    choice: Choice
    period: Period
    today: date
    #: The last day counted; None when the period has not begun.
    counted_until: date | None
    result: StationResult | None
    #: The band the total reaches by score alone (no caps, no other stations).
    grade_by_score: str
    #: Whether the center grades this kind of period (only the year).
    graded: bool
    rules_label: str
    rules_from_center: bool
    #: When center records last came down (a good sync round); None: never.
    last_pull_at: int | None
    #: Chinese lines naming the items still waiting for center records.
    waiting_for_center: list[str] = field(default_factory=list)
    center_result: CenterResult | None = None


def period_for(choice: Choice, today: date) -> Period:
    return parse_period(str(today.year) if choice == "year"
                        else f"{today.year}{choice}")


def current_half(today: date) -> Choice:
    return "H1" if today.month <= 6 else "H2"


def preview_rules() -> tuple[Rules, bool]:
    """The rules the center sent down, else the shipped default.

    A pulled text that no longer parses is logged and replaced by the
    default, so that the preview still shows something.
    """
    text = get_setting(RULES_TEXT)
    if text:
        version = get_setting(RULES_VERSION) or ""
        try:
            return parse_rules(text.encode("utf-8"), f"中心规则 {version}"), True
        except InputError as exc:
            log.warning("pulled rules %s do not parse: %s", version, exc.message)
    return load_rules(), False


def _first_record_day(code: str) -> date | None:
    days = []
    for model in _FIRST_DAY_TABLES:
        first = (model.select(fn.MIN(model.happened_day))
                 .where(model.station == code).scalar())
        if first is not None:
            days.append(first if isinstance(first, date)
                        else date.fromisoformat(str(first)))
    return min(days, default=None)


def station_info(me: StationProfile) -> StationInfo:
    """This station as the engine needs it.

    A ``center_station`` row the center sent is used as it is; otherwise
    the station is active since its profile was made or since its first
    record, whichever is earlier (a PC rebuilt with ``restore`` has a new
    profile but the old records).
    """
    row = CenterStation.get_or_none(CenterStation.code == me.code)
    if row is not None and row.created_by != SELF_DESCRIBED:
        return StationInfo(row.code, row.name, row.town, row.level, row.status,
                           _as_date(row.active_from),
                           _as_date(row.active_until) if row.active_until else None)
    since = clock.local_date(me.created_at)
    first = _first_record_day(me.code)
    if first is not None:
        since = min(since, first)
    return StationInfo(me.code, me.name, me.town, "village", "active", since, None)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def ensure_engine_tables() -> None:
    """Create the center tables the engine joins that a station never pulls.

    The engine joins ``center_station`` to learn each station's active days
    (item 6) and reads clock flags, which stay on the server; on a station
    PC they hold only this station's description of itself, and nothing.
    """
    missing = [m for m in (CenterStation, ClockFlag) if not m.table_exists()]
    if missing:
        with write_txn():
            database_proxy.obj.create_tables(missing, safe=True)


def describe_self(me: StationProfile, info: StationInfo) -> None:
    """Write or refresh this station's own ``center_station`` row, unless
    the center's row is there; written only when it changed."""
    row = CenterStation.get_or_none(CenterStation.code == me.code)
    wanted = {"name": info.name, "town": info.town, "village": me.village,
              "active_from": info.active_from}
    if row is not None and (row.created_by != SELF_DESCRIBED or all(
            _same(getattr(row, k), v) for k, v in wanted.items())):
        return
    with write_txn():
        CenterStation.insert(
            code=me.code, created_at=clock.now(), created_by=SELF_DESCRIBED,
            **wanted,
        ).on_conflict(conflict_target=[CenterStation.code],
                      update=wanted).execute()


def _same(stored: object, wanted: object) -> bool:
    if isinstance(wanted, date):
        return stored is not None and _as_date(stored) == wanted  # type: ignore[arg-type]
    return stored == wanted


def last_pull_at() -> int | None:
    """When the last good sync round finished, or None if there was none."""
    row = (SyncRound.select(SyncRound.finished_at)
           .where(SyncRound.ok == True)  # noqa: E712 (peewee expression)
           .order_by(SyncRound.finished_at.desc()).first())
    if row is not None:
        return row.finished_at
    # ``restore`` pulls without a sync round; it leaves the pull mark.
    return 0 if get_setting(PULL_SINCE) else None


def latest_center_result(code: str, rules: Rules) -> CenterResult | None:
    """The newest assessment snapshot the center sent for this station."""
    row = (AssessmentSnapshot.select()
           .where(AssessmentSnapshot.station == code,
                  AssessmentSnapshot.voided_at.is_null())
           .order_by(AssessmentSnapshot.computed_at.desc()).first())
    if row is None:
        return None
    try:
        data = json.loads(row.result)
    except ValueError:
        log.warning("assessment snapshot %s is not JSON", row.uuid)
        return None
    return CenterResult(
        period=row.period, total=str(data.get("total", "")), rank=data.get("rank"),
        grade=_band_label(rules, data.get("grade")), computed_at=row.computed_at)


def _band_label(rules: Rules, code: str | None) -> str:
    return next((b.label for b in rules.bands if b.code == code), "")


def grade_by_score(total: Decimal, rules: Rules) -> str:
    """The band a total reaches by its score alone; boundaries go up."""
    for band in rules.bands:
        if total >= band.min:
            return band.label
    return rules.bands[-1].label


def waiting_lines(result: StationResult | None, pulled_at: int | None) -> list[str]:
    """Which items depend on center records this PC has not received."""
    if pulled_at is None:
        return ["本机还没有从中心收到过记录（还没有同步过）。下面这些要等中心记录："
                ] + [f"{items}：{why}" for items, why in CENTER_ITEMS]
    if result is None:
        return []
    unscored = [str(n) for n in ONSITE_ITEMS
                if any(NO_ROUND in line.text for line in result.items[n].lines)]
    if not unscored:
        return []
    return [f"第 {'、'.join(unscored)} 项本期还没有收到中心的现场评分，暂计 0 分"]


def build_preview(choice: Choice, today: date | None = None) -> StationPreview:
    """The preview of one period of this year, counted up to yesterday."""
    today = today or clock.local_date(clock.now())
    me = require_profile()
    ensure_engine_tables()
    info = station_info(me)
    describe_self(me, info)
    rules, from_center = preview_rules()
    period = period_for(choice, today)
    started = today > period.start
    result = preview(info, period, today, rules).stations[0] if started else None
    pulled = last_pull_at()
    return StationPreview(
        choice=choice, period=period, today=today,
        counted_until=(min(today, period.end) - timedelta(days=1)) if started else None,
        result=result,
        grade_by_score=grade_by_score(result.total, rules) if result else "",
        graded=period.kind in rules.setting("grading", "graded_kinds"),
        rules_label=(f"中心下发的规则 {rules.version}（{rules.hash}）" if from_center
                     else f"程序自带的默认规则（{rules.hash}）"),
        rules_from_center=from_center, last_pull_at=pulled,
        waiting_for_center=waiting_lines(result, pulled),
        center_result=latest_center_result(me.code, rules),
    )


def current_previews(today: date | None = None) -> list[StationPreview]:
    """The current half-year and the current year, as of ``today``."""
    today = today or clock.local_date(clock.now())
    return [build_preview(current_half(today), today), build_preview("year", today)]

