"""The node's settings file: one TOML file per node (see deploy/config.example.toml).

This module reads the file and the node-wide settings in it (``[node]``: the centre's name,
village, location and language; ``[kiosk]``), for every front end. What only sync needs
(``[sync]``, ``[mdns]``) is read on top of these by ``sync.config``. Every key is optional; a
missing file means all defaults.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from noticeboard.geo import parse_location

CONFIG_NAME = "config.toml"
CONFIG_ENV = "NOTICEBOARD_CONFIG"
DEFAULT_IDLE = 120.0
# The tables read here; sync.config adds its own.
NODE_TABLES = ("node", "kiosk")


class SettingsError(ValueError):
    """The settings file cannot be read or has a wrong value; ``detail`` says which."""

    def __init__(self, path: Path | None, detail: str) -> None:
        super().__init__(f"{path}: {detail}" if path else detail)
        self.path = path
        self.detail = detail


@dataclass(frozen=True)
class Settings:
    """The node-wide settings, with defaults for everything not in the file."""

    path: Path | None = None
    name: str = ""
    village: str = ""
    location: str = ""
    language: str = "nl"
    kiosk_idle_timeout: float = DEFAULT_IDLE
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def settings_path(data_dir: Path, explicit: str | Path | None = None) -> Path:
    """Which file to read: --config, else NOTICEBOARD_CONFIG, else ``config.toml`` in the data folder."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(CONFIG_ENV)
    return Path(env) if env else data_dir / CONFIG_NAME


def read_file(path: Path) -> tuple[dict[str, Any], Path | None]:
    """The parsed TOML and the path it came from; a missing file gives ``({}, None)``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        raise SettingsError(path, f"cannot be read ({exc.strerror})") from exc
    try:
        return tomllib.loads(raw.decode("utf-8")), path
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(path, f"is not valid TOML ({exc})") from exc


def table(data: dict[str, Any], name: str, path: Path | None) -> dict[str, Any]:
    """One ``[name]`` table of the file (empty when absent)."""
    found = data.get(name, {})
    if not isinstance(found, dict):
        raise SettingsError(path, f"[{name}] must be a table")
    return found


def value(section: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any, path: Path | None,
          name: str) -> Any:
    """``section[key]`` checked to be of kind, or default when the key is absent."""
    if key not in section:
        return default
    found = section[key]
    # TOML booleans are Python ints; ``port = true`` must still be refused.
    if (isinstance(found, bool) and kind is not bool) or not isinstance(found, kind):
        raise SettingsError(path, f"[{name}] {key} has the wrong type")
    return found


def node_fields(data: dict[str, Any], path: Path | None) -> dict[str, Any]:
    """The node-wide settings of parsed TOML as keyword arguments of :class:`Settings`, each checked."""
    node, kiosk = table(data, "node", path), table(data, "kiosk", path)
    language = value(node, "language", str, "nl", path, "node")
    if language not in ("nl", "en"):
        raise SettingsError(path, "[node] language must be \"nl\" or \"en\"")
    location = value(node, "location", str, "", path, "node")
    if location.strip():
        try:
            parse_location(location)
        except ValueError as exc:
            raise SettingsError(path, f"[node] location: {exc}") from exc
    idle = float(value(kiosk, "idle_timeout", (int, float), DEFAULT_IDLE, path, "kiosk"))
    if idle <= 0:
        raise SettingsError(path, "[kiosk] idle_timeout must be more than 0 seconds")
    return {
        "path": path,
        "name": value(node, "name", str, "", path, "node"),
        "village": value(node, "village", str, "", path, "node"),
        "location": location,
        "language": language,
        "kiosk_idle_timeout": idle,
    }


def from_dict(data: dict[str, Any], path: Path | None = None) -> Settings:
    """Settings from parsed TOML, checking every value's type."""
    return Settings(**node_fields(data, path), extra={k: v for k, v in data.items() if k not in NODE_TABLES})


def load(path: Path) -> Settings:
    """Read the node-wide settings; a missing file gives the defaults, a broken one a SettingsError."""
    data, found = read_file(path)
    return from_dict(data, found)
