"""Items 1, 2, 3, 10 and 12: the inspectors' on-site rounds.

A period's score for an item is the mean of its rounds in the period, or
the latest round (setting ``onsite.aggregate``). Rounds are few (a handful
per station and year), so they are read whole: each one is a line of the
breakdown.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from station_tui.assessment.context import Context
from station_tui.assessment.result import ItemScore, Line, centi, round_points
from station_tui.domain.scoring import ONSITE_ITEMS, ONSITE_PARTS
from station_tui.records.center import OnsiteRound


def _round_text(r: OnsiteRound) -> str:
    parts = ONSITE_PARTS[r.item]
    values = (r.part_a, r.part_b, r.part_c)[: len(parts)]
    shown = "，".join(
        f"{name} {round_points(centi(v))}/{cap}"
        for (name, cap, _), v in zip(parts, values)
    )
    if r.equipment_down:
        shown = "设备损毁报修或维修不及时导致运行不正常，本项不得分"
    note = f"（{r.note}）" if r.note else ""
    return f"{r.day} {r.inspector} 现场评分 {round_points(centi(r.score))}：{shown}{note}"


def score_onsite(ctx: Context) -> dict[str, dict[int, ItemScore]]:
    rounds = (
        OnsiteRound.select()
        .where(OnsiteRound.voided_at.is_null(), ctx.day_range(OnsiteRound.day),
               ctx.scoped(OnsiteRound.station))
        .order_by(OnsiteRound.station, OnsiteRound.item, OnsiteRound.day,
                  OnsiteRound.entered_at)
    )
    by_key: dict[tuple[str, int], list[OnsiteRound]] = defaultdict(list)
    for r in rounds:
        by_key[(r.station, r.item)].append(r)

    latest = ctx.rules.setting("onsite", "aggregate") == "latest"
    out: dict[str, dict[int, ItemScore]] = {}
    for code in ctx.stations:
        items: dict[int, ItemScore] = {}
        for item in ONSITE_ITEMS:
            found = by_key.get((code, item), [])
            if not found:
                items[item] = ItemScore(item, round_points(0), [Line(
                    "本期没有现场评分记录，本项暂计 0 分", round_points(0))])
                continue
            used = found[-1:] if latest else found
            exact = sum((centi(r.score) for r in used), Fraction(0)) / len(used)
            lines = [Line(_round_text(r), round_points(centi(r.score)), [str(r.uuid)])
                     for r in used]
            how = "取最近一轮" if latest else f"{len(used)} 轮平均"
            score = round_points(exact)
            lines.append(Line(f"{how}：{score}", score))
            items[item] = ItemScore(item, score, lines)
        out[code] = items
    return out
