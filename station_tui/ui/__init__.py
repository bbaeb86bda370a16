"""The Textual station app."""
