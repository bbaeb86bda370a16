"""Items 4 and 5 and the inspection deductions: from what the center
records (attendance, campaign entries, inspections). Only the rows that
cost points are read; each becomes a line naming its record."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from station_tui.assessment.context import Context
from station_tui.assessment.result import ItemScore, Line, round_points
from station_tui.records.center import (
    Attendance,
    Campaign,
    CampaignEntry,
    Inspection,
    TrainingSession,
)


def score_training(ctx: Context) -> dict[str, ItemScore]:
    """Item 4: 5 − leaves − 2 × absences − 0.5 × lates − early leaves; two
    failed tests score 0; an absence is not also a failed test."""
    rules = ctx.rules
    costs = {
        "leave": rules.number("training", "leave"),
        "absent": rules.number("training", "absence"),
        "late": rules.number("training", "late"),
        "left_early": rules.number("training", "early_leave"),
        "fail": rules.number("training", "failed_test"),
    }
    labels = {"leave": "请假", "absent": "旷课", "late": "迟到",
              "left_early": "无故早退", "fail": "测试不合格"}
    rows = (
        Attendance.select(Attendance.uuid, Attendance.station, Attendance.presence,
                          Attendance.late, Attendance.left_early, Attendance.test,
                          TrainingSession.title, TrainingSession.day)
        .join(TrainingSession, on=(Attendance.session == TrainingSession.uuid))
        .where(Attendance.voided_at.is_null(), TrainingSession.voided_at.is_null(),
               ctx.day_range(TrainingSession.day), ctx.scoped(Attendance.station),
               (Attendance.presence != "present") | Attendance.late
               | Attendance.left_early | (Attendance.test == "fail"))
        .order_by(TrainingSession.day)
        .dicts()
    )
    faults: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for row in rows:
        kinds = []
        if row["presence"] in ("leave", "absent"):
            kinds.append(row["presence"])
        if row["late"]:
            kinds.append("late")
        if row["left_early"]:
            kinds.append("left_early")
        if row["test"] == "fail" and row["presence"] == "present":
            kinds.append("fail")
        faults[row["station"]].extend((k, row) for k in kinds)

    full = rules.number("training", "max")
    zero_at = int(rules.number("training", "failed_tests_zero"))
    out = {}
    for code in ctx.stations:
        lines = [Line("满分", full)]
        score = full
        for kind, row in faults.get(code, []):
            cost = costs[kind]
            lines.append(Line(f"{row['day']} “{row['title']}” {labels[kind]}",
                              -cost, [str(row["uuid"])]))
            score -= cost
        failed = [row for kind, row in faults.get(code, []) if kind == "fail"]
        if len(failed) >= zero_at:
            lines.append(Line(f"测试不合格 {len(failed)} 次（达 {zero_at} 次），本项不得分",
                              -max(score, Decimal(0)),
                              [str(r["uuid"]) for r in failed]))
            score = Decimal(0)
        out[code] = _floored(4, score, lines)
    return out


def score_campaigns(ctx: Context) -> dict[str, ItemScore]:
    """Item 5: 5 − 2 × campaigns the station was expected at and missed."""
    cost = ctx.rules.number("campaigns", "missed")
    full = ctx.rules.number("campaigns", "max")
    rows = (
        CampaignEntry.select(CampaignEntry.uuid, CampaignEntry.station,
                             Campaign.title, Campaign.end_day)
        .join(Campaign, on=(CampaignEntry.campaign == Campaign.uuid))
        .where(CampaignEntry.voided_at.is_null(), Campaign.voided_at.is_null(),
               ctx.day_range(Campaign.end_day), ctx.scoped(CampaignEntry.station),
               ~CampaignEntry.took_part)
        .order_by(Campaign.end_day)
        .dicts()
    )
    missed: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        missed[row["station"]].append(row)
    out = {}
    for code in ctx.stations:
        lines = [Line("满分", full)]
        for row in missed.get(code, []):
            lines.append(Line(f"未全程参与营销活动“{row['title']}”（{row['end_day']} 结束）",
                              -cost, [str(row["uuid"])]))
        score = full - cost * len(missed.get(code, []))
        out[code] = _floored(5, score, lines)
    return out


def inspection_deductions(ctx: Context) -> dict[str, list[Line]]:
    """Deductions from the total, per inspection at which they are found."""
    rules = ctx.rules
    rows = (
        Inspection.select()
        .where(Inspection.voided_at.is_null(), ctx.day_range(Inspection.day),
               ctx.scoped(Inspection.station))
        .order_by(Inspection.day)
    )
    out: dict[str, list[Line]] = defaultdict(list)
    for row in rows:
        ref = [str(row.uuid)]
        note = f"（{row.note}）" if row.note else ""
        if row.kind == "public_report":
            out[row.station].append(Line(
                f"{row.day} 群众举报经核实{note}",
                -rules.number("inspections", "public_report"), ref))
        elif row.kind == "criticism":
            out[row.station].append(Line(
                f"{row.day} 受到县级以上领导批评或媒体曝光{note}",
                -rules.number("inspections", "criticism"), ref))
        else:
            if row.refused:
                out[row.station].append(Line(
                    f"{row.day} {row.inspector} 督查：不配合日常督查{note}",
                    -rules.number("inspections", "refused"), ref))
            if row.poor_work:
                out[row.station].append(Line(
                    f"{row.day} {row.inspector} 督查：发现各项工作较差{note}",
                    -rules.number("inspections", "poor_work"), ref))
    return out


def _floored(item: int, score: Decimal, lines: list[Line]) -> ItemScore:
    if score < 0:
        lines.append(Line("扣分超过本项分值，本项最低 0 分", -score))
        score = Decimal(0)
    return ItemScore(item, round_points(score), lines)
