"""Sync between station PCs and the county center.

``sync.wire``   the wire format (pydantic models derived from the Peewee ones)
``sync.client`` the station side: push the outbox, pull, restore
``sync.server`` the center server (FastAPI): ingest, pull, accounts
"""
