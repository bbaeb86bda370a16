"""Board drill-down, publication, quarterly volumes, training grid, life
cycle and a lost connection, each driven against a live server."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from console_support import LiveServer, live_server
from test_console_stations import console, demo_template, server, wait_for  # noqa: F401


async def test_drilling_into_a_station_shows_each_lost_point_and_its_records(
        server: LiveServer) -> None:
    app = console(server)
    async with app.run_test(size=(160, 45)) as pilot:
        await app.switch_mode("board")
        board = app.screen
        await wait_for(pilot, lambda: board.data is not None, timeout=30)
        table = board.query_one("#board", DataTable)
        table.focus()
        await pilot.press("enter")
        detail = app.screen
        await wait_for(pilot, lambda: type(detail).__name__ == "ScoreDetailScreen")
        lines = detail.query_one("#lines", DataTable)
        assert lines.row_count > 12
        detail.action_lost_only()
        assert all(str(lines.get_row_at(i)[3]).startswith("-")
                   for i in range(lines.row_count))
        detail.action_lost_only()
        onsite = next(k for k, refs in detail._refs.items()
                      if refs and k.startswith("1."))
        lines.move_cursor(row=lines.get_row_index(onsite))
        await pilot.press("enter")
        panel = detail.query_one("#record")
        await wait_for(pilot, lambda: "onsite" in str(panel.render()))
        assert "inspector" in str(panel.render())


async def test_publishing_writes_the_ranking_as_csv_with_bom_and_no_phone(
        server: LiveServer, tmp_path: Path) -> None:
    app = console(server)
    async with app.run_test(size=(160, 45)) as pilot:
        await app.switch_mode("publish")
        screen = app.screen
        screen.query_one("#folder", Input).value = str(tmp_path)
        await pilot.press("f9")
        files = lambda: list(tmp_path.glob("*.csv"))  # noqa: E731
        await wait_for(pilot, lambda: bool(files()), timeout=30)
        data = files()[0].read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8-sig")
        assert text.splitlines()[0] == "排名,站点,乡镇,得分,等级"
        assert len(text.splitlines()) == 9
        assert "138" not in text and "****" not in text

        await pilot.press("f10")
        await wait_for(pilot, lambda: len(screen.query("#preview DataTable")) > 0,
                       timeout=30)
        preview = screen.query("#preview DataTable").first(DataTable)
        assert preview.row_count == 8


async def test_quarterly_volumes_mark_the_last_place_per_quarter(
        server: LiveServer) -> None:
    app = console(server)
    async with app.run_test(size=(160, 45)) as pilot:
        await app.switch_mode("volumes")
        screen = app.screen
        await wait_for(pilot, lambda: screen.data is not None, timeout=30)
        quarters = screen.data["extras"]["quarters"]
        table = screen.query_one("#quarters", DataTable)
        assert table.row_count == 8
        last = next(r["station"] for r in quarters[0]["rows"] if r["last"])
        cell = table.get_row(last)[3]
        assert cell.style == "bold red"
        assert len(screen.query(".chart-row")) == 8


async def test_training_grid_marks_a_station_late_by_one_key(
        server: LiveServer) -> None:
    app = console(server)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.role == "inspector")
        await app.switch_mode("training")
        screen = app.screen
        grid = screen.query_one("#grid", DataTable)
        await wait_for(pilot, lambda: grid.row_count == 8)
        grid.move_cursor(row=0, column=1)
        await pilot.press("a")
        await wait_for(pilot, lambda: str(grid.get_cell_at((0, 1))) == "旷")
        await pilot.press("p", "t")
        await wait_for(pilot, lambda: str(grid.get_cell_at((0, 1))) == "出迟")
        station = str(grid.coordinate_to_cell_key((0, 1)).row_key.value)
        session = screen.sessions[0]["uuid"]
        rows = app.client.records("attendance", station=station, session=session)
        assert len(rows) == 1 and rows[0]["late"] and rows[0]["presence"] == "present"


async def test_a_partner_goes_through_recruitment_steps_in_order(
        server: LiveServer) -> None:
    app = console(server)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.role == "inspector")
        await app.switch_mode("lifecycle")
        screen = app.screen
        form = screen.form("partner")
        form.set_value("name", "李新")
        form.set_value("phone", "＋８６ １９９ ００００ ００００")
        form.action_submit()
        partners = screen.query_one("#partners", DataTable)
        await wait_for(pilot, lambda: partners.row_count == 1)
        partners.focus()
        await pilot.press("enter")
        event = screen.form("partner_event")
        await wait_for(pilot, lambda: bool(event.values()["partner"]))
        event.query_one("#select-step").value = "interview"
        event.action_submit()
        await pilot.pause(0.5)
        assert any("尚未通过" in n.message for n in app._notifications)
        saved = app.client.records("partner")
        assert saved[0]["phone"] == "19900000000"


async def test_a_lost_server_is_shown_and_the_typed_form_is_kept(
        demo_template: Path, tmp_path: Path) -> None:
    from station_tui.console import credentials
    from station_tui.console.app import ConsoleApp
    from console_support import copy_demo
    from sync_support import free_port

    port = free_port()
    db = copy_demo(demo_template, tmp_path)
    with live_server(db, port=port) as live:
        token = live.tokens["inspector"]
    credentials.save_token(live.url, token)
    app = ConsoleApp(live.url)
    async with app.run_test(size=(160, 45)) as pilot:
        await app.switch_mode("entry")
        form = app.screen.form("inspection")
        form.set_value("station", "QS0200")
        form.set_value("inspector", "张检查")
        form.set_value("note", "停电后补录")
        banner = app.screen.query_one("ConnectionBanner")
        await wait_for(pilot, lambda: banner.has_class("-lost"))
        assert "连接已断开" in str(banner.render())
        assert form.values()["note"] == "停电后补录"

        with live_server(db, port=port):
            await wait_for(pilot, lambda: app.role == "inspector", timeout=15)
            assert not banner.has_class("-lost")
            form.action_submit()
            await wait_for(pilot, lambda: form.values()["note"] == "")
            saved = app.client.records("inspection", station="QS0200", limit=1)
            assert saved[0]["note"] == "停电后补录"
