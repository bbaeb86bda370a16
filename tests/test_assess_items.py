"""Table tests: input records → expected item scores (RULES §3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from station_tui.assessment.engine import assess, clamp_total
from station_tui.assessment.rules import parse_rules
from station_tui.records import (
    Handover,
    ParcelIn,
    ParcelOut,
    PurchaseOrder,
    Refund,
    SaleOrder,
)
from station_tui.records.center import (
    Attendance,
    Campaign,
    CampaignEntry,
    Complaint,
    Inspection,
    ScoreOverride,
    TrainingSession,
)
from tests.assess_data import at, center, ledger, onsite, purchases, station

pytestmark = pytest.mark.usefixtures("server_db")
D = Decimal


def result(period: str = "2026", code: str = "S1", **kw: object):
    found = assess(period, **kw)
    return next(r for r in found.stations if r.code == code)


def item(n: int, period: str = "2026", code: str = "S1", **kw: object) -> Decimal:
    return result(period, code, **kw).items[n].score


# --- on-site items 1, 2, 3, 10, 12 ---------------------------------------

def test_onsite_item_is_the_mean_of_its_rounds() -> None:
    station()
    onsite("S1", 2, date(2026, 3, 1), 3, 2)
    onsite("S1", 2, date(2026, 9, 1), 2, 1.5)
    assert item(2) == D("4.25")


def test_onsite_item_can_take_the_latest_round_by_setting() -> None:
    station()
    onsite("S1", 2, date(2026, 3, 1), 3, 2)
    onsite("S1", 2, date(2026, 9, 1), 2, 1.5)
    rules = parse_rules(b'[onsite]\naggregate = "latest"\n', "center.toml")
    assert item(2, rules=rules) == D("3.50")


def test_onsite_mean_is_rounded_half_up_per_item() -> None:
    station()
    for a in (7, 7, 8.01):  # 22.01 / 3 = 7.33666…
        onsite("S1", 1, date(2026, 5, 1), a)
    assert item(1) == D("7.34")


def test_item1_scores_zero_when_equipment_stopped_for_want_of_repair() -> None:
    station()
    onsite("S1", 1, date(2026, 3, 1), 9, equipment_down=True)
    assert item(1) == D("0.00")


def test_onsite_item_without_a_round_scores_zero_with_a_warning() -> None:
    station()
    found = result()
    assert found.items[12].score == D("0.00")
    assert any("第 12 项" in w for w in found.warnings)


def test_onsite_round_outside_the_period_does_not_count() -> None:
    station()
    onsite("S1", 12, date(2025, 12, 31), 5)
    onsite("S1", 12, date(2026, 7, 1), 0)
    assert item(12) == D("0.00")
    assert item(12, "2025") == D("5.00")


# --- item 4, training ------------------------------------------------------

def _session(day: date, code: str, **attendance: object) -> None:
    s = center(TrainingSession, None, title="直播带货培训", day=day)
    values = dict(presence="present", test="pass")
    values.update(attendance)
    center(Attendance, code, session=s.uuid, **values)


@pytest.mark.parametrize(("attendances", "expected"), [
    pytest.param([{}], "5.00", id="full attendance and passed"),
    pytest.param([{"presence": "leave", "test": None}], "4.00", id="one leave"),
    pytest.param([{"presence": "absent", "test": None}], "3.00", id="one absence"),
    pytest.param([{"late": True}], "4.50", id="one late"),
    pytest.param([{"left_early": True}], "4.00", id="an unexcused early leave"),
    pytest.param([{"presence": "leave", "test": None},
                  {"presence": "absent", "test": None},
                  {"late": True}, {"left_early": True}], "0.50", id="one of each"),
    pytest.param([{"test": "fail"}], "5.00", id="one failed test costs nothing"),
    pytest.param([{"test": "fail"}, {"test": "fail"}], "0.00", id="two failed tests"),
    pytest.param([{"presence": "absent", "test": None}] * 3, "0.00",
                 id="three absences floor at 0"),
])
def test_training_score(attendances: list[dict], expected: str) -> None:
    station()
    for n, values in enumerate(attendances):
        _session(date(2026, 3, 1 + n), "S1", **values)
    assert item(4) == D(expected)


def test_an_absence_is_not_also_a_failed_test() -> None:
    station()
    _session(date(2026, 3, 1), "S1", presence="absent", test=None)
    _session(date(2026, 4, 1), "S1", test="fail")
    assert item(4) == D("3.00")


def test_every_training_deduction_names_its_attendance_record() -> None:
    station()
    _session(date(2026, 3, 1), "S1", late=True)
    lines = result().items[4].lines
    assert [line.points for line in lines] == [D(5), D("-0.5")]
    assert len(lines[1].refs) == 1 and "迟到" in lines[1].text


# --- item 5, campaigns ---------------------------------------------------

@pytest.mark.parametrize(("missed", "expected"), [(0, "5.00"), (1, "3.00"),
                                                  (2, "1.00"), (3, "0.00")])
def test_campaigns_cost_two_points_each_missed(missed: int, expected: str) -> None:
    station()
    for n in range(4):
        c = center(Campaign, None, title=f"年货节{n}", start_day=date(2026, 1, 5),
                   end_day=date(2026, 1, 20 + n))
        center(CampaignEntry, "S1", campaign=c.uuid, took_part=n >= missed)
    assert item(5) == D(expected)


# --- items 7 and 8, orders ---------------------------------------------

def test_purchase_volume_is_the_share_of_the_annual_target() -> None:
    station()
    purchases("S1", date(2026, 3, 1), 250)
    found = result().items[7]
    assert found.score == D("7.50")  # 5 × 250/500 + 5 × all complete
    assert "250 / 目标 500" in found.lines[0].text


def test_purchase_volume_is_capped_at_the_target() -> None:
    station()
    purchases("S1", date(2026, 3, 1), 600)
    assert item(7) == D("10.00")


def test_half_year_halves_the_targets() -> None:
    station()
    purchases("S1", date(2026, 3, 1), 250)
    assert item(7, "2026H1") == D("10.00")
    assert result("2026H1").targets == (250, 50)


def test_station_that_joined_in_may_has_prorated_targets() -> None:
    station(active_from=date(2026, 5, 1))
    purchases("S1", date(2026, 6, 1), 168)
    found = result()
    # May 1 – Dec 31 is 245 days: ceil(500 × 245 / 365) = 336, ceil(100 × …) = 68
    assert found.targets == (336, 68)
    assert found.items[7].score == D("7.50")


def test_cancelled_and_fully_returned_orders_do_not_count() -> None:
    station()
    purchases("S1", date(2026, 3, 1), 100)
    purchases("S1", date(2026, 3, 1), 50, status="cancelled")
    purchases("S1", date(2026, 3, 1), 50, status="returned")
    assert item(7) == D("6.00")


def test_no_counted_order_scores_the_whole_item_zero() -> None:
    station()
    purchases("S1", date(2026, 3, 1), 5, status="cancelled")
    assert item(7) == D("0.00")


def test_ledger_part_is_the_share_complete_and_entered_in_time() -> None:
    station()
    purchases("S1", date(2026, 3, 1), 60)
    purchases("S1", date(2026, 3, 1), 20, villager_complete=False)
    purchases("S1", date(2026, 3, 1), 10, platform_order_no=None)
    late = at(date(2026, 3, 1), 10) + 24 * 3600 + 1
    purchases("S1", date(2026, 3, 1), 10, entered_at=late)
    # 100 orders: volume 5 × 100/500 = 1; ledger 5 × 60/100 = 3
    assert item(7) == D("4.00")


def test_an_order_entered_exactly_24_hours_later_is_in_time() -> None:
    station()
    purchases("S1", date(2026, 3, 1), 10,
              entered_at=at(date(2026, 3, 1), 10) + 24 * 3600)
    assert item(7) == D("5.10")


def test_an_order_counts_in_the_period_it_was_ordered() -> None:
    station()
    purchases("S1", date(2026, 6, 30), 50)
    assert item(7, "2026Q2") == D("7.00")  # target 125: 5 × 50/125 + 5
    assert item(7, "2026Q3") == D("0.00")


def test_inspector_override_of_the_ledger_part_keeps_its_reason() -> None:
    station()
    purchases("S1", date(2026, 3, 1), 100, villager_complete=False)
    center(ScoreOverride, "S1", period="2026", part="purchase_ledger", score=400,
           reason="纸质台账齐全，系统漏填")
    found = result().items[7]
    assert found.score == D("5.00")
    assert "纸质台账齐全" in found.lines[1].text


def test_sale_orders_through_the_o2o_showroom_count() -> None:
    station()
    when = at(date(2026, 4, 2), 9)
    for channel in ("platform", "o2o"):
        for _ in range(25):
            ledger(SaleOrder, "S1", when, villager_complete=True, product="小米",
                   quantity=1, unit_price_fen=5000, amount_fen=5000, channel=channel,
                   order_no="O1", status="completed", ordered_at=when,
                   ordered_day=date(2026, 4, 2))
    assert item(8) == D("7.50")


# --- item 9, parcels; item 11, custody --------------------------------

def _parcel_in(code: str, day: date, *, listed: bool = True, notified_after: int = 3600,
               **fields: object) -> ParcelIn:
    arrived = at(day, 9)
    handover = None
    if listed:
        handover = ledger(Handover, code, arrived, direction="in", carrier="yto",
                          courier_name="李师傅", signer="王站长", signed_at=arrived).uuid
    values = dict(tracking_no=f"YT{arrived}{id(fields)}", carrier="yto",
                  shelf_slot="A1", pickup_code="1-1", handover=handover,
                  notified_at=arrived + notified_after)
    values.update(fields)
    return ledger(ParcelIn, code, arrived, **values)


def test_parcels_score_handover_share_and_timely_share() -> None:
    station()
    for n in range(8):
        _parcel_in("S1", date(2026, 5, 1 + n))
    _parcel_in("S1", date(2026, 5, 20), listed=False)
    _parcel_in("S1", date(2026, 5, 21), notified_after=24 * 3600 + 1)
    # handover 5 × 9/10 = 4.5; timely 5 × 9/10 = 4.5
    assert item(9) == D("9.00")


def test_parcel_timeliness_can_be_all_or_nothing_by_setting() -> None:
    station()
    _parcel_in("S1", date(2026, 5, 1))
    _parcel_in("S1", date(2026, 5, 2), notified_after=25 * 3600)
    rules = parse_rules(b'[parcels]\ntimely_mode = "all_or_nothing"\n', "c.toml")
    assert item(9, rules=rules) == D("5.00")


def test_outbound_parcel_handed_over_after_24_hours_is_late() -> None:
    station()
    accepted = at(date(2026, 5, 1), 9)
    h = ledger(Handover, "S1", accepted, direction="out", carrier="sf",
               courier_name="赵", signer="王", signed_at=accepted + 90_000)
    ledger(ParcelOut, "S1", accepted, carrier="sf", weight_g=500, fee_fen=1200,
           status="handed_over", handover=h.uuid, handed_at=accepted + 90_000)
    assert item(9) == D("5.00")


def test_each_service_complaint_costs_a_point_down_to_zero() -> None:
    station()
    _parcel_in("S1", date(2026, 5, 1))
    center(Complaint, "S1", day=date(2026, 6, 1), kind="service")
    center(Complaint, "S1", day=date(2026, 6, 2), kind="service", attributed=False)
    assert item(9) == D("9.00")
    for n in range(12):
        center(Complaint, "S1", day=date(2026, 7, 1 + n), kind="service")
    assert item(9) == D("0.00")


def test_damage_complaint_counts_in_item_11_only() -> None:
    station()
    _parcel_in("S1", date(2026, 5, 1))
    center(Complaint, "S1", day=date(2026, 6, 1), kind="damage_loss")
    assert item(9) == D("10.00")
    assert item(11) == D("5.00")


def test_parcel_lost_at_the_station_zeroes_the_custody_part() -> None:
    station()
    _parcel_in("S1", date(2026, 5, 1), status="lost")
    assert item(11) == D("5.00")


def test_parcel_damaged_on_arrival_is_the_couriers_and_does_not_count() -> None:
    station()
    parcel = _parcel_in("S1", date(2026, 5, 1), status="damaged",
                        damaged_on_arrival=True)
    center(Complaint, "S1", day=date(2026, 5, 3), kind="damage_loss",
           tracking_no=parcel.tracking_no)
    assert item(11) == D("10.00")


def test_parcel_damaged_after_intake_counts() -> None:
    station()
    _parcel_in("S1", date(2026, 5, 1), status="damaged")
    assert item(11) == D("5.00")


# --- inspections and the total -------------------------------------------

def test_inspection_deductions_come_off_the_total_per_finding() -> None:
    station()
    onsite("S1", 1, date(2026, 3, 1), 10)
    center(Inspection, "S1", day=date(2026, 4, 1), inspector="甲", refused=True,
           poor_work=True)
    center(Inspection, "S1", day=date(2026, 5, 1), inspector="乙", poor_work=True)
    center(Inspection, "S1", day=date(2026, 6, 1), inspector="乙", kind="public_report")
    center(Inspection, "S1", day=date(2026, 7, 1), inspector="乙", kind="criticism")
    found = result()
    assert found.deductions == D("35.00")
    assert len(found.deduction_lines) == 5
    items_sum = sum(i.score for i in found.items.values())
    assert found.total == max(D(0), items_sum - D(35))


def test_total_floors_at_zero() -> None:
    station()
    for n in range(4):
        center(Inspection, "S1", day=date(2026, 4, 1 + n), inspector="甲",
               kind="criticism")
    assert result().total == D("0.00")


@pytest.mark.parametrize(("items_sum", "deductions", "expected"), [
    ("100", "0", "100"), ("104", "0", "100"), ("100", "5", "95"),
    ("20", "35", "0"),
])
def test_total_is_clamped_to_0_and_100(items_sum: str, deductions: str,
                                       expected: str) -> None:
    assert clamp_total(D(items_sum), D(deductions)) == D(expected)


def test_refunds_reduce_volume_but_not_the_order_count() -> None:
    station()
    purchases("S1", date(2026, 3, 1), 10)
    purchases("S1", date(2026, 3, 2), 1, amount_fen=5000)
    one = PurchaseOrder.get(PurchaseOrder.amount_fen == 5000)
    ledger(Refund, "S1", at(date(2026, 3, 5)), order_kind="purchase", order=one.uuid,
           amount_fen=2000, reason="少发一件")
    found = result()
    assert found.volume_fen == 10 * 10_000 + 5000 - 2000
    assert found.items[7].lines[0].text.startswith("代购单量 11 ")
