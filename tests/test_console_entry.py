"""Data entry from the console against a live server: an inspection and an
on-site round change the station's score; a viewer is refused."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Checkbox, Input, Select

from console_support import LiveServer
from station_tui.console.widgets.onsite_form import OnsiteForm
from station_tui.console.widgets.record_form import RecordForm
from station_tui.ui.widgets.form_field import FormField
from test_console_stations import console, demo_template, server, wait_for  # noqa: F401

STATION = "QS0200"


def field(form: RecordForm, name: str) -> FormField:
    return next(f for f in form.query(FormField) if f.field_name == name)


async def board_row(app, pilot, station: str) -> dict:
    await app.switch_mode("board")
    screen = app.screen
    screen.action_compute()
    before = screen.data
    await wait_for(pilot, lambda: screen.data is not None
                   and screen.data is not before, timeout=30)
    return next(r for r in screen.data["stations"] if r["code"] == station)


async def test_an_inspection_entered_lowers_the_stations_total(
        server: LiveServer) -> None:
    app = console(server)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.role == "inspector")
        first = await board_row(app, pilot, STATION)

        await app.switch_mode("entry")
        form = app.screen.form("inspection")
        field(form, "station").value = STATION
        form.query_one("#flag-poor_work", Checkbox).value = True
        form.action_submit()
        await wait_for(pilot, lambda: field(form, "station").value == STATION
                       and not form.query_one("#flag-poor_work", Checkbox).value)

        after = await board_row(app, pilot, STATION)
        assert Decimal(after["deductions"]) == Decimal(first["deductions"]) + 5
        assert Decimal(after["total"]) == max(Decimal(0),
                                              Decimal(first["total"]) - 5)


async def test_onsite_round_shows_each_parts_cap_and_refuses_a_partial_all_or_nothing(
        server: LiveServer) -> None:
    app = console(server)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.role == "inspector")
        await app.switch_mode("entry")
        form = app.screen.query_one(OnsiteForm)
        form.query_one("#select-item", Select).value = "3"
        await wait_for(pilot, lambda: len(form.query("#parts FormField")) == 3)
        labels = [str(f.query_one("Label").render()) for f in
                  form.query("#parts FormField").results(FormField)]
        assert "只能 0 或 2 分（全或无）" in labels[0]
        assert "只能 0 或 1 分（全或无）" in labels[1]

        field(form, "station").value = STATION
        field(form, "part_a").value = "1"
        field(form, "part_b").value = "1"
        form.action_submit()
        part_a = field(form, "part_a")
        await wait_for(pilot, lambda: part_a.has_class("-invalid"))
        assert "只能得 0 分或 2 分" in str(
            part_a.query_one(".form-field--error").render())
        assert part_a.value == "1"  # what was typed is kept

        part_a.value = "2"
        form.action_submit()
        await wait_for(pilot, lambda: field(form, "part_a").value == "")
        rounds = app.client.records("onsite", station=STATION, limit=1)
        assert rounds[0]["item"] == 3 and rounds[0]["score"] == 300
        assert rounds[0]["entered_by"] == "张检查"


async def test_a_viewer_sees_the_stations_but_is_refused_data_entry(
        server: LiveServer) -> None:
    app = console(server, role="viewer")
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.role == "viewer")
        await app.switch_mode("entry")
        form = app.screen.form("inspection")
        field(form, "station").value = STATION
        form.action_submit()
        await pilot.pause(0.3)
        messages = [n.message for n in app._notifications]
        assert any("只读" in m for m in messages)
        entered = app.client.records("inspection", station=STATION, limit=500)
        assert all(r["entered_by"] != "王查看" for r in entered)

        from station_tui.console.client import Refused
        import pytest

        with pytest.raises(Refused) as refused:
            app.client.enter("inspection", {"station": STATION, "day": "2026-01-05",
                                            "inspector": "王查看"})
        assert refused.value.status == 403
