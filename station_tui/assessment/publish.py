"""Exports of an assessment: the public notice (公示) as CSV (UTF-8 with
BOM), XLSX or one self-contained HTML page, and the fuller annual report
for the leading group's office (every item, the grade distribution, the
stations to rectify or terminate, quarterly volumes).

The public notice carries station, township, score, grade and rank only;
the engine's results hold no phone number or villager's name at all.
"""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Any

from station_tui.assessment.result import ITEMS, Assessment, StationResult
from station_tui.assessment.rules import load_rules
from station_tui.domain.money import format_fen

GRADE_LABELS = {b.code: b.label for b in load_rules().bands}
PUBLIC_HEADER = ["排名", "站点", "乡镇", "得分", "等级"]


def _grade(r: StationResult) -> str:
    return GRADE_LABELS.get(r.grade or "", "")


def public_rows(a: Assessment) -> list[list[str]]:
    return [[str(r.rank or ""), r.name, r.town, str(r.total), _grade(r)]
            for r in a.stations]


def full_header() -> list[str]:
    return (["排名", "站点编码", "站点", "乡镇"]
            + [f"{n}.{name}({m})" for n, (name, m) in ITEMS.items()]
            + ["督查扣分", "总分", "等级", "交易额(元)", "说明"])


def full_rows(a: Assessment) -> list[list[str]]:
    return [[str(r.rank or ""), r.code, r.name, r.town]
            + [str(r.items[n].score) for n in ITEMS]
            + [str(r.deductions), str(r.total), _grade(r), format_fen(r.volume_fen),
               "；".join(filter(None, [r.grade_note, *r.warnings]))]
            for r in a.stations]


def to_csv(a: Assessment, full: bool = False) -> bytes:
    """UTF-8 with BOM so that Excel on Chinese Windows opens it right (C07)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(full_header() if full else PUBLIC_HEADER)
    writer.writerows(full_rows(a) if full else public_rows(a))
    return buffer.getvalue().encode("utf-8-sig")


def to_json(a: Assessment) -> bytes:
    return json.dumps(a.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")


def _title(a: Assessment, full: bool) -> str:
    kind = "年度综合考评结果" if len(a.period) == 4 else "考核结果"
    return f"{a.period} 电商服务站点{kind}{'（报领导组办公室）' if full else '公示'}"


def _notes(a: Assessment) -> list[str]:
    """The assessment's warnings as shown above its results."""
    return [f"注意：{w}" for w in a.warnings]


def to_xlsx(a: Assessment, full: bool = False) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "公示" if not full else "各站得分"
    sheet.append(["　".join([_title(a, full), *_notes(a)])])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(full_header() if full else PUBLIC_HEADER)
    for row in full_rows(a) if full else public_rows(a):
        sheet.append(row)
    sheet.freeze_panes = "A3"
    for column, width in zip("ABCDE", (6, 22, 12, 8, 8)):
        sheet.column_dimensions[column].width = width
    for title, rows in _report_tables(a, full):
        extra = book.create_sheet(title)
        for row in rows:
            extra.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _report_tables(a: Assessment, full: bool) -> list[tuple[str, list[list[str]]]]:
    tables = []
    if a.distribution:
        tables.append(("等级分布", [["等级", "站点数", "实际比例", "规定比例"]] + [
            [b.label, str(b.count), f"{b.actual * 100:.1f}%", f"{b.expected * 100:.0f}%"]
            for b in a.distribution]))
    if not full:
        return tables
    quarters = a.extras.get("quarters", [])
    if quarters:
        names = [q["name"] for q in quarters]
        by_station: dict[str, dict[str, Any]] = {}
        for q in quarters:
            for row in q["rows"]:
                by_station.setdefault(row["station"], {})[q["name"]] = row
        rows = [["站点编码"] + [f"{n} 交易额(元)" for n in names] + ["末位"]]
        for code, cells in sorted(by_station.items()):
            rows.append([code] + [format_fen(cells[n]["volume_fen"]) if n in cells
                                  else "" for n in names]
                        + ["、".join(n for n in names if cells.get(n, {}).get("last"))])
        tables.append(("季度交易额", rows))
    rectify = [["站点编码", "站点", "乡镇", "总分", "处理"]] + [
        [r.code, r.name, r.town, str(r.total), "责令整改"]
        for r in a.stations if r.grade == "fail"]
    for item in a.extras.get("to_disqualify", []):
        if not item["passed"]:
            rectify.append([item["station"], "", "", item["total"],
                            f"整改期 {item['period']} 仍不合格，拟取消资格"
                            f"（{item['decision'] or '待中心决定'}）"])
    for item in a.extras.get("to_terminate", []):
        rectify.append([item["station"], "", "", "",
                        f"连续 {item['quarters']} 个季度交易额末位，拟清退"
                        f"（{item['decision'] or '待中心决定'}）"])
    tables.append(("整改与清退", rectify))
    return tables


_CSS = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;
margin:2em auto;max-width:1100px;color:#222}
h1{font-size:1.5em;text-align:center}
.warning{border:2px solid #b00;background:#fee;padding:.6em;font-weight:bold}
h2{font-size:1.15em;margin-top:2em}
p.meta{text-align:center;color:#666}
table{border-collapse:collapse;width:100%;margin:1em 0;font-size:.92em}
th,td{border:1px solid #bbb;padding:.35em .5em;text-align:center}
th{background:#f0f3f7}tr:nth-child(even) td{background:#fafafa}
td.g-excellent{color:#0a7d2c;font-weight:bold}td.g-fail{color:#b00020;font-weight:bold}
body.full{max-width:none;margin:1em}body.full td{white-space:nowrap}
body.full th{font-size:.8em;font-weight:normal;min-width:3.2em}
"""


def _table(header: list[str], rows: list[list[str]], grade_col: int | None = None,
           codes: list[str] | None = None) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = []
    for n, row in enumerate(rows):
        cells = []
        for i, value in enumerate(row):
            cls = f' class="g-{codes[n]}"' if codes and i == grade_col else ""
            cells.append(f"<td{cls}>{html.escape(value)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def to_html(a: Assessment, full: bool = False) -> bytes:
    """One self-contained page: inline style, no scripts, no external files."""
    codes = [r.grade or "" for r in a.stations]
    if full:
        main = _table(full_header(), full_rows(a), len(ITEMS) + 6, codes)
    else:
        main = _table(PUBLIC_HEADER, public_rows(a), 4, codes)
    parts = [f"<h1>{html.escape(_title(a, full))}</h1>",
             f"<p class=meta>考核期间 {a.start} 至 {a.end}（不含）；规则："
             f"{html.escape(a.rules['name'])} {html.escape(a.rules['version'])}"
             f"（{a.rules['hash']}）</p>",
             *(f"<p class=warning>{html.escape(n)}</p>" for n in _notes(a)), main]
    for title, rows in _report_tables(a, full):
        parts.append(f"<h2>{html.escape(title)}</h2>{_table(rows[0], rows[1:])}")
    page = ("<!DOCTYPE html><html lang=zh-CN><head><meta charset=utf-8>"
            f"<meta name=viewport content='width=device-width'>"
            f"<title>{html.escape(_title(a, full))}</title><style>{_CSS}</style>"
            f"</head><body class={'full' if full else 'public'}>{''.join(parts)}"
            "</body></html>")
    return page.encode("utf-8")


def render_table(a: Assessment, limit: int | None = None) -> str:
    """The terminal table: rank, station, items, deductions, total, grade."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=_title(a, False), show_lines=False)
    for h in ["名次", "编码", "站点", "乡镇"] + [str(n) for n in ITEMS] + [
            "扣分", "总分", "等级"]:
        table.add_column(h, justify="right" if h.isdigit() or h in ("扣分", "总分")
                         else "left", no_wrap=True)
    for row in full_rows(a)[:limit]:
        table.add_row(*row[:-2])
    console = Console(record=True, width=200, file=io.StringIO())
    for note in _notes(a):
        console.print(note, markup=False)
    console.print(table)
    if a.distribution:
        console.print("等级分布：" + "，".join(
            f"{b.label} {b.count} 站（{b.actual * 100:.1f}%，规定 {b.expected * 100:.0f}%）"
            for b in a.distribution))
    return console.export_text()


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "html": to_html}

