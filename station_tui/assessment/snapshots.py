"""The latest assessment of each station, stored to be pulled down to it."""

from __future__ import annotations

import json
import uuid

from station_tui.assessment.result import Assessment
from station_tui.domain import clock
from station_tui.records import database_proxy
from station_tui.records.center import AssessmentSnapshot


def store(a: Assessment, *, staff: str) -> int:
    """Write or refresh one snapshot per station for ``a.period``."""
    at = clock.now()
    count = 0
    with database_proxy.obj.atomic():
        for result in a.stations:
            body = json.dumps(Assessment(
                a.period, a.start, a.end, a.as_of, a.rules, a.grading_mode,
                [result], [], a.computed_at).to_dict()["stations"][0],
                ensure_ascii=False)
            old = AssessmentSnapshot.get_or_none(
                AssessmentSnapshot.station == result.code,
                AssessmentSnapshot.period == a.period,
                AssessmentSnapshot.voided_at.is_null())
            if old is None:
                AssessmentSnapshot.create(
                    uuid=uuid.uuid4(), version=1, station=result.code,
                    entered_by=staff, entered_at=at, updated_at=at, period=a.period,
                    computed_at=a.computed_at, rules_hash=a.rules["hash"], result=body)
            else:
                old.result, old.computed_at = body, a.computed_at
                old.rules_hash, old.entered_by = a.rules["hash"], staff
                old.version += 1
                old.updated_at = at
                old.save()
            count += 1
    return count



