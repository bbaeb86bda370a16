"""The center joined up over real HTTP.

A real ``station-tui serve`` process with a rules file, station PCs that
record at the counter and push with the sync client, staff who enter
center records and read the assessment with their own tokens: SQLite,
and PostgreSQL too when STATION_TUI_TEST_PG is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from station_tui.domain import clock
from station_tui.records import Handover
from station_tui.records.center import CenterStation
from sync.client.rounds import run_round
from sync_support import LiveServer, center_db, make_center, make_station, station_db
from tests.assess_data import at, ledger, station

CODES = ("QY-001", "QY-002")
#: The station's clock, set 20 minutes slow: over the 10-minute tolerance.
SKEW_S = -20 * 60
#: A period still running has days ahead that nobody has reported yet;
#: the center's rules file makes them free, so one report decides item 6.
RULES = "[reporting]\nmissed = 0\n"
REAL_NOW = clock.now


@dataclass
class County:
    server: LiveServer
    tokens: dict[str, str]
    pcs: dict[str, Path]

    def http(self, role: str) -> httpx.Client:
        return httpx.Client(base_url=self.server.url, timeout=60, headers={
            "Authorization": f"Bearer {self.tokens[role]}"})


@pytest.fixture
def county(center_db_url: str, tmp_path: Path) -> Iterator[County]:
    """Two stations registered since yesterday, a server on its own port
    with the center's rules file, and a set-up PC per station."""
    tokens = make_center(center_db_url, CODES)
    with center_db(center_db_url):
        since = clock.local_date(REAL_NOW()) - timedelta(days=1)
        CenterStation.update(active_from=since).execute()
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    server = LiveServer(center_db_url, extra=("--rules", str(rules)))
    server.start(tmp_path / "server.log")
    pcs = {}
    for code in CODES:
        pcs[code] = tmp_path / f"{code}.sqlite3"
        make_station(pcs[code], code, server.url, tokens[code])
    try:
        yield County(server, tokens, pcs)
    finally:
        server.stop()


def sync(path: Path) -> None:
    with station_db(path):
        result = run_round()
    assert result.ok, result.error


def report_today(path: Path, monkeypatch: pytest.MonkeyPatch, skew: int = 0) -> date:
    """Submit today's daily report and sync, on a PC whose clock is off
    by ``skew`` seconds; returns the day as that PC saw it."""
    from station_tui.operations import daily_report

    with monkeypatch.context() as patch:
        patch.setattr(clock, "now", lambda: REAL_NOW() + skew)
        with station_db(path):
            day = clock.local_date(clock.now())
            daily_report.submit(day, note="")
        sync(path)
    return day


def standing(county: County, period: str) -> dict[str, dict[str, Any]]:
    """Each station's result in the center's assessment, read by a viewer."""
    with county.http("viewer") as http:
        reply = http.get(f"/center/assessments/{period}")
    assert reply.status_code == 200, reply.text
    return {s["code"]: s for s in reply.json()["stations"]}


def test_scores_and_ranks_follow_reports_flags_and_inspectors_over_http(
        county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    day = report_today(county.pcs["QY-001"], monkeypatch, skew=SKEW_S)
    report_today(county.pcs["QY-002"], monkeypatch)
    period = str(day.year)

    # RULES §3 item 6: a report from a clock-flagged batch counts late.
    first = standing(county, period)
    assert first["QY-001"]["items"]["6"]["score"] == "14.00"
    assert first["QY-002"]["items"]["6"]["score"] == "15.00"
    assert (first["QY-002"]["rank"], first["QY-001"]["rank"]) == (1, 2)
    base = float(first["QY-002"]["total"])
    assert float(first["QY-001"]["total"]) == base - 1

    with county.http("inspector") as http:
        flags = http.get("/center/clock-flags", params={"station": "QY-001"}).json()
        assert [(f["record_kind_name"], f["station"]) for f in flags] == [
            ("daily_report", "QY-001")]
        assert flags[0]["skew_seconds"] <= -20 * 60 + 5
        with county.http("viewer") as viewer:
            refused = viewer.post(f"/center/clock-flags/{flags[0]['uuid']}/accept",
                                  json={"note": "电脑时钟慢，已核实当天提交"})
        assert refused.status_code == 403
        accepted = http.post(f"/center/clock-flags/{flags[0]['uuid']}/accept",
                             json={"note": "电脑时钟慢，已核实当天提交"})
        assert accepted.status_code == 200, accepted.text
        assert http.get("/center/clock-flags",
                        params={"station": "QY-001"}).json() == []

    # Accepted, the report is on time; the tie goes to the lower code.
    second = standing(county, period)
    assert second["QY-001"]["items"]["6"]["score"] == "15.00"
    assert float(second["QY-001"]["total"]) == base
    assert (second["QY-001"]["rank"], second["QY-002"]["rank"]) == (1, 2)

    today = clock.local_date(REAL_NOW()).isoformat()
    with county.http("inspector") as http:
        entered = http.post("/center/records/onsite", json={
            "station": "QY-002", "item": 1, "day": today, "inspector": "李检查",
            "part_a": 8, "note": "设备正常"})
        assert entered.status_code == 201, entered.text
        assert entered.json()["entered_by"] == "inspector-1"
    third = standing(county, period)
    assert third["QY-002"]["items"]["1"]["score"] == "8.00"
    assert float(third["QY-002"]["total"]) == base + 8
    assert (third["QY-002"]["rank"], third["QY-001"]["rank"]) == (1, 2)

    with county.http("inspector") as http:
        entered = http.post("/center/records/inspection", json={
            "station": "QY-002", "day": today, "inspector": "李检查",
            "refused": True})
        assert entered.status_code == 201, entered.text
    fourth = standing(county, period)
    assert fourth["QY-002"]["deductions"] == "10.00"
    assert float(fourth["QY-002"]["total"]) == base - 2
    assert (fourth["QY-001"]["rank"], fourth["QY-002"]["rank"]) == (1, 2)


def test_a_report_from_a_station_with_a_good_clock_is_not_flagged(
        county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    report_today(county.pcs["QY-002"], monkeypatch, skew=5 * 60)

    with county.http("inspector") as http:
        assert http.get("/center/clock-flags").json() == []
        stations = {s["code"]: s for s in http.get("/api/v1/stations").json()}
    assert stations["QY-002"]["clock_flagged"] is False


def test_parcels_on_an_incoming_list_count_only_once_it_is_signed(
        county: County) -> None:
    """Item 9: an incoming list is open (no signer, no time) until signed."""
    from station_tui.operations import handovers, parcels_in

    path = county.pcs["QY-002"]
    with station_db(path):
        opened = handovers.open_incoming(carrier="ZTO", courier_name="赵师傅")
        for number in ("7355608123401", "7355608123402"):
            parcels_in.intake(number, carrier="ZTO", phone="13800002222",
                              handover=opened.uuid)
    sync(path)
    period = str(clock.local_date(REAL_NOW()).year)

    def handover_line() -> str:
        lines = standing(county, period)["QY-002"]["items"]["9"]["lines"]
        return next(line["text"] for line in lines if "交接清单" in line["text"])

    assert "0 / 2" in handover_line()
    with station_db(path):
        handovers.sign(opened.uuid, signer="王建国")
    sync(path)
    assert "2 / 2" in handover_line()


def test_a_list_with_a_time_but_no_signer_is_not_signed(server_db) -> None:
    """Item 9: both signer and time make a list signed; either alone not."""
    from station_tui.assessment.engine import assess
    from station_tui.records import ParcelIn

    station("S1")
    day = date(2026, 3, 2)
    lists = [ledger(Handover, "S1", at(day, 9), direction="in", carrier="ZTO",
                    courier_name="赵师傅", signer=signer, signed_at=signed)
             for signer, signed in ((None, at(day, 10)), ("王", None),
                                    ("王", at(day, 10)))]
    for n, handover in enumerate(lists):
        ledger(ParcelIn, "S1", at(day, 9), tracking_no=f"T{n}", carrier="ZTO",
               shelf_slot="A1", pickup_code=f"{n}", status="picked_up",
               notified_at=at(day, 9), picked_up_at=at(day, 11),
               handover=handover.uuid)

    item = assess("2026-03", only="S1").stations[0].items[9]
    assert item.lines[0].text.endswith("1 / 3 件")
    traced = set(item.lines[0].refs)
    assert len(traced) == 2
