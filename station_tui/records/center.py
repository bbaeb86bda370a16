"""Records the county center keeps (inspections, trainings, …).

Filled in by the assessment work; the server schema creates every model
listed in CENTER_RECORDS.
"""

from __future__ import annotations

from station_tui.records.base import BaseModel

CENTER_RECORDS: tuple[type[BaseModel], ...] = ()
