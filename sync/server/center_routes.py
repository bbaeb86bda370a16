"""Routes of the center's own work (inspections, assessments, …).

Filled by the assessment work; ``create_app`` always includes ``router``.
Use ``sync.server.auth.require_staff(*roles)`` / ``require_station()`` for
access and ``request.app.state.db.connection_context()`` around database
work in each handler.
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
