"""Finding other centres on the local network with mDNS/DNS-SD (python-zeroconf, async API).

Each node advertises ``_buurthulp._tcp.local.`` on the configured interfaces only, with a
TXT record holding its node key, its certificate fingerprint and the protocol version:
nothing personal. Whether a discovered node is trusted is decided elsewhere; discovery only
reports who is where.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ifaddr
from zeroconf import IPVersion, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from crypto.encoding import EncodingError, b64u_decode, b64u_encode
from crypto.identity import key_digest

log = logging.getLogger(__name__)

SERVICE_TYPE = "_buurthulp._tcp.local."
PROTOCOL = "1"
RESOLVE_TIMEOUT_MS = 3000


class NoInterfaces(Exception):
    """None of the configured mDNS interfaces has an IPv4 address here."""


@dataclass(frozen=True)
class Sighting:
    """A node seen on the network: its key, pinned certificate, and where it listens."""

    node_id: str
    tls_fp: bytes
    addresses: tuple[str, ...]
    port: int
    protocol: str
    seen_at: float

    @property
    def address(self) -> str:
        """The first address as ``host:port``."""
        return f"{self.addresses[0]}:{self.port}"


def resolve_interfaces(spec: Sequence[str]) -> list[str]:
    """IPv4 addresses for mDNS: addresses of this machine as given, names resolved, ``auto`` = every non-loopback one."""
    adapters = ifaddr.get_adapters()
    present = {ip.ip for adapter in adapters for ip in adapter.ips if isinstance(ip.ip, str)}
    found: list[str] = []

    def add(address: str) -> None:
        if address not in found:
            found.append(address)

    for item in spec:
        try:
            # An address this machine does not have (a typo, a moved box) is left out, not guessed at.
            if isinstance(ipaddress.ip_address(item), ipaddress.IPv4Address) and item in present:
                add(item)
            continue
        except ValueError:
            pass
        for adapter in adapters:
            if item not in ("auto", adapter.nice_name, adapter.name):
                continue
            for ip in adapter.ips:
                if isinstance(ip.ip, str) and not (item == "auto" and ipaddress.ip_address(ip.ip).is_loopback):
                    add(ip.ip)
    return found


def service_name(node_id: str) -> str:
    """The instance name a node advertises under: derived from its key, nothing personal."""
    return f"buurthulp-{key_digest(b64u_decode(node_id)).lower()}.{SERVICE_TYPE}"


def _text(properties: dict[bytes, bytes | None], key: bytes) -> str:
    value = properties.get(key)
    return value.decode("ascii", "replace") if value else ""


def sighting_from_info(info: AsyncServiceInfo) -> Sighting | None:
    """A Sighting from a resolved service, or None if its TXT record is not ours."""
    props = info.properties or {}
    node_id, fp, protocol = _text(props, b"node"), _text(props, b"fp"), _text(props, b"proto")
    try:
        if len(b64u_decode(node_id)) != 32:
            return None
        tls_fp = b64u_decode(fp)
    except EncodingError:
        return None
    addresses = tuple(info.parsed_addresses(IPVersion.V4Only))
    if not addresses or not info.port:
        return None
    return Sighting(node_id, tls_fp, addresses, int(info.port), protocol, time.monotonic())


Listener = Callable[[Sighting, bool], None]


class Discovery:
    """Advertise this node and browse for others; call :meth:`start` inside the running loop."""

    def __init__(self, *, node_id: str, tls_fp: bytes, port: int, interfaces: Sequence[str],
                 on_change: Listener | None = None) -> None:
        self.node_id = node_id
        self.tls_fp = tls_fp
        self.port = port
        self.interfaces = list(interfaces)
        self.on_change = on_change
        self.sightings: dict[str, Sighting] = {}
        self._names: dict[str, str] = {}
        self._aiozc: AsyncZeroconf | None = None
        self._browser: AsyncServiceBrowser | None = None
        self._info: AsyncServiceInfo | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def _service_info(self) -> AsyncServiceInfo:
        digest = key_digest(b64u_decode(self.node_id)).lower()
        return AsyncServiceInfo(
            SERVICE_TYPE, service_name(self.node_id),
            addresses=[socket.inet_aton(a) for a in self.interfaces],
            port=self.port,
            properties={"node": self.node_id, "fp": b64u_encode(self.tls_fp), "proto": PROTOCOL},
            server=f"buurthulp-{digest}.local.",
        )

    async def start(self) -> None:
        """Open mDNS on the configured addresses only, advertise, and start browsing."""
        if not self.interfaces:
            raise NoInterfaces("no IPv4 address to use for mDNS")
        # Never InterfaceChoice.All: only the addresses the operator (or test) chose.
        self._aiozc = AsyncZeroconf(interfaces=self.interfaces, ip_version=IPVersion.V4Only)
        self._info = self._service_info()
        # cooperating_responders skips the name probe: the name is derived from our own key.
        await (await self._aiozc.async_register_service(self._info, cooperating_responders=True))
        self._browser = AsyncServiceBrowser(self._aiozc.zeroconf, SERVICE_TYPE, handlers=[self._on_state_change])
        log.info("mdns started on %d address(es), port %d", len(self.interfaces), self.port)

    def _on_state_change(self, zeroconf: Zeroconf, service_type: str, name: str,
                         state_change: ServiceStateChange) -> None:
        if name == service_name(self.node_id):
            return
        if state_change is ServiceStateChange.Removed:
            node_id = self._names.pop(name, None)
            gone = self.sightings.pop(node_id, None) if node_id else None
            if gone is not None and self.on_change is not None:
                self.on_change(gone, False)
            return
        task = asyncio.get_running_loop().create_task(self._resolve(zeroconf, service_type, name))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _resolve(self, zeroconf: Zeroconf, service_type: str, name: str) -> None:
        info = AsyncServiceInfo(service_type, name)
        if not await info.async_request(zeroconf, RESOLVE_TIMEOUT_MS):
            log.info("mdns: a service did not resolve in time")
            return
        sighting = sighting_from_info(info)
        if sighting is None or sighting.node_id == self.node_id:
            return
        self._names[name] = sighting.node_id
        self.sightings[sighting.node_id] = sighting
        log.info("mdns: saw node %s", key_digest(b64u_decode(sighting.node_id)))
        if self.on_change is not None:
            self.on_change(sighting, True)

    async def close(self) -> None:
        """Stop browsing, say goodbye on the network, and close the sockets."""
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._browser is not None:
            await self._browser.async_cancel()
            self._browser = None
        if self._aiozc is not None:
            await self._aiozc.async_unregister_all_services()
            await self._aiozc.async_close()
            self._aiozc = None
        log.info("mdns stopped")
