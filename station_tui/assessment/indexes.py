"""The covering indexes the assessment's GROUP BY passes read.

Each index starts with the period column the query ranges over, then the
station it groups by, then every column the aggregate reads, so that a
pass reads the index alone and never the table. The server's schema
migration calls ``ensure(db)``; it is idempotent.
"""

from __future__ import annotations

from peewee import Database

#: (table, index name, columns)
INDEXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("purchase_order", "assess_purchase_order",
     ("ordered_day", "station", "status", "order_kind", "amount_fen",
      "villager_complete", "quantity", "entered_at", "happened_at", "voided_at",
      "platform", "platform_order_no", "goods")),
    ("sale_order", "assess_sale_order",
     ("ordered_day", "station", "status", "amount_fen", "villager_complete",
      "quantity", "entered_at", "happened_at", "voided_at", "channel", "order_no",
      "product")),
    ("refund", "assess_refund",
     ("happened_day", "station", "order_kind", "order", "amount_fen", "voided_at")),
    ("parcel_in", "assess_parcel_in",
     ("happened_day", "station", "handover", "status", "damaged_on_arrival",
      "happened_at", "notified_at", "picked_up_at", "voided_at")),
    ("parcel_out", "assess_parcel_out",
     ("happened_day", "station", "handover", "status", "happened_at", "handed_at",
      "voided_at")),
    ("daily_report", "assess_daily_report",
     ("happened_day", "station", "amends", "voided_at", "submitted_at", "uuid")),
    ("rest_day", "assess_rest_day",
     ("station", "happened_day", "kind", "voided_at")),
    ("open_spell", "assess_open_spell",
     ("happened_day", "station", "opened_at", "closed_at", "voided_at")),
    ("service_record", "assess_service_record",
     ("happened_day", "station", "category", "amount_fen", "voided_at")),
    ("handover", "assess_handover",
     ("uuid", "voided_at", "signed_at", "signer", "courier_name")),
)


def ensure(db: Database) -> None:
    for table, name, columns in INDEXES:
        cols = ", ".join(f'"{c}"' for c in columns)
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({cols})')
