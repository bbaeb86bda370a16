"""Ledger and assessment software for rural e-commerce service stations."""

__version__ = "0.1.0"
