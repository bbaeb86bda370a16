"""A station's status follows its standing records (RULES §2–§4): partner
events, rectification orders and their outcome, termination decisions, and
the engine's marks (3 last places in a row, a failed rectification)."""

from __future__ import annotations

from datetime import date
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from station_tui.assessment.volumes import publish_quarter
from station_tui.operations.center_ops import enter, void
from station_tui.operations.standing import Standing, derive_status
from station_tui.records.center import CenterStation
from sync.server import accounts
from sync.server.app import create_app
from tests.assess_data import purchases, station

pytestmark = pytest.mark.usefixtures("server_db")


def status(code: str = "S1") -> str:
    return CenterStation.get(CenterStation.code == code).status


def signed_partner(code: str = "S1") -> str:
    pid = str(enter("partner", {"name": "王建国", "phone": "13800001111",
                                "station": code}, staff="admin").uuid)
    for step in ("training", "written_test", "computer_test", "interview",
                 "signed"):
        enter("partner_event", {"partner": pid, "step": step, "outcome": "pass",
                                "day": "2026-01-05"}, staff="admin")
    return pid


def event(pid: str, step: str, day: str) -> str:
    return str(enter("partner_event", {"partner": pid, "step": step, "day": day,
                                       "reason": "检查发现问题"}, staff="admin").uuid)


def test_latest_standing_record_decides_and_a_pending_mark_overrides_it() -> None:
    warned = Standing(date(2026, 2, 1), 5, "warned")
    signed = Standing(date(2026, 1, 1), 9, "active")
    assert derive_status([], False) == "active"
    assert derive_status([signed, warned], False) == "warned"
    assert derive_status([signed, warned], True) == "to_be_terminated"
    ended = Standing(date(2026, 3, 1), 1, "terminated")
    assert derive_status([warned, ended], True) == "terminated"


def test_warning_rectifying_and_reinstatement_change_the_status_and_voids_undo(
        ) -> None:
    station()
    pid = signed_partner()
    assert status() == "active"
    warning = event(pid, "warned", "2026-02-01")
    assert status() == "warned"
    rectifying = event(pid, "rectifying", "2026-02-10")
    assert status() == "rectifying"
    void("partner_event", rectifying, staff="admin", reason="录错")
    assert status() == "warned"
    void("partner_event", warning, staff="admin", reason="录错")
    assert status() == "active"
    event(pid, "warned", "2026-03-01")
    event(pid, "reinstated", "2026-04-01")
    assert status() == "active"


def test_rectification_order_sets_rectifying_until_its_deadline() -> None:
    station()
    order = enter("rectification", {"station": "S1", "failed_period": "2026H1",
                                    "issued_day": "2026-07-10",
                                    "deadline_day": "2099-01-01"}, staff="admin")
    assert status() == "rectifying"
    void("rectification", str(order.uuid), staff="admin", reason="撤销")
    assert status() == "active"


def test_failed_rectification_marks_the_station_until_the_center_decides() -> None:
    station()
    enter("rectification", {"station": "S1", "failed_period": "2025H1",
                            "issued_day": "2025-07-10", "deadline_day": "2025-09-30"},
          staff="admin")
    assert status() == "to_be_terminated"
    exemption = enter("termination", {"station": "S1", "day": "2025-10-10",
                                      "ground": "rectification_failed",
                                      "decision": "exempted", "reason": "受灾"},
                      staff="admin")
    assert status() == "active"
    void("termination", str(exemption.uuid), staff="admin", reason="复核")
    assert status() == "to_be_terminated"
    enter("termination", {"station": "S1", "day": "2025-10-12",
                          "ground": "rectification_failed", "decision": "executed",
                          "reason": "整改不合格", "checklist": "signboard"},
          staff="admin")
    assert status() == "terminated"


def test_a_third_consecutive_last_quarter_marks_the_station_when_published() -> None:
    station("A")
    station("Z")
    for month in (2, 5, 8):
        purchases("A", date(2025, month, 1), 3)
    publish_quarter("2025Q1", staff="boss", rules_hash="h")
    publish_quarter("2025Q2", staff="boss", rules_hash="h")
    assert status("Z") == "active"
    publish_quarter("2025Q3", staff="boss", rules_hash="h")
    assert (status("A"), status("Z")) == ("active", "to_be_terminated")
    exemption = enter("termination", {"station": "Z", "day": "2025-10-20",
                                      "ground": "last_place", "decision": "exempted",
                                      "reason": "新建站点"}, staff="admin")
    assert status("Z") == "active"
    void("termination", str(exemption.uuid), staff="admin", reason="复核")
    assert status("Z") == "to_be_terminated"


def test_a_station_not_last_three_quarters_in_a_row_is_not_marked() -> None:
    station("A")
    station("Z")
    for month in (2, 8):
        purchases("A", date(2025, month, 1), 3)
    purchases("Z", date(2025, 5, 1), 3)
    for quarter in ("2025Q1", "2025Q2", "2025Q3"):
        publish_quarter(quarter, staff="boss", rules_hash="h")
    assert (status("A"), status("Z")) == ("active", "active")


@pytest.fixture
def admin_http(server_db) -> Iterator[TestClient]:
    app = create_app(server_db.test_url)
    _, admin = accounts.add_user("admin1", "admin")
    with TestClient(app, headers={"Authorization": f"Bearer {admin}"}) as http:
        yield http
    app.state.db.close_all()


def test_console_station_list_filters_by_the_derived_status(
        admin_http: TestClient) -> None:
    station("A")
    station("Z")
    for month in (2, 5, 8):
        purchases("A", date(2025, month, 1), 3)
    for quarter in ("2025Q1", "2025Q2", "2025Q3"):
        reply = admin_http.post(f"/center/rankings/{quarter}/publish")
        assert reply.status_code == 201, reply.text
    marked = admin_http.get("/console/stations",
                            params={"status": "to_be_terminated"}).json()
    assert [r["code"] for r in marked["rows"]] == ["Z"]
    assert marked["rows"][0]["status"] == "to_be_terminated"
    active = admin_http.get("/console/stations", params={"status": "active"}).json()
    assert [r["code"] for r in active["rows"]] == ["A"]
