"""Center staff's records, validated and stamped with who entered them.

Every entry point (HTTP API, command line, JSON/CSV import) goes through
``enter(kind, values, staff=…)``: values are checked (the station exists
and was active that day, dates not in the future, score caps, all-or-
nothing parts), then written in one transaction with the staff account's
name. A wrong value raises InputError naming the field and the value; a
request the rules forbid raises RuleError.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from peewee import Model

from station_tui.domain import clock
from station_tui.domain.periods import parse_period
from station_tui.domain.scoring import ONSITE_PARTS
from station_tui.errors import InputError, NotFoundError, RuleError
from station_tui.operations import standing
from station_tui.records import database_proxy
from station_tui.records.center import (
    Attendance,
    Campaign,
    CampaignEntry,
    CenterRecord,
    CenterStation,
    ClockFlag,
    Complaint,
    Holiday,
    Inspection,
    OnsiteRound,
    Partner,
    PartnerEvent,
    Rectification,
    ReportRequest,
    ScoreOverride,
    Termination,
    TrainingSession,
)

Values = dict[str, Any]


def _text(values: Values, key: str, label: str, *, required: bool = True) -> str:
    raw = values.get(key)
    text = "" if raw is None else str(raw).strip()
    if required and not text:
        raise InputError(f"请填写{label}", field=key)
    return text


def _day(values: Values, key: str, label: str = "日期") -> date:
    raw = values.get(key)
    if isinstance(raw, date):
        day = raw
    else:
        try:
            day = date.fromisoformat(str(raw).strip())
        except ValueError:
            raise InputError(f"{label}“{raw}”格式不对，应为 2026-04-01",
                             field=key) from None
    if day > clock.local_date(clock.now()):
        raise InputError(f"{label}“{day}”在今天之后", field=key)
    return day


def _choice(values: Values, key: str, options: tuple[str, ...], label: str) -> str:
    raw = str(values.get(key, "")).strip()
    if raw not in options:
        raise InputError(f"{label}“{raw}”无效，可选：{'、'.join(options)}", field=key)
    return raw


def _flag(values: Values, key: str) -> bool:
    raw = values.get(key, False)
    if isinstance(raw, str):
        return raw.strip().lower() in ("1", "true", "yes", "y", "是")
    return bool(raw)


def _points(values: Values, key: str, cap: int, label: str,
            all_or_nothing: bool = False) -> int:
    """A score typed in points (≤ 2 decimals), returned in centi-points."""
    raw = values.get(key, 0)
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise InputError(f"{label}“{raw}”不是数字", field=key) from None
    if value != value.quantize(Decimal("0.01")):
        raise InputError(f"{label}“{raw}”超过两位小数", field=key)
    if all_or_nothing and value not in (0, cap):
        raise InputError(f"{label}只能得 0 分或 {cap} 分，不能是“{raw}”", field=key)
    if not 0 <= value <= cap:
        raise InputError(f"{label}“{raw}”超出 0–{cap} 分", field=key)
    return int(value * 100)


def _station(values: Values, day: date | None = None) -> str:
    code = _text(values, "station", "站点编码")
    found = CenterStation.get_or_none(CenterStation.code == code)
    if found is None:
        raise NotFoundError(f"站点“{code}”不存在", field="station")
    if day is not None:
        first = _as_date(found.active_from)
        last = _as_date(found.active_until) if found.active_until else None
        if day < first or (last is not None and day > last):
            raise InputError(f"站点“{code}”在 {day} 不在服务期内（{first} 起）",
                             field="station")
    return code


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _get(model: type[Model], values: Values, key: str, label: str) -> Any:
    raw = _text(values, key, label)
    try:
        found = model.get_or_none(model.uuid == uuid.UUID(raw))
    except ValueError:
        found = None
    if found is None or found.voided_at is not None:
        raise NotFoundError(f"{label}“{raw}”不存在", field=key)
    return found


# --- one validator per kind: values → (model, fields) -----------------------

def _holiday(v: Values) -> tuple[type[Model], Values]:
    raw = v.get("day")
    try:
        day = date.fromisoformat(str(raw))
    except ValueError:
        raise InputError(f"日期“{raw}”格式不对", field="day") from None
    return Holiday, dict(station=None, day=day, name=_text(v, "name", "节日名称"))


def _inspection(v: Values) -> tuple[type[Model], Values]:
    day = _day(v, "day")
    kind = _choice(v, "kind", ("visit", "public_report", "criticism"), "类型") \
        if v.get("kind") else "visit"
    refused, poor = _flag(v, "refused"), _flag(v, "poor_work")
    if kind != "visit" and (refused or poor):
        raise InputError("不配合、工作较差只用于督查记录", field="kind")
    return Inspection, dict(station=_station(v, day), day=day, kind=kind,
                            inspector=_text(v, "inspector", "检查人员"),
                            refused=refused, poor_work=poor,
                            note=_text(v, "note", "说明", required=kind != "visit"))


def _onsite(v: Values) -> tuple[type[Model], Values]:
    day = _day(v, "day")
    try:
        item = int(v.get("item", 0))
    except (TypeError, ValueError):
        item = 0
    if item not in ONSITE_PARTS:
        raise InputError(f"现场评分项目“{v.get('item')}”无效，可选 1、2、3、10、12",
                         field="item")
    parts = []
    for key, (name, cap, whole) in zip(("part_a", "part_b", "part_c"),
                                       ONSITE_PARTS[item]):
        parts.append(_points(v, key, cap, name, whole))
    down = _flag(v, "equipment_down")
    if down and item != 1:
        raise InputError("“设备损毁未及时报修”只用于第 1 项", field="equipment_down")
    padded = parts + [0] * (3 - len(parts))
    photos = v.get("photos", "")
    if isinstance(photos, list):
        photos = ",".join(str(p) for p in photos)
    return OnsiteRound, dict(
        station=_station(v, day), item=item, day=day,
        inspector=_text(v, "inspector", "检查人员"), part_a=padded[0],
        part_b=padded[1], part_c=padded[2], equipment_down=down,
        score=0 if down else sum(parts), note=_text(v, "note", "说明", required=False),
        photos=str(photos))


def _training(v: Values) -> tuple[type[Model], Values]:
    return TrainingSession, dict(station=None, title=_text(v, "title", "培训名称"),
                                 day=_day(v, "day"), has_test=_flag(v, "has_test")
                                 if "has_test" in v else True)


def _attendance(v: Values) -> tuple[type[Model], Values]:
    session = _get(TrainingSession, v, "session", "培训")
    presence = _choice(v, "presence", ("present", "leave", "absent"), "出勤")
    test = v.get("test") or None
    if test is not None:
        test = _choice(v, "test", ("pass", "fail"), "测试结果")
    late, early = _flag(v, "late"), _flag(v, "left_early")
    if presence != "present" and (test or late or early):
        raise InputError("请假或旷课的站点没有测试结果，也不记迟到、早退", field="presence")
    if presence == "present" and session.has_test and test is None:
        raise InputError("这次培训有现场测试，请填写测试结果", field="test")
    code = _station(v, _as_date(session.day))
    if Attendance.select().where(Attendance.session == session.uuid,
                                 Attendance.station == code,
                                 Attendance.voided_at.is_null()).exists():
        raise RuleError(f"站点“{code}”这次培训已有出勤记录")
    return Attendance, dict(station=code, session=session.uuid, presence=presence,
                            late=late, left_early=early, test=test)


def _campaign(v: Values) -> tuple[type[Model], Values]:
    start, end = _day(v, "start_day", "开始日期"), _day(v, "end_day", "结束日期")
    if end < start:
        raise InputError(f"结束日期 {end} 早于开始日期 {start}", field="end_day")
    return Campaign, dict(station=None, title=_text(v, "title", "活动名称"),
                          start_day=start, end_day=end)


def _campaign_entry(v: Values) -> tuple[type[Model], Values]:
    campaign = _get(Campaign, v, "campaign", "营销活动")
    code = _station(v, _as_date(campaign.end_day))
    return CampaignEntry, dict(station=code, campaign=campaign.uuid,
                               took_part=_flag(v, "took_part"))


def _complaint(v: Values) -> tuple[type[Model], Values]:
    day = _day(v, "day")
    return Complaint, dict(
        station=_station(v, day), day=day,
        kind=_choice(v, "kind", ("service", "damage_loss"), "投诉类型"),
        attributed=_flag(v, "attributed") if "attributed" in v else True,
        tracking_no=_text(v, "tracking_no", "单号", required=False),
        note=_text(v, "note", "投诉内容"))


def _override(v: Values) -> tuple[type[Model], Values]:
    period = parse_period(_text(v, "period", "考核期间"))
    return ScoreOverride, dict(
        station=_station(v), period=period.name,
        part=_choice(v, "part", ("purchase_ledger", "sale_ledger", "parcel_handover"),
                     "评分部分"),
        score=_points(v, "score", 5, "分数"), reason=_text(v, "reason", "改分理由"))


def _report_request(v: Values) -> tuple[type[Model], Values]:
    raw = _text(v, "deadline", "截止时间")
    deadline = clock.parse_local(raw, field="deadline")
    station = _station(v) if v.get("station") else None
    return ReportRequest, dict(station=station, title=_text(v, "title", "报表名称"),
                               description=_text(v, "description", "说明",
                                                 required=False),
                               deadline_at=deadline)


def _rectification(v: Values) -> tuple[type[Model], Values]:
    issued = _day(v, "issued_day", "下达日期")
    raw = v.get("deadline_day")
    try:
        deadline = date.fromisoformat(str(raw))
    except ValueError:
        raise InputError(f"整改期限“{raw}”格式不对", field="deadline_day") from None
    if deadline <= issued:
        raise InputError(f"整改期限 {deadline} 应晚于下达日期 {issued}",
                         field="deadline_day")
    return Rectification, dict(station=_station(v, issued),
                               failed_period=parse_period(_text(
                                   v, "failed_period", "不合格的考核期间")).name,
                               issued_day=issued, deadline_day=deadline,
                               note=_text(v, "note", "说明", required=False))


def _termination(v: Values) -> tuple[type[Model], Values]:
    checklist = v.get("checklist", [])
    if isinstance(checklist, str):
        checklist = [c.strip() for c in checklist.split(",") if c.strip()]
    return Termination, dict(
        station=_station(v), day=_day(v, "day"),
        ground=_choice(v, "ground", ("rectification_failed", "last_place",
                                     "bad_credit", "agreement", "misconduct"), "清退原因"),
        decision=_choice(v, "decision", ("executed", "exempted"), "处理结果"),
        reason=_text(v, "reason", "理由"),
        checklist=json.dumps(list(checklist), ensure_ascii=False),
        permanent=_flag(v, "permanent"))


def _partner(v: Values) -> tuple[type[Model], Values]:
    from station_tui.domain.phone import normalize_mobile

    return Partner, dict(station=_station(v) if v.get("station") else None,
                         name=_text(v, "name", "姓名"),
                         phone=normalize_mobile(str(v.get("phone", "")), field="phone"))


#: candidacy steps in order; each needs the one before it passed
CANDIDACY = ("training", "written_test", "computer_test", "interview", "signed")
LATER = ("warned", "rectifying", "reinstated", "upgraded", "terminated")
STATUS_AFTER = {"signed": "active", "warned": "warned", "rectifying": "rectifying",
                "reinstated": "active", "upgraded": "active",
                "terminated": "terminated"}


def _partner_event(v: Values) -> tuple[type[Model], Values]:
    partner = _get(Partner, v, "partner", "合伙人")
    step = _choice(v, "step", CANDIDACY + LATER, "环节")
    outcome = _choice(v, "outcome", ("pass", "fail", "done"), "结果") \
        if v.get("outcome") else "done"
    passed = {e.step for e in PartnerEvent.select().where(
        PartnerEvent.partner == partner.uuid, PartnerEvent.voided_at.is_null(),
        PartnerEvent.outcome.in_(("pass", "done")))}
    if step in CANDIDACY:
        if partner.status != "candidate":
            raise RuleError(f"{partner.name}已不是候选人（{partner.status}）")
        banned = Partner.select().where(Partner.phone == partner.phone,
                                        Partner.banned).exists()
        if step == "signed" and banned:
            raise RuleError(f"{partner.name}曾被永久终止合作，不能再签约")
        need = CANDIDACY[:CANDIDACY.index(step)]
        if step == "interview":
            need = ("written_test", "computer_test")
        missing = [s for s in need if s not in passed]
        if missing:
            raise RuleError(f"{partner.name}尚未通过：{'、'.join(missing)}")
    elif partner.status not in ("active", "warned", "rectifying"):
        raise RuleError(f"{partner.name}目前不在合作期（{partner.status}）")
    level = v.get("level")
    if step == "upgraded" and not level:
        raise InputError("升级请填写新的等级", field="level")
    return PartnerEvent, dict(station=partner.station, partner=partner.uuid, step=step,
                              outcome=outcome, day=_day(v, "day"),
                              reason=_text(v, "reason", "原因",
                                           required=step in LATER),
                              level=int(level) if level else None,
                              permanent=_flag(v, "permanent"))


#: Records that change a station's standing (CenterStation.status).
STANDING_RECORDS = (PartnerEvent, Rectification, Termination)


VALIDATORS: dict[str, Callable[[Values], tuple[type[Model], Values]]] = {
    "holiday": _holiday, "inspection": _inspection, "onsite": _onsite,
    "training": _training, "attendance": _attendance, "campaign": _campaign,
    "campaign_entry": _campaign_entry, "complaint": _complaint,
    "override": _override, "report_request": _report_request,
    "rectification": _rectification, "termination": _termination,
    "partner": _partner, "partner_event": _partner_event,
}


def _stamp(model: type[Model], fields: Values, staff: str) -> CenterRecord:
    at = clock.now()
    return model.create(uuid=uuid.uuid4(), version=1, entered_by=staff,
                        entered_at=at, updated_at=at, **fields)


def _after_partner_event(event: PartnerEvent) -> None:
    partner = Partner.get(Partner.uuid == event.partner)
    if event.outcome == "fail":
        partner.status = "rejected"
    elif event.step in STATUS_AFTER:
        partner.status = STATUS_AFTER[event.step]
    if event.step == "upgraded" and event.level:
        partner.level = event.level
    if event.step == "terminated" and event.permanent:
        partner.banned = True
    partner.version += 1
    partner.updated_at = clock.now()
    partner.save()


def enter(kind: str, values: Values, *, staff: str) -> CenterRecord:
    """Validate and save one center record of ``kind``, stamped by ``staff``."""
    if kind not in VALIDATORS:
        raise InputError(f"记录类型“{kind}”无效，可选：{'、'.join(VALIDATORS)}",
                         field="kind")
    if not staff:
        raise InputError("缺少录入人员账号", field="staff")
    with database_proxy.obj.atomic():
        model, fields = VALIDATORS[kind](values)
        record = _stamp(model, fields, staff)
        if isinstance(record, PartnerEvent):
            _after_partner_event(record)
        if isinstance(record, STANDING_RECORDS):
            standing.refresh(record.station)
    return record


def enter_many(kind: str, rows: list[Values], *, staff: str) -> int:
    """Bulk entry: all rows or none; an error names the row number."""
    with database_proxy.obj.atomic():
        for number, values in enumerate(rows, start=1):
            try:
                enter(kind, values, staff=staff)
            except (InputError, RuleError, NotFoundError) as exc:
                raise type(exc)(f"第 {number} 行：{exc.message}", field=exc.field) from None
    return len(rows)


def accept_clock_flag(flag_id: str, *, staff: str, note: str) -> ClockFlag:
    """An inspector accepts a report from a batch flagged for clock skew."""
    flag = _get(ClockFlag, {"flag": flag_id}, "flag", "时钟异常记录")
    if not note.strip():
        raise InputError("请填写认可的理由", field="note")
    with database_proxy.obj.atomic():
        flag.accepted_by = staff
        flag.accepted_at = clock.now()
        flag.accept_note = note.strip()
        flag.version += 1
        flag.updated_at = flag.accepted_at
        flag.save()
    return flag


def void(kind: str, record_id: str, *, staff: str, reason: str) -> CenterRecord:
    """Void a center record with a reason; nothing is deleted."""
    if kind not in _MODELS:
        raise InputError(f"记录类型“{kind}”无效", field="kind")
    record = _get(_MODELS[kind], {"id": record_id}, "id", "记录")
    if not reason.strip():
        raise InputError("作废必须填写原因", field="reason")
    with database_proxy.obj.atomic():
        record.voided_at = clock.now()
        record.void_reason = f"{reason.strip()}（{staff}）"
        record.version += 1
        record.updated_at = record.voided_at
        record.save()
        if isinstance(record, STANDING_RECORDS):
            standing.refresh(record.station)
    return record


_MODELS: dict[str, type[Model]] = {
    "holiday": Holiday, "inspection": Inspection, "onsite": OnsiteRound,
    "training": TrainingSession, "attendance": Attendance, "campaign": Campaign,
    "campaign_entry": CampaignEntry, "complaint": Complaint,
    "override": ScoreOverride, "report_request": ReportRequest,
    "rectification": Rectification, "termination": Termination,
    "partner": Partner, "partner_event": PartnerEvent,
}
