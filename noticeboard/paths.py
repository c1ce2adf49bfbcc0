"""Where a node keeps its files."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "noticeboard"


def default_data_dir() -> Path:
    """NOTICEBOARD_HOME if set, else the platform's per-user data folder."""
    env = os.environ.get("NOTICEBOARD_HOME")
    return Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_key_file() -> Path | None:
    """A key file named by NOTICEBOARD_KEY_FILE or handed over as a systemd credential."""
    env = os.environ.get("NOTICEBOARD_KEY_FILE")
    if env:
        return Path(env)
    creds = os.environ.get("CREDENTIALS_DIRECTORY")
    if creds and (Path(creds) / "noticeboard-key").exists():
        return Path(creds) / "noticeboard-key"
    return None
