"""The station side of sync: push the outbox, pull, restore, report status."""
