"""Grades, caps, ranking ties, quarterly last places and streaks (RULES §3–§4)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from station_tui.assessment import grading
from station_tui.assessment.engine import assess
from station_tui.assessment.rules import load_rules, parse_rules
from station_tui.records.center import PublishedRanking, Termination
from tests.assess_data import center, purchases, station

D = Decimal


def _grade(scores: list[str], mode: str = "caps", volumes: list[int] | None = None,
           ) -> list[str]:
    rules = parse_rules(f'[grading]\nmode = "{mode}"\n'.encode(), "c.toml")
    volumes = volumes or [0] * len(scores)
    entries = [grading.Entry(f"S{n:02d}", D(s), v)
               for n, (s, v) in enumerate(zip(scores, volumes))]
    grading.grade(entries, rules)
    return [e.grade for e in entries]


@pytest.mark.parametrize(("score", "band"), [
    ("100", "excellent"), ("95", "excellent"), ("94.99", "good"), ("80", "good"),
    ("79.99", "pass"), ("60", "pass"), ("59.99", "fail"), ("0", "fail"),
])
def test_each_boundary_belongs_to_the_higher_band(score: str, band: str) -> None:
    assert _grade([score], "threshold") == [band]


def test_caps_drop_the_lower_ranked_excellent_stations_to_good() -> None:
    # 20 stations: 优秀 cap floor(20 × 10 %) = 2, 良好 cap 6.
    scores = ["99", "98", "97", "96"] + ["85"] * 4 + ["70"] * 11 + ["50"]
    grades = _grade(scores, volumes=list(range(20, 0, -1)))
    assert grades[:4] == ["excellent", "excellent", "good", "good"]
    assert grades[4:8] == ["good"] * 4
    assert grades[8:19] == ["pass"] * 11
    assert grades[19] == "fail"


def test_caps_push_good_overflow_to_pass_but_never_to_fail() -> None:
    scores = ["90"] * 10
    grades = _grade(scores, volumes=list(range(10, 0, -1)))
    assert grades == ["good"] * 3 + ["pass"] * 7


def test_stations_tied_at_a_cap_boundary_are_all_out_under_caps() -> None:
    # 10 stations: one 优秀 place; two stations tie on score and volume.
    grades = _grade(["97", "97"] + ["70"] * 8, volumes=[5, 5] + [1] * 8)
    assert grades[:2] == ["good", "good"]


def test_volume_breaks_a_score_tie_at_the_cap() -> None:
    grades = _grade(["97", "97"] + ["70"] * 8, volumes=[4, 5] + [1] * 8)
    assert grades[:2] == ["good", "excellent"]


def test_forced_mode_fills_every_band_by_rank() -> None:
    scores = [str(100 - n) for n in range(20)]
    grades = _grade(scores, "forced")
    assert grades.count("excellent") == 2 and grades.count("good") == 6
    assert grades.count("fail") == 1 and grades[-1] == "fail"
    assert grades.count("pass") == 11


def test_distribution_shows_actual_beside_expected_shares() -> None:
    rules = load_rules()
    entries = [grading.Entry(f"S{n}", D(s), 0) for n, s in
               enumerate(["96", "85", "70", "50"])]
    grading.grade(entries, rules)
    shares = {b.code: (b.count, b.actual, b.expected)
              for b in grading.distribution(entries, rules)}
    # 4 stations: cap of 优秀 is floor(0.4) = 0, of 良好 floor(1.2) = 1.
    assert shares["excellent"] == (0, D("0.0000"), D("0.10"))
    assert shares["good"] == (1, D("0.2500"), D("0.30"))
    assert shares["pass"] == (2, D("0.5000"), D("0.55"))
    assert shares["fail"] == (1, D("0.2500"), D("0.05"))


# --- through the engine -----------------------------------------------------

@pytest.mark.usefixtures("server_db")
def test_half_year_is_computed_and_shown_but_not_graded() -> None:
    station()
    found = assess("2026H1")
    assert found.grading_mode is None and found.stations[0].grade is None
    assert assess("2026").stations[0].grade == "fail"


@pytest.mark.usefixtures("server_db")
def test_ranking_breaks_equal_totals_by_volume_then_code() -> None:
    for code in ("B", "A", "C"):
        station(code)
    purchases("C", date(2026, 3, 1), 1, amount_fen=1, villager_complete=False)
    purchases("B", date(2026, 3, 1), 1, amount_fen=2, villager_complete=False)
    purchases("A", date(2026, 3, 1), 1, amount_fen=2, villager_complete=False)
    found = assess("2026")
    assert [(r.code, r.rank) for r in found.stations] == [("A", 1), ("B", 2), ("C", 3)]


def _quarters(result) -> dict[str, dict[str, dict]]:
    return {q["name"]: {r["station"]: r for r in q["rows"]}
            for q in result.extras["quarters"]}


@pytest.mark.usefixtures("server_db")
def test_every_station_tied_at_the_lowest_volume_is_last() -> None:
    for code in ("A", "B", "C"):
        station(code)
    purchases("A", date(2026, 2, 1), 3)
    purchases("B", date(2026, 2, 1), 1)
    purchases("C", date(2026, 2, 1), 1)
    q1 = _quarters(assess("2026"))["2026Q1"]
    assert [q1[c]["rank"] for c in "ABC"] == [1, 2, 2]
    assert [q1[c]["last"] for c in "ABC"] == [False, True, True]


@pytest.mark.usefixtures("server_db")
def test_third_consecutive_last_quarter_marks_the_station_to_terminate() -> None:
    station("A", active_from=date(2026, 1, 1))
    station("Z", active_from=date(2026, 1, 1))
    for month in (1, 4, 7):
        purchases("A", date(2026, month, 5), 2)
        purchases("Z", date(2026, month, 5), 1)
    purchases("Z", date(2026, 10, 5), 5)
    found = assess("2026")
    assert found.extras["last_place_streaks"] == {"A": 1}  # Q4 ended Z's run
    q3 = assess("2026Q3")
    assert q3.extras["last_place_streaks"] == {"Z": 3}
    assert q3.extras["to_terminate"] == [{"station": "Z", "quarters": 3,
                                          "decision": None}]


@pytest.mark.usefixtures("server_db")
def test_streaks_run_across_the_year_end() -> None:
    station("A", active_from=date(2025, 10, 1))
    station("Z", active_from=date(2025, 10, 1))
    for day in (date(2025, 11, 5), date(2026, 2, 5), date(2026, 5, 5)):
        purchases("A", day, 2)
    found = assess("2026H1")
    assert found.extras["last_place_streaks"] == {"Z": 3}


@pytest.mark.usefixtures("server_db")
def test_when_every_station_has_the_same_volume_all_are_last() -> None:
    station("A", active_from=date(2026, 1, 1))
    station("Z", active_from=date(2026, 1, 1))
    assert assess("2026Q1").extras["last_place_streaks"] == {"A": 1, "Z": 1}


@pytest.mark.usefixtures("server_db")
def test_a_station_not_active_all_quarter_is_listed_unranked_and_ends_a_streak(
) -> None:
    station("A")
    station("Z")
    station("N", active_from=date(2026, 5, 10))
    purchases("A", date(2026, 2, 1), 1)
    q = _quarters(assess("2026H1"))
    assert q["2026Q2"]["N"]["rank"] is None and not q["2026Q2"]["N"]["last"]
    assert "N" not in q["2026Q1"]


@pytest.mark.usefixtures("server_db")
def test_a_published_quarter_is_frozen_and_corrections_are_shown() -> None:
    station("A")
    station("Z")
    purchases("A", date(2026, 1, 5), 2)
    center(PublishedRanking, None, quarter="2026Q1", published_at=0,
           rules_hash="x", rows=json.dumps([
               {"station": "A", "volume_fen": 20000, "rank": 1, "last": False},
               {"station": "Z", "volume_fen": 0, "rank": 2, "last": True}]))
    purchases("Z", date(2026, 1, 6), 5)  # a later correction
    z = _quarters(assess("2026Q1"))["2026Q1"]["Z"]
    assert z["last"] is True and z["published_fen"] == 0
    assert z["volume_fen"] == 50_000


@pytest.mark.usefixtures("server_db")
def test_a_recorded_decision_is_shown_beside_the_station_to_terminate() -> None:
    station("A", active_from=date(2026, 1, 1))
    station("Z", active_from=date(2026, 1, 1))
    for month in (1, 4, 7):
        purchases("A", date(2026, month, 5), 2)
    center(Termination, "Z", ground="last_place", decision="exempted",
           day=date(2026, 10, 8), reason="新站点扶持期")
    assert assess("2026Q3").extras["to_terminate"][0]["decision"] == "exempted"
