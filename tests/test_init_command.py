"""``station-tui init``: a first setup, and the center of a station set up
through the app's first-run form."""

from __future__ import annotations

from pathlib import Path

import pytest

from station_tui.cli import main
from station_tui.records import StationProfile

STATION = ["--code", "QY-002", "--name", "河东村服务站", "--town", "沁河镇",
           "--village", "河东村", "--partner", "李明", "--phone", "13900002222"]


def settings_of(db_path: Path) -> dict[str, str]:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        return dict(conn.execute("SELECT key, value FROM setting"))


def test_a_station_set_up_in_the_app_gets_its_center_from_init(
        station: StationProfile, db_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["init", "--db", str(db_path), "--center",
                 "https://center.example.gov.cn/", "--token", "5fd4f2c451e9.secret"])

    out = capsys.readouterr().out
    assert code == 0
    assert settings_of(db_path)["center_url"] == "https://center.example.gov.cn"
    assert settings_of(db_path)["center_token"] == "5fd4f2c451e9.secret"
    assert "QY-001" in out and "中心地址 https://center.example.gov.cn" in out
    assert "令牌（编号 5fd4f2c451e9）" in out and "secret" not in out


def test_init_changes_the_center_or_the_token_of_a_set_up_station(
        station: StationProfile, db_path: Path) -> None:
    main(["init", "--db", str(db_path), "--center", "http://10.0.0.5:8000",
          "--token", "a.b"])

    assert main(["init", "--db", str(db_path), "--token", "c.d"]) == 0

    assert settings_of(db_path)["center_url"] == "http://10.0.0.5:8000"
    assert settings_of(db_path)["center_token"] == "c.d"


@pytest.mark.parametrize("url", ["center.example.gov.cn", "ftp://center.example",
                                 "https://", "http://host:port"])
def test_a_center_address_that_is_not_http_is_refused_and_nothing_is_set(
        station: StationProfile, db_path: Path, url: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["init", "--db", str(db_path), "--center", url, "--token", "a.b"])

    assert code == 2
    assert f"中心地址“{url}”不对，应以 http:// 或 https:// 开头" in capsys.readouterr().err
    assert "center_url" not in settings_of(db_path)
    assert "center_token" not in settings_of(db_path)


def test_a_set_up_station_is_not_set_up_twice(
        station: StationProfile, db_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--db", str(db_path), *STATION]) == 2

    assert "本机已经设置过站点 QY-001" in capsys.readouterr().err
    assert StationProfile.select().count() == 1


def test_init_without_center_flags_on_a_set_up_station_names_them(
        station: StationProfile, db_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--db", str(db_path)]) == 2

    assert "station-tui init --center 地址 --token 令牌" in capsys.readouterr().err


def test_a_first_init_lists_every_missing_station_field_in_chinese(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["init", "--db", str(db_path), "--code", "QY-002",
                 "--center", "https://c.example", "--token", "a.b"])

    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "错误：首次设置站点还缺少：--name（站点名称）、--town（乡镇）、--village（村）、"
        "--partner（合伙人姓名）、--phone（合伙人手机号）")
    assert "center_url" not in settings_of(db_path)
    assert StationProfile.select().count() == 0


def test_a_first_init_with_every_field_sets_the_station_and_its_center(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["init", "--db", str(db_path), *STATION,
                 "--center", "https://c.example", "--token", "a.b"])

    assert code == 0
    assert StationProfile.get().code == "QY-002"
    assert settings_of(db_path)["center_url"] == "https://c.example"
    assert "站点 QY-002 河东村服务站 已设置，中心地址 https://c.example" in (
        capsys.readouterr().out)


def test_a_first_init_with_several_wrong_options_names_every_one(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wrong = [*STATION]
    wrong[wrong.index("--phone") + 1] = "12345"
    wrong[wrong.index("--code") + 1] = "QY 001!"

    code = main(["init", "--db", str(db_path), *wrong])

    lines = [line for line in capsys.readouterr().err.splitlines()
             if line.startswith("错误：")]
    assert code == 2
    assert len(lines) == 2, lines
    assert any("12345" in line for line in lines)
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM station_profile").fetchone() == (0,)
