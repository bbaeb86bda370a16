"""Center records: validated entry by API and command line, stamped."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from station_tui.cli import main
from station_tui.domain import clock
from station_tui.errors import InputError, NotFoundError, RuleError
from station_tui.operations.center_ops import enter, enter_many
from station_tui.records.center import (
    Inspection,
    OnsiteRound,
    Partner,
    PartnerEvent,
    PublishedRanking,
)
from sync.server import accounts
from sync.server.app import create_app
from tests.assess_data import onsite, purchases, station

pytestmark = pytest.mark.usefixtures("server_db")


def test_onsite_round_is_stored_in_centi_points_with_its_inspector() -> None:
    station()
    found = enter("onsite", {"station": "S1", "item": 2, "day": "2026-03-01",
                             "inspector": "张检查", "part_a": "2.5", "part_b": 2,
                             "note": "宣传栏有灰", "photos": ["a.jpg", "b.jpg"]},
                  staff="inspector1")
    assert (found.score, found.entered_by, found.photos) == (450, "inspector1",
                                                             "a.jpg,b.jpg")


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"item": 2, "part_a": 3.5}, "part_a", "超出 0–3"),
    ({"item": 3, "part_a": 1}, "part_a", "只能得 0 分或 2 分"),
    ({"item": 12, "part_a": 4}, "part_a", "只能得 0 分或 5 分"),
    ({"item": 1, "part_a": "9.999"}, "part_a", "两位小数"),
    ({"item": 4, "part_a": 1}, "item", "无效"),
    ({"item": 1, "part_a": 5, "day": "2099-01-01"}, "day", "在今天之后"),
    ({"item": 1, "part_a": 5, "station": "NOPE"}, "station", "不存在"),
    ({"item": 1, "part_a": 5, "day": "2024-06-01"}, "station", "不在服务期内"),
])
def test_onsite_round_with_a_wrong_value_is_refused_at_its_field(
        values: dict, field: str, words: str) -> None:
    station()
    row = {"station": "S1", "day": "2026-03-01", "inspector": "甲", **values}
    with pytest.raises((InputError, NotFoundError)) as caught:
        enter("onsite", row, staff="inspector1")
    assert caught.value.field == field and words in caught.value.message


def test_attendance_of_an_absence_cannot_carry_a_test_result() -> None:
    station()
    session = enter("training", {"title": "直播培训", "day": "2026-03-01"}, staff="a")
    with pytest.raises(InputError, match="没有测试结果"):
        enter("attendance", {"session": str(session.uuid), "station": "S1",
                             "presence": "absent", "test": "fail"}, staff="a")
    enter("attendance", {"session": str(session.uuid), "station": "S1",
                         "presence": "absent"}, staff="a")
    with pytest.raises(RuleError, match="已有出勤记录"):
        enter("attendance", {"session": str(session.uuid), "station": "S1",
                             "presence": "present", "test": "pass"}, staff="a")


def test_bulk_entry_is_all_or_nothing_and_names_the_bad_row() -> None:
    station()
    rows = [{"station": "S1", "day": "2026-03-01", "inspector": "甲", "poor_work": True},
            {"station": "S9", "day": "2026-03-02", "inspector": "甲"}]
    with pytest.raises(NotFoundError, match="第 2 行"):
        enter_many("inspection", rows, staff="a")
    assert Inspection.select().count() == 0


def test_partner_life_cycle_needs_both_tests_before_the_interview() -> None:
    station()
    partner = enter("partner", {"name": "王建国", "phone": "138 0000 1111",
                                "station": "S1"}, staff="admin")
    pid = str(partner.uuid)
    enter("partner_event", {"partner": pid, "step": "training", "day": "2026-01-05"},
          staff="admin")
    enter("partner_event", {"partner": pid, "step": "written_test", "outcome": "pass",
                            "day": "2026-01-06"}, staff="admin")
    with pytest.raises(RuleError, match="computer_test"):
        enter("partner_event", {"partner": pid, "step": "interview", "outcome": "pass",
                                "day": "2026-01-07"}, staff="admin")
    for step in ("computer_test", "interview", "signed"):
        enter("partner_event", {"partner": pid, "step": step, "outcome": "pass",
                                "day": "2026-01-08"}, staff="admin")
    assert Partner.get().status == "active"
    enter("partner_event", {"partner": pid, "step": "terminated", "permanent": True,
                            "reason": "严重违规", "day": "2026-05-01"}, staff="admin")
    person = Partner.get()
    assert (person.status, person.banned) == ("terminated", True)
    assert PartnerEvent.select().count() == 6

    again = str(enter("partner", {"name": "王建国", "phone": "13800001111"},
                      staff="admin").uuid)
    for step in ("training", "written_test", "computer_test", "interview"):
        enter("partner_event", {"partner": again, "step": step, "outcome": "pass",
                                "day": "2026-06-01"}, staff="admin")
    with pytest.raises(RuleError, match="永久终止合作"):
        enter("partner_event", {"partner": again, "step": "signed", "outcome": "pass",
                                "day": "2026-06-02"}, staff="admin")


def test_failing_a_step_ends_the_candidacy() -> None:
    partner = enter("partner", {"name": "李四", "phone": "13900001111"}, staff="a")
    enter("partner_event", {"partner": str(partner.uuid), "step": "training",
                            "day": "2026-01-05"}, staff="a")
    enter("partner_event", {"partner": str(partner.uuid), "step": "written_test",
                            "outcome": "fail", "day": "2026-01-06"}, staff="a")
    with pytest.raises(RuleError, match="不是候选人"):
        enter("partner_event", {"partner": str(partner.uuid), "step": "computer_test",
                                "outcome": "pass", "day": "2026-01-07"}, staff="a")


# --- command line -----------------------------------------------------------

def test_center_record_command_enters_a_csv_file(tmp_path: Path, server_db,
                                                 capsys: pytest.CaptureFixture) -> None:
    station()
    url = server_db.test_url
    sheet = tmp_path / "rounds.csv"
    sheet.write_text("station,item,day,inspector,part_a,part_b\n"
                     "S1,2,2026-03-01,张检查,3,2\nS1,10,2026-03-01,张检查,4.5,5\n",
                     encoding="utf-8-sig")
    assert main(["center", "record", "onsite", "--db", url, "--by", "zhang",
                 "--file", str(sheet)]) == 0
    assert OnsiteRound.select().where(OnsiteRound.entered_by == "zhang").count() == 2
    assert "已录入 2 条" in capsys.readouterr().out


def test_center_record_command_reports_a_bad_value_in_one_line(
        server_db, capsys: pytest.CaptureFixture) -> None:
    station()
    url = server_db.test_url
    row = json.dumps({"station": "S1", "item": 3, "day": "2026-03-01",
                      "inspector": "甲", "part_a": 1.5})
    assert main(["center", "record", "onsite", "--db", url, "--by", "z",
                 "--json", row]) == 2
    assert "只能得 0 分或 2 分" in capsys.readouterr().err


def test_publish_quarter_freezes_the_ranking(server_db) -> None:
    station("A")
    station("Z")
    purchases("A", date(2025, 2, 1), 3)
    url = server_db.test_url
    assert main(["center", "publish-quarter", "2025Q1", "--db", url, "--by", "boss"]) == 0
    rows = json.loads(PublishedRanking.get().rows)
    assert [(r["station"], r["last"]) for r in rows] == [("A", False), ("Z", True)]
    assert main(["center", "publish-quarter", "2025Q1", "--db", url, "--by", "b"]) == 2


# --- HTTP API ---------------------------------------------------------------

@pytest.fixture
def client(server_db) -> Iterator[TestClient]:
    """The real server on the test database, signed in as an inspector;
    ``client.admin`` holds an admin's headers."""
    app = create_app(server_db.test_url)
    _, inspector = accounts.add_user("inspector1", "inspector")
    _, admin = accounts.add_user("admin1", "admin")
    with TestClient(app, headers={"Authorization": f"Bearer {inspector}"}) as http:
        http.admin = {"Authorization": f"Bearer {admin}"}  # type: ignore[attr-defined]
        yield http
    app.state.db.close_all()


def test_api_enters_a_record_stamped_with_the_signed_in_account(client) -> None:
    station()
    reply = client.post("/center/records/inspection", json={
        "station": "S1", "day": "2026-04-01", "inspector": "甲", "refused": True})
    assert reply.status_code == 201
    assert Inspection.get().entered_by == "inspector1"


def test_api_refuses_a_bad_value_with_the_field_named(client) -> None:
    station()
    reply = client.post("/center/records/onsite", json={
        "station": "S1", "item": 12, "day": "2026-04-01", "inspector": "甲",
        "part_a": 3})
    assert reply.status_code == 422
    assert reply.json()["detail"]["field"] == "part_a"


def test_api_serves_the_assessment_as_json_and_csv(client) -> None:
    station()
    onsite("S1", 1, date(2026, 3, 1), 8)
    data = client.get("/center/assessments/2026").json()
    assert data["stations"][0]["items"]["1"]["score"] == "8.00"
    assert data["rules"]["hash"]
    reply = client.get("/center/assessments/2026?format=csv")
    assert reply.content.startswith(b"\xef\xbb\xbf")


def test_api_without_a_token_refuses(client) -> None:
    reply = client.get("/center/assessments/2026", headers={"Authorization": ""})
    assert reply.status_code == 401


def test_api_refuses_an_inspector_what_only_an_admin_may_do(client) -> None:
    station()
    assert client.post("/center/assessments/2026/snapshots").status_code == 403


def test_api_stores_a_snapshot_per_station_to_pull_down(client) -> None:
    from station_tui.records.center import AssessmentSnapshot

    station("S1")
    station("S2")
    url = "/center/assessments/2026/snapshots"
    assert client.post(url, headers=client.admin).json()["stations"] == 2
    client.post(url, headers=client.admin)
    rows = list(AssessmentSnapshot.select().order_by(AssessmentSnapshot.station))
    assert [(r.station, r.version) for r in rows] == [("S1", 2), ("S2", 2)]
    assert json.loads(rows[0].result)["code"] == "S1"
    assert AssessmentSnapshot.pull_to_station


def test_api_refuses_a_future_period_and_warns_on_a_running_one(
        client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now",
                        lambda: clock.instant_of(datetime(2026, 12, 5, 12)))
    station()
    reply = client.get("/center/assessments/2027")
    assert reply.status_code == 422
    assert "2027" in reply.json()["detail"]["message"]
    data = client.get("/center/assessments/2026").json()
    assert "本期尚未结束" in data["warnings"][0]
    assert client.get("/center/assessments/2026Q3").json()["warnings"] == []
    stored = client.post("/center/assessments/2026/snapshots", headers=client.admin)
    assert "本期尚未结束" in stored.json()["warnings"][0]


def test_api_answers_404_for_a_station_nobody_registered(client) -> None:
    station()
    for url in ("/center/assessments/2026Q1?station=NOPE",
                "/center/preview/NOPE?period=2026Q1"):
        reply = client.get(url)
        assert reply.status_code == 404
        assert "NOPE" in reply.json()["detail"]["message"]
