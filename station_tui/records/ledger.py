"""The records a station writes at the counter."""

from __future__ import annotations

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    IntegerField,
    TextField,
    UUIDField,
)

from station_tui.records.base import Record

# Status values are stored as short English codes; the UI maps them to
# Chinese labels (station_tui.domain.labels).


class Villager(Record):
    """A villager the station serves, remembered to fill forms quickly."""

    personal_fields = ("name", "phone", "address")
    local_fields = ("phone_last4", "name_initials")
    phone_field = "phone"

    name = CharField(max_length=64, null=True)
    phone = CharField(max_length=16, null=True)
    address = TextField(null=True)
    phone_last4 = CharField(max_length=4, default="")
    name_initials = CharField(max_length=32, default="")
    erased_at = BigIntegerField(null=True)
    #: Why the personal data was erased (the villager's request, as told).
    erase_reason = TextField(null=True)


class OpenSpell(Record):
    """One stretch of the station being open; a day may have several."""

    opened_at = BigIntegerField()
    closed_at = BigIntegerField(null=True)
    #: ``clock`` when closed at the counter, ``settled`` when an unclosed
    #: spell (a power cut) was closed at the next start.
    close_kind = CharField(max_length=16, null=True)


class RestDay(Record):
    """A declared rest day; happened_day is the day of rest."""

    declared_at = BigIntegerField()
    #: ``rest`` (counts against 2 a week) or ``holiday`` (center-declared).
    kind = CharField(max_length=16, default="rest")


class Handover(Record):
    """A handover list (交接清单) with a courier, in either direction."""

    direction = CharField(max_length=8)  # in | out
    carrier = CharField(max_length=16)
    courier_name = CharField(max_length=64)
    #: Both empty while an incoming list is still open (parcels being
    #: scanned onto it); a list counts for scoring only once signed.
    signer = CharField(max_length=64, null=True)
    signed_at = BigIntegerField(null=True)
    note = TextField(null=True)


class ParcelIn(Record):
    """An inbound parcel held for pickup (代收); happened_at is arrival."""

    personal_fields = ("recipient_name", "recipient_phone", "proxy_name")
    local_fields = ("phone_last4", "name_initials")
    phone_field = "recipient_phone"

    tracking_no = CharField(max_length=40)
    carrier = CharField(max_length=16)
    recipient_name = CharField(max_length=64, null=True)
    recipient_phone = CharField(max_length=16, null=True)
    phone_last4 = CharField(max_length=4, default="")
    name_initials = CharField(max_length=32, default="")
    villager = UUIDField(null=True)
    damaged_on_arrival = BooleanField(default=False)
    arrival_note = TextField(null=True)
    shelf_slot = CharField(max_length=16)
    pickup_code = CharField(max_length=16)
    #: waiting | picked_up | damaged | lost | refused | returned
    status = CharField(max_length=16, default="waiting")
    notified_at = BigIntegerField(null=True)
    notify_method = CharField(max_length=16, null=True)  # call | sms | wechat
    picked_up_at = BigIntegerField(null=True)
    picked_up_by = CharField(max_length=8, null=True)  # self | proxy
    proxy_name = CharField(max_length=64, null=True)
    handover = UUIDField(null=True)
    exception_at = BigIntegerField(null=True)
    exception_note = TextField(null=True)

    class Meta:
        indexes = (
            (("phone_last4", "happened_at", "uuid"), False),
            (("name_initials", "happened_at", "uuid"), False),
            (("status", "happened_at", "uuid"), False),
            (("happened_at", "uuid"), False),
            (("pickup_code",), False),
            (("handover",), False),
        )


class ParcelOut(Record):
    """An outbound parcel accepted for a villager (代寄)."""

    personal_fields = ("sender_name", "sender_phone", "destination")
    local_fields = ("phone_last4", "name_initials")
    phone_field = "sender_phone"

    tracking_no = CharField(max_length=40, null=True, index=True)
    carrier = CharField(max_length=16)
    sender_name = CharField(max_length=64, null=True)
    sender_phone = CharField(max_length=16, null=True)
    phone_last4 = CharField(max_length=4, default="")
    name_initials = CharField(max_length=32, default="")
    destination = TextField(null=True)
    #: The destination's province or city, kept for statistics.
    destination_region = CharField(max_length=32, default="")
    weight_g = IntegerField()
    fee_fen = IntegerField()
    #: accepted | handed_over | returned | damaged | lost
    status = CharField(max_length=16, default="accepted")
    handover = UUIDField(null=True)
    handed_at = BigIntegerField(null=True)
    exception_note = TextField(null=True)

    class Meta:
        # Keyset paging of the parcel lists, newest first (case C10).
        indexes = (
            (("status", "happened_at", "uuid"), False),
            (("happened_at", "uuid"), False),
            (("handover",), False),
        )


class PurchaseOrder(Record):
    """Goods bought online for a villager (代购)."""

    personal_fields = ("villager_name", "villager_phone")
    local_fields = ("phone_last4", "name_initials")
    phone_field = "villager_phone"

    villager = UUIDField(null=True)
    villager_name = CharField(max_length=64, null=True)
    villager_phone = CharField(max_length=16, null=True)
    phone_last4 = CharField(max_length=4, default="")
    name_initials = CharField(max_length=32, default="")
    #: Both name and phone were filled (what the center may know of them).
    villager_complete = BooleanField(default=False)
    goods = CharField(max_length=200)
    quantity = IntegerField()
    amount_fen = IntegerField()
    platform = CharField(max_length=32)
    platform_order_no = CharField(max_length=64, null=True, index=True)
    service_fee_fen = IntegerField(default=0)
    #: registered | ordered | arrived | picked_up | cancelled | returned
    status = CharField(max_length=16, default="registered")
    ordered_at = BigIntegerField(null=True)
    ordered_day = DateField(null=True, index=True)
    arrived_at = BigIntegerField(null=True)
    notified_at = BigIntegerField(null=True)
    picked_up_at = BigIntegerField(null=True)
    cancel_reason = TextField(null=True)
    #: For a return or exchange: the order it comes from.
    original = UUIDField(null=True)
    #: ``order``, ``exchange`` (a replacement order linked to ``original``).
    order_kind = CharField(max_length=16, default="order")


class SaleOrder(Record):
    """A villager's farm product or tourism offer sold online (代销)."""

    personal_fields = ("seller_name", "seller_phone", "buyer")
    local_fields = ("phone_last4", "name_initials")
    phone_field = "seller_phone"

    villager = UUIDField(null=True)
    seller_name = CharField(max_length=64, null=True)
    seller_phone = CharField(max_length=16, null=True)
    phone_last4 = CharField(max_length=4, default="")
    name_initials = CharField(max_length=32, default="")
    villager_complete = BooleanField(default=False)
    product = CharField(max_length=200)
    offer_kind = CharField(max_length=16, default="product")  # product | tourism
    quantity = IntegerField()
    unit_price_fen = IntegerField()
    amount_fen = IntegerField()
    #: ``platform`` (an online shop) or ``o2o`` (the county O2O showroom)
    channel = CharField(max_length=16)
    channel_name = CharField(max_length=64, default="")
    buyer = CharField(max_length=64, null=True)
    order_no = CharField(max_length=64, null=True, index=True)
    service_fee_fen = IntegerField(default=0)
    #: registered | ordered | shipped | completed | cancelled | returned
    status = CharField(max_length=16, default="registered")
    ordered_at = BigIntegerField(null=True)
    ordered_day = DateField(null=True, index=True)
    cancel_reason = TextField(null=True)


class Refund(Record):
    """Money returned on an order: its own record, positive amount."""

    order_kind = CharField(max_length=16)  # purchase | sale
    order = UUIDField(index=True)
    amount_fen = IntegerField()
    reason = TextField()
    #: ``return`` (goods came back) or ``refund`` (money only)
    refund_kind = CharField(max_length=16, default="refund")


class ServiceRecord(Record):
    """A bill payment, top-up, booking or financial service for a villager."""

    personal_fields = ("customer_name", "customer_phone", "account")
    local_fields = ("phone_last4", "name_initials")
    phone_field = "customer_phone"

    #: payment | booking | financial
    category = CharField(max_length=16)
    #: water, electricity, internet, phone; train, air, hotel;
    #: loan_referral, withdrawal, lottery
    kind = CharField(max_length=24)
    villager = UUIDField(null=True)
    customer_name = CharField(max_length=64, null=True)
    customer_phone = CharField(max_length=16, null=True)
    phone_last4 = CharField(max_length=4, default="")
    name_initials = CharField(max_length=32, default="")
    account = CharField(max_length=64, null=True)
    amount_fen = IntegerField()
    fee_fen = IntegerField(default=0)
    note = TextField(null=True)


class DailyReport(Record):
    """The daily report (日报) for happened_day; locked once submitted.

    An amendment is a new record whose ``amends`` names the original; the
    original keeps its submission time, and so its timeliness.
    """

    submitted_at = BigIntegerField()
    #: The day's figures as compiled when submitted (JSON text).
    figures = TextField()
    note = TextField(default="")
    amends = UUIDField(null=True, index=True)


class ReportSubmission(Record):
    """A station's answer to a center ReportRequest; happened_at is when sent."""

    request = UUIDField(index=True)
    content = TextField()


# A tracking number is taken in once per station; a voided mis-scan frees it.
ParcelIn.add_index(
    ParcelIn.index(ParcelIn.station, ParcelIn.tracking_no, unique=True).where(
        ParcelIn.voided_at.is_null()
    )
)

# Keyset paging of the ledger search (台账), newest first on (happened_at,
# uuid): a search by the phone's last four or the name's initials walks its
# own index already in that order, and an unfiltered search walks the time
# index, so a page never sorts the whole table (case C10). The parcel tables
# declare theirs in Meta. The composite indexes also serve lookups by last
# four or initials alone, so those columns need no index of their own.
for _model in (PurchaseOrder, SaleOrder, ServiceRecord, Refund, Villager):
    _model.add_index(_model.happened_at, _model.uuid)
for _model in (ParcelOut, PurchaseOrder, SaleOrder, ServiceRecord, Villager):
    _model.add_index(_model.phone_last4, _model.happened_at, _model.uuid)
    _model.add_index(_model.name_initials, _model.happened_at, _model.uuid)
ParcelIn.add_index(ParcelIn.tracking_no)
del _model

#: Records a station writes and pushes, in dependency order.
STATION_RECORDS: tuple[type[Record], ...] = (
    Villager,
    OpenSpell,
    RestDay,
    Handover,
    ParcelIn,
    ParcelOut,
    PurchaseOrder,
    SaleOrder,
    Refund,
    ServiceRecord,
    DailyReport,
    ReportSubmission,
)

RECORDS_BY_KIND: dict[str, type[Record]] = {m.record_kind(): m for m in STATION_RECORDS}
