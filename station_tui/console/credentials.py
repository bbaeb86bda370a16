"""The staff token, asked for once and kept in the user's config directory.

The file holds one token per server URL and is readable by its owner only
(mode 0600): a token is as good as the staff member's password.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

FILE_NAME = "console-tokens.json"


def config_file() -> Path:
    from platformdirs import user_config_path

    return user_config_path("station-tui", appauthor=False) / FILE_NAME


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.warning("token file %s unreadable; asking again", path)
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write(path: Path, tokens: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created with 0600 from the start, so the token is never readable by
    # others, not even for a moment; chmod again for a file made earlier.
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(handle, "w", encoding="utf-8") as out:
        json.dump(tokens, out, ensure_ascii=False, indent=1)
    os.chmod(path, 0o600)


def server_key(url: str) -> str:
    return url.rstrip("/")


def load_token(url: str, path: Path | None = None) -> str | None:
    return _read(path or config_file()).get(server_key(url))


def save_token(url: str, token: str, path: Path | None = None) -> Path:
    path = path or config_file()
    tokens = _read(path)
    tokens[server_key(url)] = token.strip()
    _write(path, tokens)
    log.info("staff token for %s kept in %s", server_key(url), path)
    return path


def forget_token(url: str, path: Path | None = None) -> None:
    path = path or config_file()
    tokens = _read(path)
    if tokens.pop(server_key(url), None) is not None:
        _write(path, tokens)
