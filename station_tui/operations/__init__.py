"""Ledger actions. Each runs in one transaction with its outbox rows."""
