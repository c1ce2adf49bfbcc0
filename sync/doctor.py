"""The checks behind ``noticeboard doctor``: the usual reasons a hall's node does not sync.

Each check returns a :class:`Finding` with a text key (what is wrong, and what to do) and
the values to fill in. The checks read the database file directly and never need the
passphrase: they look only at clear columns (times, peer addresses), never at entries.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import ipaddress
import os
import shutil
import socket
import sqlite3
import stat
import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import aiohttp
import ifaddr

from noticeboard.clock import utcnow
from sync import status as status_file
from sync.config import Config, mdns_interfaces
from sync.discovery import resolve_interfaces

MDNS_GROUP = "224.0.0.251"
# Entries from the future beyond this are held by peers: the same limit makes a clock "far off".
CLOCK_LIMIT = dt.timedelta(minutes=5)
# No node can have been made before this program was written.
EARLIEST_PLAUSIBLE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
MIN_FREE_BYTES = 200 * 1024 * 1024
MIN_FREE_FRACTION = 0.05
IFF_MULTICAST = 0x1000


@dataclass(frozen=True)
class Finding:
    """The result of one check: ``ok``, and the text key plus values to explain it."""

    check: str
    ok: bool
    key: str
    values: dict[str, object] = field(default_factory=dict)


def _ok(check: str, **values: object) -> Finding:
    return Finding(check, True, f"doctor.{check}.ok", values)


def _fail(check: str, problem: str, **values: object) -> Finding:
    return Finding(check, False, f"doctor.{check}.{problem}", values)


# ---- multicast ---------------------------------------------------------------------------


def _interface_of(address: str) -> str | None:
    for adapter in ifaddr.get_adapters():
        if any(ip.ip == address for ip in adapter.ips):
            return adapter.name
    return None


def _multicast_flag(name: str) -> bool:
    try:
        flags = int(Path(f"/sys/class/net/{name}/flags").read_text().strip(), 16)
    except (OSError, ValueError):
        return True
    return bool(flags & IFF_MULTICAST)


def _loopback_probe(address: str, timeout: float = 1.0) -> bool:
    """Send one datagram to the mDNS group on address and see it come back: proves nothing blocks it."""
    marker = os.urandom(12)
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    try:
        receiver.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if hasattr(socket, "SO_REUSEPORT"):
            receiver.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        receiver.bind(("", 0))
        port = receiver.getsockname()[1]
        membership = struct.pack("4s4s", socket.inet_aton(MDNS_GROUP), socket.inet_aton(address))
        receiver.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
        sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(address))
        sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
        sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        sender.sendto(marker, (MDNS_GROUP, port))
        receiver.settimeout(timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data, _ = receiver.recvfrom(64)
            if data == marker:
                return True
    except OSError:
        return False
    finally:
        receiver.close()
        sender.close()
    return False


def check_multicast(config: Config, spec: Sequence[str] | None = None) -> Finding:
    """mDNS can work: an address to use, multicast on its interface, and a datagram to the group comes back."""
    if not config.mdns_enabled:
        return _ok("multicast", detail="off")
    wanted = tuple(spec or config.mdns_interfaces)
    if not wanted:
        return _fail("multicast", "not_configured")
    addresses = resolve_interfaces(wanted)
    if not addresses:
        return _fail("multicast", "no_address", interfaces=", ".join(wanted))
    for address in addresses:
        name = _interface_of(address)
        loopback = ipaddress.ip_address(address).is_loopback
        if name is not None and not loopback and not _multicast_flag(name):
            return _fail("multicast", "flag_off", interface=name)
        if not _loopback_probe(address):
            return _fail("multicast", "blocked", address=address)
    return _ok("multicast", detail=", ".join(addresses))


# ---- port --------------------------------------------------------------------------------


def check_port(config: Config, data_dir: Path) -> Finding:
    """The peer server's port is free, or held by this node's own running service."""
    host = config.listen or "0.0.0.0"
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, config.port))
        except OSError as exc:
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
                return _fail("port", "cannot_bind", port=config.port, host=host)
            ours = status_file.load_status(data_dir / status_file.FILENAME)
            if ours.get("running") and ours.get("port") == config.port and status_file.pid_alive(ours.get("pid")):
                return _ok("port", port=config.port, detail="serve")
            return _fail("port", "in_use" if exc.errno == errno.EADDRINUSE else "denied", port=config.port)
    return _ok("port", port=config.port, detail="")


# ---- clock -------------------------------------------------------------------------------


async def _peer_date(address: str, pin: bytes, timeout: float) -> dt.datetime | None:
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    try:
        async with aiohttp.ClientSession(timeout=client_timeout) as session, \
                session.get(f"https://{address}/v1/hello", ssl=aiohttp.Fingerprint(pin)) as response:
            header = response.headers.get("Date")
    except (aiohttp.ClientError, TimeoutError, ValueError):
        return None
    if not header:
        return None
    try:
        return parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None


def peer_dates(db_path: Path, timeout: float = 3.0) -> list[dt.datetime]:
    """The Date headers of the paired peers that answer now."""
    peers = _read(db_path, "SELECT address, tls_fp FROM peers WHERE state IN ('trusted', 'introducer') "
                           "AND address != '' AND length(tls_fp) = 32")

    async def ask() -> list[dt.datetime | None]:
        return await asyncio.gather(*(_peer_date(str(a), bytes(fp), timeout) for a, fp in peers))

    return [d for d in asyncio.run(ask()) if d is not None] if peers else []


def check_clock(db_path: Path, now: dt.datetime | None = None, *, dates: Sequence[dt.datetime] | None = None) -> Finding:
    """The clock agrees with paired peers' Date headers, and is not behind our own newest entry."""
    now = now or utcnow()
    if now < EARLIEST_PLAUSIBLE:
        return _fail("clock", "reset", now=now.strftime("%Y-%m-%d %H:%M"))
    dates = list(dates) if dates is not None else peer_dates(db_path)
    for peer_now in dates:
        off = now - peer_now
        if abs(off) > CLOCK_LIMIT:
            return _fail("clock", "peer_differs", n=round(off.total_seconds() / 60))
    newest = _read(db_path, "SELECT MAX(updated) FROM entries WHERE author = "
                            "(SELECT value FROM meta WHERE key = 'node_id')")
    if newest and newest[0][0] is not None:
        written = dt.datetime.fromtimestamp(int(newest[0][0]), dt.UTC)
        if written - now > CLOCK_LIMIT:
            return _fail("clock", "behind_own", newest=written.strftime("%Y-%m-%d %H:%M"))
    return _ok("clock", n=len(dates), now=now.strftime("%Y-%m-%d %H:%M"))


# ---- disk, database, key file ------------------------------------------------------------


def check_disk(data_dir: Path, *, min_free: int = MIN_FREE_BYTES, min_fraction: float = MIN_FREE_FRACTION) -> Finding:
    """Enough free space where the database lives."""
    usage = shutil.disk_usage(data_dir if data_dir.exists() else data_dir.parent)
    free_mb = usage.free // (1024 * 1024)
    if usage.free < min_free or usage.free < usage.total * min_fraction:
        return _fail("disk", "full", free_mb=free_mb, percent=round(100 * usage.free / max(1, usage.total)))
    return _ok("disk", free_mb=free_mb)


def _read(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return []
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.Error:
        return []
    finally:
        conn.close()


def check_database(db_path: Path) -> Finding:
    """SQLite's own integrity check over the whole file."""
    if not db_path.exists():
        return _fail("database", "missing", path=str(db_path))
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return _fail("database", "damaged", path=str(db_path))
    if [r[0] for r in rows] != ["ok"]:
        return _fail("database", "damaged", path=str(db_path))
    return _ok("database")


def check_key_file(key_file: Path | None) -> Finding:
    """The key file (if any) is readable only by the user who runs the node."""
    if key_file is None:
        return _ok("key_file", detail="none")
    try:
        info = key_file.stat()
    except FileNotFoundError:
        return _fail("key_file", "missing", path=str(key_file))
    # systemd hands credentials over in a private, read-only folder; those are fine as they are.
    if os.environ.get("CREDENTIALS_DIRECTORY") and key_file.is_relative_to(os.environ["CREDENTIALS_DIRECTORY"]):
        return _ok("key_file", detail="credential")
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        return _fail("key_file", "too_open", path=str(key_file), mode=oct(stat.S_IMODE(info.st_mode)))
    if info.st_uid != os.geteuid():
        return _fail("key_file", "other_owner", path=str(key_file))
    return _ok("key_file", detail=str(key_file))


def run_all(config: Config, data_dir: Path, db_path: Path, key_file: Path | None) -> list[Finding]:
    """Every check, in the order an operator would look."""
    return [
        check_database(db_path),
        check_disk(data_dir),
        check_key_file(key_file),
        check_port(config, data_dir),
        check_multicast(config, mdns_interfaces(config)),
        check_clock(db_path),
    ]
