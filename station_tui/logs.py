"""Logging to a UTF-8 file in the user's log directory."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path


def log_dir() -> Path:
    from platformdirs import user_log_path

    return user_log_path("station-tui", appauthor=False)


def setup_file_logging(name: str = "station-tui", level: int = logging.INFO,
                       directory: Path | None = None) -> Path:
    """Send this package's logs to ``<log dir>/<name>.log`` (rotated).

    The encoding is explicit: on a Chinese Windows PC the default is GBK,
    which cannot write 𠮷 or an emoji typed into a note (case C08).
    """
    directory = directory or log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.log"
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    return path
