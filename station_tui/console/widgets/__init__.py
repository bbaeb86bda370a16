"""Widgets of the center console."""
