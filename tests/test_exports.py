"""Exports: CSV with BOM, XLSX, JSON, streamed, phones masked (C07)."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import pytest

from station_tui.cli import main
from station_tui.domain import clock
from station_tui.exports import export_ledger
from station_tui.exports.writers import Column, write_table
from station_tui.operations.ledger_search import LedgerQuery
from station_tui.records import StationProfile
from tests.ledger_factory import parcel_in, purchase

NAMES = ("张三", "测试村１号", "𠮷")


@pytest.fixture
def c07_ledger(station: StationProfile) -> None:
    for n, name in enumerate(NAMES):
        parcel_in(f"2026-04-0{n + 1} 08:30", f"SF{n:013d}", name, "13800001234",
                  arrival_note=f"{name}的包裹")
    purchase("2026-04-04 09:00", "张三", "13800001234", amount_fen=58242,
             service_fee_fen=0, platform_order_no="=SUM(A1)")


def test_csv_has_a_bom_and_reads_back_exactly_with_utf8_sig(
    c07_ledger: None, tmp_path: Path,
) -> None:
    """C07: Excel on Chinese Windows reads UTF-8 only when the BOM is there."""
    out = tmp_path / "台账.csv"

    count = export_ledger(LedgerQuery(kinds=("parcel_in",)), out, "csv")

    assert count == 3
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["种类", "时间", "单号", "姓名", "电话"]
    assert [r[3] for r in rows[1:]] == list(reversed(NAMES))
    assert [r[10] for r in rows[1:]] == [f"{n}的包裹" for n in reversed(NAMES)]
    assert {r[4] for r in rows[1:]} == {"138****1234"}
    assert "13800001234" not in out.read_text(encoding="utf-8-sig")


def test_xlsx_reads_back_with_openpyxl_with_numbers_and_times(
    c07_ledger: None, tmp_path: Path,
) -> None:
    """C07: the XLSX offered beside the CSV holds the same text."""
    from openpyxl import load_workbook

    out = tmp_path / "台账.xlsx"
    export_ledger(LedgerQuery(), out, "xlsx")

    sheet = load_workbook(out, read_only=True)["台账"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == "姓名"
    assert [r[3] for r in rows[1:]] == ["张三", *reversed(NAMES)]
    order = rows[1]
    assert order[2] == "=SUM(A1)"  # text stays text, never a formula
    assert Decimal(str(order[7])) == Decimal("582.42")
    assert order[1] == datetime(2026, 4, 4, 9, 0)
    assert order[4] == "138****1234"


def test_json_keeps_fen_and_local_times(c07_ledger: None, tmp_path: Path) -> None:
    out = tmp_path / "ledger.json"
    export_ledger(LedgerQuery(kinds=("purchase_order",)), out, "json")

    items = json.loads(out.read_text(encoding="utf-8"))
    assert items[0]["amount_fen"] == 58242
    assert items[0]["happened_at"] == "2026-04-04T09:00:00+08:00"
    assert items[0]["name"] == "张三"
    assert items[0]["phone"] == "138****1234"


def test_an_empty_search_writes_headers_only(station: StationProfile,
                                            tmp_path: Path) -> None:
    out = tmp_path / "empty.json"
    assert export_ledger(LedgerQuery("9999"), out, "json") == 0
    assert json.loads(out.read_text(encoding="utf-8")) == []


def test_csv_cells_that_excel_would_run_as_formulas_are_defused(
    c07_ledger: None, tmp_path: Path,
) -> None:
    out = tmp_path / "orders.csv"
    export_ledger(LedgerQuery(kinds=("purchase_order",)), out, "csv")

    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][2] == "'=SUM(A1)"


def test_a_failed_export_leaves_no_file_behind(tmp_path: Path) -> None:
    def rows() -> Iterator[dict[str, object]]:
        yield {"a": "张三"}
        raise RuntimeError("disk gone")

    out = tmp_path / "half.csv"
    with pytest.raises(RuntimeError):
        write_table(out, "csv", [Column("a", "甲")], rows())

    assert list(tmp_path.iterdir()) == []


def test_progress_is_reported_while_rows_stream(tmp_path: Path) -> None:
    seen: list[int] = []
    produced = 0

    def rows() -> Iterator[dict[str, object]]:
        nonlocal produced
        for n in range(1200):
            produced += 1
            # Rows are pulled one at a time: at most one ahead of the writer.
            assert produced <= (seen[-1] if seen else 0) + 500 + 1
            yield {"a": n}

    write_table(tmp_path / "n.xlsx", "xlsx", [Column("a", "甲")], rows(),
                progress=seen.append)
    assert seen == [500, 1000, 1200]


def test_export_command_writes_the_chosen_kind_and_days(
    c07_ledger: None, db_path: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "parcels.csv"

    code = main(["export", "--db", str(db_path), "--kind", "parcel_in",
                 "--format", "csv", "--out", str(out),
                 "--from", "2026-04-02", "--to", "2026-04-03"])

    assert code == 0
    assert "已导出 2 条记录" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8-sig")
    assert "测试村１号" in text and "𠮷" in text and "张三" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-13-01"], "日期“2026-13-01”不存在：2026 年没有 13 月 1 日"),
        (["--from", "2026-04-05", "--to", "2026-04-01"], "晚于结束日期"),
        (["--out", "/nonexistent-dir/x.csv"], "输出目录 /nonexistent-dir 不存在"),
    ],
)
def test_export_command_refuses_bad_input_with_one_chinese_line(
    station: StationProfile, db_path: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], args: list[str], message: str,
) -> None:
    argv = ["export", "--db", str(db_path), "--kind", "all",
            "--out", str(tmp_path / "x.csv"), *args]
    if "--out" in args:
        argv = ["export", "--db", str(db_path), "--kind", "all", *args]

    assert main(argv) == 2

    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：") and message in err
    assert "\n" not in err


@pytest.mark.parametrize(("fmt", "name", "hint"), [
    ("xlsx", "x.csv", "请用 --format csv，或把文件名改为 x.xlsx"),
    ("csv", "x.xlsx", "请用 --format xlsx，或把文件名改为 x.csv"),
    ("json", "x.xls", "请把文件名改为 x.json"),
])
def test_export_command_refuses_a_file_name_of_another_format(
    station: StationProfile, db_path: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], fmt: str, name: str, hint: str,
) -> None:
    code = main(["export", "--db", str(db_path), "--kind", "all",
                 "--format", fmt, "--out", str(tmp_path / name)])

    assert code == 2
    err = capsys.readouterr().err.strip()
    assert "与导出格式" in err and "未导出" in err and hint in err
    assert "\n" not in err
    assert list(tmp_path.glob("x*")) == []


def test_export_command_keeps_a_name_without_an_export_extension(
    station: StationProfile, db_path: Path, tmp_path: Path,
) -> None:
    assert main(["export", "--db", str(db_path), "--kind", "all",
                 "--format", "json", "--out", str(tmp_path / "report")]) == 0
    assert (tmp_path / "report").read_text(encoding="utf-8").startswith(("[", "{"))


def test_export_command_refuses_a_missing_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["export", "--db", str(tmp_path / "none.sqlite3"), "--kind", "all",
                 "--out", str(tmp_path / "x.csv")])

    assert code == 2
    assert "找不到数据库文件" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite3").exists()


def test_daily_report_export_carries_the_note(station: StationProfile,
                                             db_path: Path, tmp_path: Path) -> None:
    from station_tui.operations import daily_report

    daily_report.submit(clock.local_date(clock.now()), "张𠮷😀")
    out = tmp_path / "reports.xlsx"

    assert main(["export", "--db", str(db_path), "--kind", "daily_report",
                 "--format", "xlsx", "--out", str(out)]) == 0

    from openpyxl import load_workbook

    rows = list(load_workbook(out, read_only=True)["台账"].values)
    assert rows[1][10] == "张𠮷😀"


def test_a_parcel_collected_by_someone_else_exports_who_collected_it(
    station: StationProfile, db_path: Path, tmp_path: Path,
) -> None:
    """代取人 is a name like the recipient's: exported whole, erased with them."""
    from station_tui.operations import parcels_in, villagers

    zhang = villagers.remember("张三", "13800001234")
    parcel = parcels_in.intake("SF1234567890123", phone="13800001234", name="张三")
    parcels_in.pickup(parcel.uuid, by="proxy", proxy_name="邻居老刘")
    out = tmp_path / "收件.csv"

    def exported() -> dict[str, str]:
        assert main(["export", "--db", str(db_path), "--kind", "parcel_in",
                     "--format", "csv", "--out", str(out)]) == 0
        with open(out, encoding="utf-8-sig", newline="") as handle:
            (row,) = csv.DictReader(handle)
        return row

    assert exported()["代取人"] == "邻居老刘"

    villagers.erase(zhang.uuid, "本人要求")

    row = exported()
    assert (row["姓名"], row["电话"], row["代取人"]) == ("", "", "")
    assert row["单号"] == "SF1234567890123"
