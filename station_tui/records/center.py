"""Records the county center keeps: its stations, and what it enters.

Every center record is stamped with the staff account that entered it.
Models with ``pull_to_station`` set are sent down to stations: those with
``station`` NULL to every station, the others only to that station.
The assessment work adds its models (inspections, on-site rounds,
trainings, campaigns, complaints, …) here and lists them in CENTER_RECORDS.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    IntegerField,
    TextField,
    UUIDField,
)

from station_tui.records.base import BaseModel


class CenterStation(BaseModel):
    """A station as the center knows it (the server's station registry)."""

    code = CharField(max_length=32, primary_key=True)
    name = CharField(max_length=64)
    town = CharField(max_length=64)
    village = CharField(max_length=64)
    #: township | village
    level = CharField(max_length=16, default="village")
    #: active | warned | rectifying | to_be_terminated | terminated
    status = CharField(max_length=24, default="active")
    #: First and last day of service; periods prorate targets by these.
    active_from = DateField()
    active_until = DateField(null=True)
    created_at = BigIntegerField()
    created_by = CharField(max_length=64)


class CenterRecord(BaseModel):
    """Base of what center staff enter: versioned, stamped, voided."""

    pull_to_station: ClassVar[bool] = False

    uuid = UUIDField(primary_key=True, default=uuid.uuid4)
    version = IntegerField(default=1)
    #: The station concerned; NULL for records that concern every station.
    station = CharField(max_length=32, null=True, index=True)
    entered_by = CharField(max_length=64)
    entered_at = BigIntegerField()
    updated_at = BigIntegerField()
    voided_at = BigIntegerField(null=True)
    void_reason = TextField(null=True)

    @classmethod
    def record_kind(cls) -> str:
        return cls._meta.table_name


class ReportRequest(CenterRecord):
    """A statistics report the center asks for, with a deadline (item 6)."""

    pull_to_station = True

    title = CharField(max_length=128)
    description = TextField(default="")
    #: Submissions before this instant are on time (half-open).
    deadline_at = BigIntegerField()


class Notice(CenterRecord):
    """A notice from the center to stations."""

    pull_to_station = True

    title = CharField(max_length=128)
    body = TextField()
    published_at = BigIntegerField()



# --- Assessment records (RULES §2–§5) --------------------------------------
# Scores are stored as integer hundredths of a point ("centi-points") so
# that the engine can add and average them in SQL without float error.


class Holiday(CenterRecord):
    """A public holiday the center declares: a rest day for every station
    that does not count against the two rest days of its week."""

    pull_to_station = True

    day = DateField(index=True)
    name = CharField(max_length=64)


class Partner(CenterRecord):
    """A person who applies to run, or runs, a station (合伙人)."""

    name = CharField(max_length=64)
    #: The partner's own mobile; the center's contact, never published.
    phone = CharField(max_length=16)
    #: candidate | rejected | active | warned | rectifying | terminated
    status = CharField(max_length=16, default="candidate")
    level = IntegerField(default=1)
    #: Terminated for serious misconduct: can never be signed again.
    banned = BooleanField(default=False)


class PartnerEvent(CenterRecord):
    """One step of a partner's life cycle, with date, reason and recorder."""

    partner = UUIDField(index=True)
    #: training | written_test | computer_test | interview | signed | warned |
    #: rectifying | reinstated | upgraded | terminated
    step = CharField(max_length=16)
    #: pass | fail | done
    outcome = CharField(max_length=8, default="done")
    day = DateField()
    reason = TextField(default="")
    level = IntegerField(null=True)
    #: terminated with 永久终止合作
    permanent = BooleanField(default=False)


class Inspection(CenterRecord):
    """A deduction from the total: an unannounced visit (日常督查) and what
    it found, a verified public report, or a leader's or media criticism."""

    pull_to_station = True

    day = DateField(index=True)
    #: visit | public_report | criticism
    kind = CharField(max_length=16, default="visit")
    inspector = CharField(max_length=64)
    refused = BooleanField(default=False)
    poor_work = BooleanField(default=False)
    note = TextField(default="")


class OnsiteRound(CenterRecord):
    """One inspector's on-site score of one item (1, 2, 3, 10 or 12)."""

    pull_to_station = True

    item = IntegerField()
    day = DateField(index=True)
    inspector = CharField(max_length=64)
    #: The item's parts in centi-points, in the order RULES §3 lists them.
    part_a = IntegerField(default=0)
    part_b = IntegerField(default=0)
    part_c = IntegerField(default=0)
    #: Item 1: damage not reported or repaired in time, equipment stopped.
    equipment_down = BooleanField(default=False)
    #: The round's score in centi-points (parts added, or 0 when down).
    score = IntegerField()
    note = TextField(default="")
    photos = TextField(default="")


class TrainingSession(CenterRecord):
    """A training the center held (station NULL: it concerns many)."""

    pull_to_station = True

    title = CharField(max_length=128)
    day = DateField(index=True)
    has_test = BooleanField(default=True)


class Attendance(CenterRecord):
    """One invited station's attendance at one session, and its test."""

    pull_to_station = True

    session = UUIDField(index=True)
    #: present | leave | absent
    presence = CharField(max_length=8)
    late = BooleanField(default=False)
    left_early = BooleanField(default=False)
    #: pass | fail | NULL (no test taken, e.g. absent)
    test = CharField(max_length=4, null=True)


class Campaign(CenterRecord):
    """A marketing campaign the center organised (营销活动)."""

    pull_to_station = True

    title = CharField(max_length=128)
    start_day = DateField()
    end_day = DateField(index=True)


class CampaignEntry(CenterRecord):
    """One station expected at a campaign, and whether it took part fully."""

    pull_to_station = True

    campaign = UUIDField(index=True)
    took_part = BooleanField(default=False)


class Complaint(CenterRecord):
    """A complaint the center recorded against a station."""

    pull_to_station = True

    day = DateField(index=True)
    #: service (item 9) | damage_loss (item 11)
    kind = CharField(max_length=16)
    #: The center attributes it to the station (因站点服务不到位).
    attributed = BooleanField(default=True)
    tracking_no = CharField(max_length=40, default="")
    note = TextField(default="")


class ScoreOverride(CenterRecord):
    """An inspector's score for a ledger part in place of the suggested one."""

    pull_to_station = True

    period = CharField(max_length=16)
    #: purchase_ledger | sale_ledger | parcel_handover
    part = CharField(max_length=16)
    score = IntegerField()  # centi-points
    reason = TextField()


class ClockFlag(CenterRecord):
    """A report that arrived in a batch flagged for clock skew; counted late
    until an inspector accepts it (``accepted_by`` set)."""

    #: daily_report | report_submission
    record_kind_name = CharField(max_length=24)
    record = UUIDField(index=True)
    skew_seconds = IntegerField()
    received_at = BigIntegerField()
    accepted_by = CharField(max_length=64, null=True)
    accepted_at = BigIntegerField(null=True)
    accept_note = TextField(default="")


class Rectification(CenterRecord):
    """A rectification order (责令整改) after a failed assessment."""

    pull_to_station = True

    failed_period = CharField(max_length=16)
    issued_day = DateField()
    deadline_day = DateField()
    note = TextField(default="")


class Termination(CenterRecord):
    """The center's decision on a station marked to be terminated or
    disqualified: executed (with the return checklist) or exempted."""

    #: rectification_failed | last_place | bad_credit | agreement | misconduct
    ground = CharField(max_length=24)
    #: executed | exempted
    decision = CharField(max_length=12)
    day = DateField()
    reason = TextField()
    #: JSON list of the checklist lines ticked (signboard, equipment …)
    checklist = TextField(default="[]")
    permanent = BooleanField(default=False)


class PublishedRanking(CenterRecord):
    """A published quarterly volume ranking, frozen as published."""

    quarter = CharField(max_length=8, unique=True)
    published_at = BigIntegerField()
    #: JSON rows: station, volume_fen, rank (NULL: listed, not ranked), last
    rows = TextField()
    rules_hash = CharField(max_length=16)


class AssessmentSnapshot(CenterRecord):
    """The latest assessment of one station, sent down to it."""

    pull_to_station = True

    period = CharField(max_length=16)
    computed_at = BigIntegerField()
    rules_hash = CharField(max_length=16)
    #: JSON of the station's result (items, breakdown, total, grade, rank)
    result = TextField()


class StationStatus(BaseModel):
    """One row per station that the server keeps current on every batch it
    ingests, so the center console lists 30,000 stations without grouping
    the sync log (kept by ``sync.server.station_status``)."""

    code = CharField(max_length=32, primary_key=True)
    last_received_at = BigIntegerField(null=True)
    last_batch_id = CharField(max_length=36, null=True)
    #: The last batch's client clock minus the server's, seconds.
    clock_offset = IntegerField(null=True)
    clock_flagged = BooleanField(default=False)
    #: Records accepted and changes set aside, over all batches.
    accepted = BigIntegerField(default=0)
    set_aside = IntegerField(default=0)
    #: Unsent changes the station said it still had after its last batch;
    #: None when its client does not say (older versions).
    changes_waiting = IntegerField(null=True)
    updated_at = BigIntegerField()


ASSESSMENT_RECORDS: tuple[type[CenterRecord], ...] = (
    Holiday, Partner, PartnerEvent, Inspection, OnsiteRound, TrainingSession,
    Attendance, Campaign, CampaignEntry, Complaint, ScoreOverride, ClockFlag,
    Rectification, Termination, PublishedRanking, AssessmentSnapshot,
)

CENTER_RECORDS: tuple[type[BaseModel], ...] = (
    CenterStation,
    ReportRequest,
    Notice,
    *ASSESSMENT_RECORDS,
    StationStatus,
)
