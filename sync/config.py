"""The node's settings file: one TOML file per node (see deploy/config.example.toml).

Every key is optional; a missing file means all defaults. ``NOTICEBOARD_MDNS_INTERFACES``
(comma-separated addresses or interface names, e.g. ``127.0.0.1``) overrides
``[mdns] interfaces``, so tests and odd machines can pin discovery to one address.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from noticeboard.geo import parse_location

CONFIG_NAME = "config.toml"
DEFAULT_PORT = 8443
DEFAULT_INTERVAL = 300.0
DEFAULT_IDLE = 120.0
MDNS_ENV = "NOTICEBOARD_MDNS_INTERFACES"
CONFIG_ENV = "NOTICEBOARD_CONFIG"


class ConfigError(ValueError):
    """The settings file cannot be read or has a wrong value; ``detail`` says which."""

    def __init__(self, path: Path | None, detail: str) -> None:
        super().__init__(f"{path}: {detail}" if path else detail)
        self.path = path
        self.detail = detail


@dataclass(frozen=True)
class StaticPeer:
    """A peer reached by a known address rather than found by mDNS."""

    host: str
    port: int
    node_id: str | None = None

    @property
    def address(self) -> str:
        """``host:port`` (IPv6 hosts in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


@dataclass(frozen=True)
class Config:
    """All settings of one node, with defaults for everything not in the file."""

    path: Path | None = None
    name: str = ""
    village: str = ""
    location: str = ""
    language: str = "nl"
    listen: str = "0.0.0.0"
    port: int = DEFAULT_PORT
    static_peers: tuple[StaticPeer, ...] = ()
    sync_interval: float = DEFAULT_INTERVAL
    mdns_enabled: bool = True
    # Nothing by default: mDNS goes only where the operator (or the install script) said.
    mdns_interfaces: tuple[str, ...] = ()
    drop_folder: Path | None = None
    drop_seal: bool = False
    # The largest file read from the drop folder or a path given (bundles): a 3 GB file is refused unread.
    max_file_bytes: int = 64 * 1024 * 1024
    kiosk_idle_timeout: float = DEFAULT_IDLE
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def mdns_interfaces(config: Config) -> tuple[str, ...]:
    """The mDNS interfaces to use: as configured, but never wider than the one address we listen on."""
    spec = config.mdns_interfaces
    if spec == ("auto",) and config.listen not in ("0.0.0.0", "::", ""):
        return (config.listen,)
    return spec


def parse_address(text: str, default_port: int = DEFAULT_PORT) -> tuple[str, int]:
    """Split ``host``, ``host:port``, ``[v6]:port`` into (host, port); raises ValueError."""
    text = text.strip()
    if not text:
        raise ValueError("empty address")
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = int(rest[1:]) if rest.startswith(":") else default_port
    elif text.count(":") == 1:
        host, port_text = text.split(":")
        port = int(port_text)
    else:
        host, port = text, default_port
    if not host or not 0 < port < 65536:
        raise ValueError(f"bad address {text!r}")
    return host, port


def _get(table: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any, path: Path | None,
         section: str) -> Any:
    if key not in table:
        return default
    value = table[key]
    # TOML booleans are Python ints; ``port = true`` must still be refused.
    if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
        raise ConfigError(path, f"[{section}] {key} has the wrong type")
    return value


def _peers(raw: Any, path: Path | None) -> tuple[StaticPeer, ...]:
    if not isinstance(raw, list):
        raise ConfigError(path, "[sync] static_peers must be a list")
    peers = []
    for item in raw:
        try:
            if isinstance(item, str):
                host, port = parse_address(item)
                peers.append(StaticPeer(host, port))
            elif isinstance(item, dict) and isinstance(item.get("address"), str):
                host, port = parse_address(item["address"])
                node = item.get("node")
                peers.append(StaticPeer(host, port, node if isinstance(node, str) else None))
            else:
                raise ValueError("a peer is \"host:port\" or {address = \"host:port\", node = \"KEY\"}")
        except ValueError as exc:
            raise ConfigError(path, f"[sync] static_peers: {exc}") from exc
    return tuple(peers)


def interfaces_from_text(text: str) -> tuple[str, ...]:
    """Split the environment form ``a,b`` into a tuple, dropping blanks."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


def from_dict(data: dict[str, Any], path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Build a Config from parsed TOML, checking every value's type."""
    env = os.environ if env is None else env
    sections = {}
    for name in ("node", "sync", "mdns", "kiosk"):
        table = data.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(path, f"[{name}] must be a table")
        sections[name] = table
    node, sync, mdns, kiosk = sections["node"], sections["sync"], sections["mdns"], sections["kiosk"]
    language = _get(node, "language", str, "nl", path, "node")
    if language not in ("nl", "en"):
        raise ConfigError(path, "[node] language must be \"nl\" or \"en\"")
    port = _get(sync, "port", int, DEFAULT_PORT, path, "sync")
    if not 0 <= port < 65536:
        raise ConfigError(path, "[sync] port must be 0..65535")
    interval = float(_get(sync, "interval", (int, float), DEFAULT_INTERVAL, path, "sync"))
    if interval <= 0:
        raise ConfigError(path, "[sync] interval must be more than 0 seconds")
    drop = _get(sync, "drop_folder", str, "", path, "sync")
    max_file_mib = _get(sync, "max_file_mib", int, 64, path, "sync")
    if not 1 <= max_file_mib <= 4096:
        raise ConfigError(path, "[sync] max_file_mib must be 1..4096")
    interfaces_raw = _get(mdns, "interfaces", list, [], path, "mdns")
    if not all(isinstance(i, str) for i in interfaces_raw):
        raise ConfigError(path, "[mdns] interfaces must be a list of texts")
    interfaces = tuple(interfaces_raw)
    if env.get(MDNS_ENV):
        interfaces = interfaces_from_text(env[MDNS_ENV])
    for item in interfaces:
        if item != "auto" and not _is_address(item) and not item.replace("-", "").replace(".", "").isalnum():
            raise ConfigError(path, f"[mdns] interfaces: {item!r} is not an address or interface name")
    location = _get(node, "location", str, "", path, "node")
    if location.strip():
        try:
            parse_location(location)
        except ValueError as exc:
            raise ConfigError(path, f"[node] location: {exc}") from exc
    idle = float(_get(kiosk, "idle_timeout", (int, float), DEFAULT_IDLE, path, "kiosk"))
    if idle <= 0:
        raise ConfigError(path, "[kiosk] idle_timeout must be more than 0 seconds")
    known = {"node", "sync", "mdns", "kiosk"}
    return Config(
        path=path,
        name=_get(node, "name", str, "", path, "node"),
        village=_get(node, "village", str, "", path, "node"),
        location=location,
        language=language,
        listen=_get(sync, "listen", str, "0.0.0.0", path, "sync"),
        port=port,
        static_peers=_peers(sync.get("static_peers", []), path),
        sync_interval=interval,
        mdns_enabled=_get(mdns, "enabled", bool, True, path, "mdns"),
        mdns_interfaces=interfaces,
        drop_folder=Path(drop).expanduser() if drop else None,
        drop_seal=_get(sync, "drop_seal", bool, False, path, "sync"),
        max_file_bytes=max_file_mib * 1024 * 1024,
        kiosk_idle_timeout=idle,
        extra={k: v for k, v in data.items() if k not in known},
    )


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def config_path(data_dir: Path, explicit: str | Path | None = None) -> Path:
    """Which file to read: --config, else NOTICEBOARD_CONFIG, else ``config.toml`` in the data folder."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(CONFIG_ENV)
    return Path(env) if env else data_dir / CONFIG_NAME


def load(path: Path, env: Mapping[str, str] | None = None) -> Config:
    """Read a settings file; a missing file gives the defaults, a broken one a ConfigError."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return from_dict({}, None, env)
    except OSError as exc:
        raise ConfigError(path, f"cannot be read ({exc.strerror})") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"is not valid TOML ({exc})") from exc
    return from_dict(data, path, env)
