"""A printable handover list to sign: one HTML page and one plain-text file.

The HTML is self-contained (inline style, no script, no external file), so
it opens and prints the same from a USB stick on any PC. Phones are masked.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from station_tui.domain import clock
from station_tui.domain.carriers import CARRIERS
from station_tui.domain.money import format_fen
from station_tui.domain.phone import mask
from station_tui.operations.handovers import parcels_of
from station_tui.operations.parcel_common import load
from station_tui.operations.station import require_profile
from station_tui.records import Handover, ParcelIn, ParcelOut


@dataclass(frozen=True)
class PrintFiles:
    html: Path
    text: Path


def prints_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("station-tui", appauthor=False) / "prints"


def _rows(handover: Handover) -> tuple[list[str], list[list[str]], list[str]]:
    """Column heads, one row per parcel, and the summary lines."""
    parcels = parcels_of(handover)
    if handover.direction == "in":
        heads = ["序号", "快递单号", "快递公司", "收件人", "手机", "到站破损"]
        rows = [
            [str(i), p.tracking_no, CARRIERS.get(p.carrier, p.carrier),
             p.recipient_name or "", mask(p.recipient_phone),
             "是" if p.damaged_on_arrival else ""]
            for i, p in enumerate(parcels, 1)
            if isinstance(p, ParcelIn)
        ]
        damaged = sum(1 for p in parcels if getattr(p, "damaged_on_arrival", False))
        summary = [f"共 {len(rows)} 件", f"其中到站破损 {damaged} 件"]
    else:
        heads = ["序号", "快递单号", "快递公司", "寄件人", "手机", "寄往", "重量(kg)"]
        rows = [
            [str(i), p.tracking_no or "", CARRIERS.get(p.carrier, p.carrier),
             p.sender_name or "", mask(p.sender_phone), p.destination_region,
             f"{p.weight_g / 1000:.3f}".rstrip("0").rstrip(".")]
            for i, p in enumerate(parcels, 1)
            if isinstance(p, ParcelOut)
        ]
        grams = sum(getattr(p, "weight_g", 0) for p in parcels)
        fees = sum(getattr(p, "fee_fen", 0) for p in parcels)
        summary = [f"共 {len(rows)} 件", f"总重 {grams / 1000:g} 公斤",
                   f"运费合计 {format_fen(fees)} 元"]
    return heads, rows, summary


def _header(handover: Handover) -> tuple[str, list[tuple[str, str]]]:
    station = require_profile()
    way = "收件（快递员交给本站）" if handover.direction == "in" else "寄件（本站交给快递员）"
    signed = (clock.format_time(handover.signed_at) if handover.signed_at
              else "未签字")
    title = f"快递交接清单 · {way}"
    facts = [
        ("站点", f"{station.name}（{station.code}） {station.town}{station.village}"),
        ("快递公司", CARRIERS.get(handover.carrier, handover.carrier)),
        ("快递员", handover.courier_name),
        ("签收人", handover.signer or ""),
        ("签字时间", signed),
        ("清单编号", handover.uuid.hex[:12]),
    ]
    return title, facts


def render_text(handover: Handover) -> str:
    title, facts = _header(handover)
    heads, rows, summary = _rows(handover)
    lines = [title, ""]
    lines += [f"{k}：{v}" for k, v in facts]
    lines += ["", "\t".join(heads)]
    lines += ["\t".join(row) for row in rows]
    lines += ["", "；".join(summary), ""]
    lines += ["快递员签字：________________    日期：____________",
              "站点签字：__________________    日期：____________", ""]
    return "\n".join(lines)


_STYLE = """
body { font-family: "SimSun", "Songti SC", serif; margin: 2em; }
h1 { font-size: 1.4em; text-align: center; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border: 1px solid #000; padding: 0.25em 0.5em; font-size: 0.95em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; }
dt { font-weight: bold; }
.sign { display: flex; justify-content: space-between; margin-top: 3em; }
.sign span { display: inline-block; min-width: 12em; border-bottom: 1px solid #000; }
@media print { body { margin: 1cm; } }
"""


def render_html(handover: Handover) -> str:
    esc = html.escape
    title, facts = _header(handover)
    heads, rows, summary = _rows(handover)
    facts_html = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    head_html = "".join(f"<th>{esc(h)}</th>" for h in heads)
    body_html = "".join(
        "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>{_STYLE}</style></head><body>
<h1>{esc(title)}</h1>
<dl>{facts_html}</dl>
<table><thead><tr>{head_html}</tr></thead><tbody>{body_html}</tbody></table>
<p>{esc("；".join(summary))}</p>
<div class="sign"><div>快递员签字：<span></span></div><div>日期：<span></span></div></div>
<div class="sign"><div>站点签字：<span></span></div><div>日期：<span></span></div></div>
</body></html>
"""


def write_print(handover: Handover | str, directory: Path | None = None) -> PrintFiles:
    """Write the list as ``.html`` and ``.txt`` under the prints folder."""
    found = load(Handover, handover, label="交接清单")
    folder = directory or prints_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.format_time(found.happened_at, "%Y%m%d-%H%M")
    stem = f"交接清单-{found.direction}-{stamp}-{found.uuid.hex[:8]}"
    html_path = folder / f"{stem}.html"
    text_path = folder / f"{stem}.txt"
    html_path.write_text(render_html(found), encoding="utf-8")
    # BOM so Notepad on a Chinese Windows PC does not guess GBK.
    text_path.write_text(render_text(found), encoding="utf-8-sig")
    return PrintFiles(html=html_path, text=text_path)
