"""Sync's part of the node's settings file: ``[sync]`` and ``[mdns]`` (see deploy/config.example.toml).

The file and its node-wide tables are read by :mod:`noticeboard.settings`; :class:`Config` is
those settings plus what the service needs to serve, discover and sync. Every key is
optional. ``NOTICEBOARD_MDNS_INTERFACES`` (comma-separated addresses or interface names,
e.g. ``127.0.0.1``) overrides ``[mdns] interfaces``, so tests and odd machines can pin
discovery to one address.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from noticeboard.settings import NODE_TABLES, Settings, SettingsError, node_fields, read_file, table, value

DEFAULT_PORT = 8443
DEFAULT_INTERVAL = 300.0
MDNS_ENV = "NOTICEBOARD_MDNS_INTERFACES"
SYNC_TABLES = ("sync", "mdns")


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
class Config(Settings):
    """The node's settings with sync's own, with defaults for everything not in the file."""

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
    # The peer server's front door (sync.guard.Limits): seconds for a handshake and for headers,
    # connections in all and from one address.
    header_timeout: float = 10.0
    max_connections: int = 256
    max_connections_per_address: int = 16


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


def _peers(raw: Any, path: Path | None) -> tuple[StaticPeer, ...]:
    if not isinstance(raw, list):
        raise SettingsError(path, "[sync] static_peers must be a list")
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
            raise SettingsError(path, f"[sync] static_peers: {exc}") from exc
    return tuple(peers)


def interfaces_from_text(text: str) -> tuple[str, ...]:
    """Split the environment form ``a,b`` into a tuple, dropping blanks."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


def from_dict(data: dict[str, Any], path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Build a Config from parsed TOML, checking every value's type."""
    env = os.environ if env is None else env
    node = node_fields(data, path)
    sync, mdns = table(data, "sync", path), table(data, "mdns", path)
    port = value(sync, "port", int, DEFAULT_PORT, path, "sync")
    if not 0 <= port < 65536:
        raise SettingsError(path, "[sync] port must be 0..65535")
    interval = float(value(sync, "interval", (int, float), DEFAULT_INTERVAL, path, "sync"))
    if interval <= 0:
        raise SettingsError(path, "[sync] interval must be more than 0 seconds")
    drop = value(sync, "drop_folder", str, "", path, "sync")
    max_file_mib = value(sync, "max_file_mib", int, 64, path, "sync")
    if not 1 <= max_file_mib <= 4096:
        raise SettingsError(path, "[sync] max_file_mib must be 1..4096")
    header_timeout = float(value(sync, "header_timeout", (int, float), 10.0, path, "sync"))
    if not 1 <= header_timeout <= 300:
        raise SettingsError(path, "[sync] header_timeout must be 1..300 seconds")
    max_connections = value(sync, "max_connections", int, 256, path, "sync")
    if not 8 <= max_connections <= 65536:
        raise SettingsError(path, "[sync] max_connections must be 8..65536")
    per_address = value(sync, "max_connections_per_address", int, 16, path, "sync")
    if not 1 <= per_address <= max_connections:
        raise SettingsError(path, "[sync] max_connections_per_address must be 1..max_connections")
    interfaces_raw = value(mdns, "interfaces", list, [], path, "mdns")
    if not all(isinstance(i, str) for i in interfaces_raw):
        raise SettingsError(path, "[mdns] interfaces must be a list of texts")
    interfaces = tuple(interfaces_raw)
    if env.get(MDNS_ENV):
        interfaces = interfaces_from_text(env[MDNS_ENV])
    for item in interfaces:
        if item != "auto" and not _is_address(item) and not item.replace("-", "").replace(".", "").isalnum():
            raise SettingsError(path, f"[mdns] interfaces: {item!r} is not an address or interface name")
    known = {*NODE_TABLES, *SYNC_TABLES}
    return Config(
        **node,
        listen=value(sync, "listen", str, "0.0.0.0", path, "sync"),
        port=port,
        static_peers=_peers(sync.get("static_peers", []), path),
        sync_interval=interval,
        mdns_enabled=value(mdns, "enabled", bool, True, path, "mdns"),
        mdns_interfaces=interfaces,
        drop_folder=Path(drop).expanduser() if drop else None,
        drop_seal=value(sync, "drop_seal", bool, False, path, "sync"),
        max_file_bytes=max_file_mib * 1024 * 1024,
        header_timeout=header_timeout,
        max_connections=max_connections,
        max_connections_per_address=per_address,
        extra={k: v for k, v in data.items() if k not in known},
    )


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def load(path: Path, env: Mapping[str, str] | None = None) -> Config:
    """Read a settings file; a missing file gives the defaults, a broken one a SettingsError."""
    data, found = read_file(path)
    return from_dict(data, found, env)
