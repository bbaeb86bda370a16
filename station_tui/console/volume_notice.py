"""The quarterly volume ranking as a public notice: CSV (UTF-8 with BOM),
XLSX or one self-contained HTML page, built from an assessment's quarters.

It carries quarter, rank, station, township, volume and the last-place
mark: no partner's or villager's name or phone.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Iterator

from station_tui.domain.money import format_fen
from station_tui.exports.writers import Column, write_table

COLUMNS = [Column("quarter", "季度"), Column("rank", "排名"),
           Column("name", "站点"), Column("town", "乡镇"),
           Column("volume", "交易额(元)"), Column("last", "末位")]


def rows(assessment: dict[str, Any]) -> Iterator[dict[str, str]]:
    names = {r["code"]: (r["name"], r["town"]) for r in assessment["stations"]}
    for quarter in assessment.get("extras", {}).get("quarters", []):
        for row in quarter["rows"]:
            name, town = names.get(row["station"], (row["station"], ""))
            yield {"quarter": quarter["name"] + ("" if quarter["published"]
                                                 else "（未公布）"),
                   "rank": str(row["rank"] or "不参与排名"), "name": name,
                   "town": town, "volume": format_fen(row["volume_fen"]),
                   "last": "末位" if row["last"] else ""}


def title(assessment: dict[str, Any]) -> str:
    return f"{assessment['period']} 电商服务站点季度交易额排名公示"


def to_html(assessment: dict[str, Any]) -> bytes:
    head = "".join(f"<th>{html.escape(c.header)}</th>" for c in COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(row[c.key])}</td>" for c in COLUMNS)
        + "</tr>" for row in rows(assessment))
    page = (
        "<!DOCTYPE html><html lang=zh-CN><head><meta charset=utf-8>"
        f"<title>{html.escape(title(assessment))}</title><style>"
        "body{font-family:'Microsoft YaHei','Noto Sans CJK SC',sans-serif;"
        "max-width:900px;margin:2em auto}h1{font-size:1.4em;text-align:center}"
        "table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;"
        "padding:.3em .5em;text-align:center}th{background:#f0f3f7}</style>"
        f"</head><body><h1>{html.escape(title(assessment))}</h1><table><thead>"
        f"<tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>")
    return page.encode("utf-8")


def write(assessment: dict[str, Any], fmt: str, out: Path) -> int:
    """Write the notice to ``out``; returns the rows written."""
    if fmt == "html":
        partial = out.with_name(out.name + ".partial")
        partial.write_bytes(to_html(assessment))
        partial.replace(out)
        return sum(1 for _ in rows(assessment))
    return write_table(out, fmt, COLUMNS, rows(assessment),  # type: ignore[arg-type]
                       title="季度交易额")
