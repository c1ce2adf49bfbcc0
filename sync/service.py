"""The always-on service: peer server, discovery, periodic sync with backoff, drop folder, status.

The supervisor (:mod:`noticeboard.supervisor`, behind ``noticeboard serve``) runs it with the
node's chores; a caller with its own event loop can run it too (``await service.start()`` …
``await service.close()``). What the layers above do with newly arrived entries (the desk's
match messages) they pass in as ``on_new_entries``: sync uses only crypto and the core.

Every trusted peer with an address (paired, found by mDNS, or named in the config) gets a
round every ``sync_interval`` seconds. After a failure the next try comes sooner than that,
with exponential backoff and jitter per peer; a peer that re-appears on mDNS, or a sighting
of a new trusted node, is tried at once. Untrusted nodes that are discovered are only noted
("seen, not paired") so a coordinator can pair them.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import functools
import logging
import os
import random
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from crypto.encoding import b64u_decode
from crypto.identity import key_digest
from noticeboard.clock import utcnow
from noticeboard.node import Node
from noticeboard.trust import Peer, PeerState, Trust
from sync import status as status_file
from sync import verifier
from sync.client import PairingRefused, PeerUnreachable, fetch_profile, open_session, sync_with
from sync.config import Config, mdns_interfaces
from sync.discovery import Discovery, NoInterfaces, Sighting, resolve_interfaces
from sync.dropfolder import DropFolder
from sync.guard import Limits
from sync.replication import PeerRefused
from sync.server import bound_port, start_server, stop_server
from sync.sightings import FetchLimit, Strangers
from sync.wire import WireError

log = logging.getLogger("sync.service")

# How long a round in progress may run on after SIGTERM before it is abandoned; the rest of
# the 5 s budget is for the mDNS goodbye and closing the server.
ROUND_GRACE_S = 1.5
# The longest the sync loop sleeps: new pairings made while it runs are picked up this soon.
LOOP_TICK_S = 5.0
# After mDNS failed to start on unchanged addresses, try again this much later.
MDNS_RETRY_S = 60.0
BACKOFF_BASE_S = 1.0
PARALLEL_ROUNDS = 4

# Called in a worker thread after a round brought new entries (the node's own inbox is opened first).
NewEntries = Callable[[Node, dt.datetime], None]


def event(name: str, **fields: object) -> None:
    """One structured log line: ``event=name key=value ...`` (node keys shortened, never personal data)."""
    text = " ".join(f"{key}={value}" for key, value in fields.items())
    log.info("event=%s %s", name, text, extra={"event": name, "fields": fields})


def short(node_id: str) -> str:
    """A node key shortened for logs."""
    try:
        return key_digest(b64u_decode(node_id))
    except ValueError:
        return "?"


@dataclass
class PeerRecord:
    """What the service knows about one peer right now (persisted in the status file)."""

    address: str = ""
    source: str = ""
    seen: float | None = None
    last_sync: float | None = None
    last_ok: float | None = None
    last_error: str = ""
    failures: int = 0
    due: float = 0.0
    entries_in: int = 0
    entries_out: int = 0
    refused: int = 0

    def to_status(self, now_mono: float) -> dict[str, Any]:
        """The public fields for the status file."""
        return {
            "address": self.address, "source": self.source, "seen": self.seen, "last_sync": self.last_sync,
            "last_ok": self.last_ok, "last_error": self.last_error, "failures": self.failures,
            "next_try_s": round(max(0.0, self.due - now_mono), 1), "entries_in": self.entries_in,
            "entries_out": self.entries_out, "refused": self.refused,
        }


@dataclass
class Backoff:
    """Exponential backoff with jitter, capped at the normal interval."""

    interval: float
    base: float = BACKOFF_BASE_S
    rng: random.Random = field(default_factory=random.Random)

    def after_failure(self, failures: int) -> float:
        """Seconds to wait after the n-th failure in a row ("equal jitter": half fixed, half random)."""
        ceiling = min(self.interval, self.base * 2.0 ** max(0, failures - 1))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)

    def after_success(self) -> float:
        """Seconds to the next regular round (±10 %, so centres do not fall into step)."""
        return self.interval * self.rng.uniform(0.9, 1.1)


def take_in_messages(node: Node, now: dt.datetime, on_new_entries: NewEntries | None = None) -> None:
    """Open what arrived sealed to us ("I can help" responses), then let the layers above take theirs."""
    node.take_in_messages(now=now)
    if on_new_entries is not None:
        on_new_entries(node, now)


class Service:
    """Peer server, discovery, periodic sync and drop folder for one node."""

    def __init__(self, node: Node, config: Config, *, backoff: Backoff | None = None,
                 on_new_entries: NewEntries | None = None) -> None:
        self.node = node
        self.config = config
        self.on_new_entries = on_new_entries
        self.backoff = backoff or Backoff(config.sync_interval)
        self.trust = Trust(node)
        self.status_path = status_file.status_path(node.store.path)
        self.peers: dict[str, PeerRecord] = {}
        # Unpaired centres on mDNS, and how often anyone's address was asked (sync/sightings.py).
        self.strangers = Strangers()
        self.fetches = FetchLimit()
        self.port: int | None = None
        self.mdns_addresses: list[str] = []
        self.discovery: Discovery | None = None
        self.drop = DropFolder(node, config.drop_folder, seal=config.drop_seal,
                                max_bytes=config.max_file_bytes) if config.drop_folder else None
        self._runner: Any = None
        self._loop_task: asyncio.Task[None] | None = None
        self._drop_task: asyncio.Task[None] | None = None
        # One client session for every round: a kept TLS connection makes an in-sync round
        # a few hundred bytes instead of ~2.6 kB with a fresh handshake.
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        # One round task per peer at most; the loop never waits on a round, so a peer that
        # hangs (a stale address: connect waits for its timeout) holds up no other peer.
        self._rounds: dict[str, asyncio.Task[None]] = {}
        self._statics: asyncio.Task[None] | None = None
        self._mdns_retry_at = 0.0
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._status_lock = asyncio.Lock()
        self._dirty = True
        self._status_written = 0.0
        self._started = time.time()
        self._restore_counters()

    # ---- life cycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Start serving, advertising and syncing inside the running loop."""
        self._session = open_session()
        limits = Limits(handshake_s=self.config.header_timeout, header_s=self.config.header_timeout,
                        max_connections=self.config.max_connections,
                        max_per_address=self.config.max_connections_per_address)
        self._runner = await start_server(self.node, self.config.listen, self.config.port, limits=limits)
        self.port = bound_port(self._runner)
        event("serve_started", node=short(self.node.node_id), port=self.port)
        if self.config.mdns_enabled:
            await self._start_discovery()
        self._loop_task = asyncio.get_running_loop().create_task(self._sync_loop(), name="sync-loop")
        if self.drop is not None:
            self._drop_task = asyncio.get_running_loop().create_task(self._drop_loop(), name="drop-folder")
        await self._write_status(running=True)

    async def _start_discovery(self) -> None:
        if not mdns_interfaces(self.config):
            event("mdns_off", reason="not_configured")
            return
        self.mdns_addresses = await asyncio.to_thread(resolve_interfaces, mdns_interfaces(self.config))
        assert self.port is not None
        discovery = Discovery(node_id=self.node.node_id, tls_fp=self.node.tls_fingerprint, port=self.port,
                              interfaces=self.mdns_addresses, on_change=self._on_sighting)
        try:
            await discovery.start()
        except NoInterfaces:
            event("mdns_off", reason="no_interfaces")
            return
        except OSError as exc:
            # mDNS is a convenience: paired and static peers still sync without it.
            event("mdns_off", reason=exc.__class__.__name__)
            await discovery.close()
            self._mdns_retry_at = time.monotonic() + MDNS_RETRY_S
            return
        self.discovery = discovery
        event("mdns_on", addresses=len(self.mdns_addresses))

    async def _refresh_discovery(self) -> None:
        """Follow the network: start mDNS once an address appears (boot before DHCP), move when it changes."""
        current = await asyncio.to_thread(resolve_interfaces, mdns_interfaces(self.config))
        if current == self.mdns_addresses and (self.discovery is not None or not current
                                               or time.monotonic() < self._mdns_retry_at):
            return
        if self.discovery is not None:
            await self.discovery.close()
            self.discovery = None
        self._dirty = True
        await self._start_discovery()

    async def close(self) -> None:
        """Stop cleanly: let a round finish briefly (else abandon it), say goodbye on mDNS, stop serving."""
        started = time.monotonic()
        self._stopping.set()
        self._wake.set()
        working = {t for t in (self._loop_task, self._drop_task, *self._rounds.values())
                   if t is not None}
        done, pending = await asyncio.wait(working, timeout=ROUND_GRACE_S) if working else (set(), set())
        for task in pending:
            # Cancelling is safe: each page is applied in one transaction and the checkpoint
            # is saved after it, so an abandoned page is simply fetched again next time.
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
            event("round_abandoned", tasks=len(pending))
        for task in done:
            if not task.cancelled() and task.exception() is not None:
                log.error("%s had stopped with an error", task.get_name(), exc_info=task.exception())
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.discovery is not None:
            await self.discovery.close()
            self.discovery = None
        if self._runner is not None:
            await stop_server(self._runner)
            self._runner = None
        if self._session is not None:
            await self._session.close()
            self._session = None
        await self._write_status(running=False)
        # The signature workers end with the service (waiting for a chunk in flight, off the loop).
        await asyncio.to_thread(verifier.shutdown)
        event("serve_stopped", seconds=round(time.monotonic() - started, 2))

    async def run(self, stop: asyncio.Event) -> None:
        """Start, wait until stop is set, then close."""
        await self.start()
        try:
            await stop.wait()
        finally:
            await self.close()

    # ---- discovery -------------------------------------------------------------------------

    def _on_sighting(self, sighting: Sighting, added: bool) -> None:
        if not added:
            self.strangers.forget(sighting.node_id)
            if sighting.node_id in self.peers:
                event("peer_gone", peer=short(sighting.node_id))
            self._dirty = True
            return
        self._spawn(self._note_sighting(sighting))

    async def _note_sighting(self, sighting: Sighting) -> None:
        peer = await asyncio.to_thread(self.trust.peer, sighting.node_id)
        if peer is not None and peer.trusted:
            await self._note_paired(peer, sighting)
        elif peer is None or peer.state is not PeerState.BLOCKED:
            await self._note_stranger(sighting)
        self._dirty = True

    async def _note_paired(self, peer: Peer, sighting: Sighting) -> None:
        """A paired peer announced itself: believed at a new address only after a pinned hello there."""
        record = self.peers.setdefault(peer.node_id, PeerRecord())
        known = record.address if record.source == "mdns" and record.address else peer.address
        if sighting.address != known:
            if not self.fetches.may_fetch(sighting.address):
                event("peer_address_unchecked", peer=short(peer.node_id), reason="asked_lately")
                return
            try:
                # Pinned to the certificate we paired, never to what the announcement says.
                profile = await fetch_profile(sighting.address, pin=peer.tls_fp)
            except (PeerUnreachable, PairingRefused) as exc:
                event("peer_address_refused", peer=short(peer.node_id), reason=getattr(exc, "reason", "error"))
                return
            if profile.author != peer.node_id:
                event("peer_address_refused", peer=short(peer.node_id), reason="other_node")
                return
            await asyncio.to_thread(self.trust.set_address, peer.node_id, sighting.address)
            running = self._rounds.get(peer.node_id)
            if record.address and running is not None and not running.done():
                running.cancel()  # it is talking to the old address; start over at the new one
                event("round_restarted", peer=short(peer.node_id), reason="address_changed")
        record.address, record.source, record.seen = sighting.address, "mdns", time.time()
        # A peer that is back is due at once, whatever its backoff said.
        record.due = 0.0
        event("peer_seen", peer=short(peer.node_id), source="mdns", trusted=True)
        self._wake.set()

    async def _note_stranger(self, sighting: Sighting) -> None:
        """An unpaired node: a row in the small expiring table, its name fetched now and then."""
        row = self.strangers.get(sighting.node_id)
        name = row.name if row is not None else ""
        if (row is None or row.address != sighting.address or not name) and self.fetches.may_fetch(sighting.address):
            name = await self._learn_name(sighting.address, sighting.node_id, sighting.tls_fp)
        self.strangers.note(sighting.node_id, sighting.address, name)
        event("peer_seen", peer=short(sighting.node_id), source="mdns", trusted=False)

    async def _learn_name(self, address: str, node_id: str, tls_fp: bytes | None) -> str:
        """The centre name from the peer's signed profile, so a coordinator knows whom to pair."""
        try:
            profile = await fetch_profile(address, pin=tls_fp or None)
        except (PeerUnreachable, PairingRefused):
            return ""
        return str(profile.body.get("name", "")) if profile.author == node_id else ""

    # ---- periodic sync ---------------------------------------------------------------------

    def _targets(self, records: dict[str, PeerRecord], on_mdns: set[str]) -> list[Peer]:
        """Every trusted peer we can reach, at its freshest address (runs in a worker thread)."""
        peers = {p.node_id: p for p in self.trust.peers()}
        targets: dict[str, Peer] = {}
        peer: Peer | None
        for peer in peers.values():
            if peer.trusted and peer.address:
                targets[peer.node_id] = peer
        for node_id, record in records.items():
            peer = peers.get(node_id)
            if peer is not None and peer.trusted and record.address and record.source == "mdns":
                targets[node_id] = dataclasses.replace(peer, address=record.address)
        for static in self.config.static_peers:
            peer = peers.get(static.node_id) if static.node_id else self.trust.by_address(static.address)
            if peer is not None and peer.trusted and peer.node_id not in on_mdns:
                targets[peer.node_id] = dataclasses.replace(peer, address=static.address)
        return list(targets.values())

    async def _sync_loop(self) -> None:
        limit = asyncio.Semaphore(PARALLEL_ROUNDS)
        statics_due = 0.0
        while not self._stopping.is_set():
            self._wake.clear()
            if self.config.static_peers and time.monotonic() >= statics_due and (
                    self._statics is None or self._statics.done()):
                # In its own task: an address that does not answer takes the client's full timeout.
                self._statics = self._spawn(self._note_static_peers())
                statics_due = time.monotonic() + self.config.sync_interval
            if self.config.mdns_enabled and mdns_interfaces(self.config):
                await self._refresh_discovery()
            # Snapshots taken on the loop: mDNS callbacks change these dicts while the thread reads.
            on_mdns = set(self.discovery.sightings) if self.discovery is not None else set()
            records = {k: dataclasses.replace(v) for k, v in self.peers.items()}
            targets = await asyncio.to_thread(self._targets, records, on_mdns)
            now = time.monotonic()
            idle = [p for p in targets if p.node_id not in self._rounds]
            for peer in idle:
                if self.peers.setdefault(peer.node_id, PeerRecord()).due <= now and not self._stopping.is_set():
                    task = asyncio.get_running_loop().create_task(self._round(peer, limit),
                                                                  name=f"round-{short(peer.node_id)}")
                    self._rounds[peer.node_id] = task
                    task.add_done_callback(functools.partial(self._round_done, peer.node_id))
            if self._dirty or time.monotonic() - self._status_written >= status_file.HEARTBEAT_S:
                await self._write_status(running=True)
            waiting = [self.peers[p.node_id].due for p in targets if p.node_id not in self._rounds]
            next_due = min(waiting, default=now + self.config.sync_interval)
            wait = max(0.05, min(next_due - time.monotonic(), LOOP_TICK_S))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    async def _round(self, peer: Peer, limit: asyncio.Semaphore) -> None:
        record = self.peers.setdefault(peer.node_id, PeerRecord())
        if self._stopping.is_set():
            return
        async with limit:
            started = time.monotonic()
            record.address = peer.address
            record.source = record.source or ("static" if any(s.address == peer.address
                                                               for s in self.config.static_peers) else "paired")
            try:
                summary, count = await sync_with(self.node, peer, session=self._session)
            except (PeerUnreachable, PeerRefused, WireError) as exc:
                self._failed(peer, record, getattr(exc, "reason", exc.__class__.__name__))
                return
            except Exception:  # one peer's odd failure must not stop the rounds with the others
                log.exception("round with %s failed unexpectedly", short(peer.node_id))
                self._failed(peer, record, "error")
                return
            if summary.received.applied:
                await asyncio.to_thread(take_in_messages, self.node, utcnow(), self.on_new_entries)
            record.failures = 0
            record.last_error = ""
            record.last_sync = record.last_ok = time.time()
            record.due = time.monotonic() + self.backoff.after_success()
            record.entries_in += summary.received.applied
            record.entries_out += summary.sent
            record.refused += summary.received.refused_total
            event("sync_ok", peer=short(peer.node_id), entries_in=summary.received.applied, entries_out=summary.sent,
                  refused=summary.received.refused_total, reconciled=summary.reconciled,
                  bytes=count.total, ms=round((time.monotonic() - started) * 1000))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run a side job in its own task, kept so it can be cancelled at close."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _round_done(self, node_id: str, task: asyncio.Task[None]) -> None:
        if self._rounds.get(node_id) is task:
            del self._rounds[node_id]
        self._dirty = True
        self._wake.set()

    def _failed(self, peer: Peer, record: PeerRecord, reason: str) -> None:
        record.failures += 1
        record.last_error = reason
        delay = self.backoff.after_failure(record.failures)
        record.due = time.monotonic() + delay
        record.last_sync = time.time()
        event("sync_failed", peer=short(peer.node_id), reason=reason, failures=record.failures,
              retry_s=round(delay, 2))

    async def _note_static_peers(self) -> None:
        """Learn who listens at configured addresses we have not paired, so they are listed as seen."""
        for static in self.config.static_peers:
            if await asyncio.to_thread(self.trust.by_address, static.address):
                continue
            try:
                profile = await fetch_profile(static.address)
            except (PeerUnreachable, PairingRefused) as exc:
                event("static_peer_unknown", reason=getattr(exc, "reason", "error"))
                continue
            if static.node_id and profile.author != static.node_id:
                event("static_peer_mismatch", peer=short(profile.author))
                continue
            # The record first: whoever sees the stored peer also finds what the service knows of it.
            record = self.peers.setdefault(profile.author, PeerRecord())
            record.address, record.source, record.seen = static.address, "static", time.time()
            await asyncio.to_thread(self.trust.note_seen, profile.author, str(profile.body.get("name", "")),
                                    static.address, b64u_decode(profile.body["tls_fp"]))
            self._dirty = True

    # ---- drop folder -----------------------------------------------------------------------

    async def _drop_loop(self) -> None:
        assert self.drop is not None
        # A quarter of the interval, so a bundle written on one side is taken in within one interval.
        tick = max(0.2, self.config.sync_interval / 4)
        while not self._stopping.is_set():
            try:
                result = await asyncio.to_thread(self.drop.exchange)
            except OSError as exc:
                event("drop_folder_error", reason=exc.__class__.__name__)
            except Exception:  # a bad file or a busy database must not end the folder watch
                log.exception("drop folder pass failed")
                event("drop_folder_error", reason="error")
            else:
                for imported in result.imported:
                    source = imported.header.author
                    record = self.peers.setdefault(source, PeerRecord())
                    record.entries_in += imported.report.applied
                    record.refused += imported.report.refused_total
                    record.seen = time.time()
                    if imported.intact:
                        record.last_ok = record.seen
                    record.source = record.source or "drop"
                    self._dirty = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), tick)

    # ---- status ----------------------------------------------------------------------------

    def _restore_counters(self) -> None:
        old = status_file.load_status(self.status_path).get("peers") or {}
        for node_id, info in old.items():
            if not isinstance(info, dict) or not (info.get("last_sync") or info.get("last_ok")):
                continue  # never synced: a stranger of the last run, not carried over
            source = str(info.get("source", ""))
            # An address mDNS gave is believed again only when announced again (and checked).
            self.peers[node_id] = PeerRecord(
                address="" if source == "mdns" else str(info.get("address", "")), source=source,
                last_sync=info.get("last_sync"), last_ok=info.get("last_ok"),
                entries_in=int(info.get("entries_in", 0)), entries_out=int(info.get("entries_out", 0)),
                refused=int(info.get("refused", 0)))

    def status(self) -> dict[str, Any]:
        """The status as written to the status file."""
        now = time.monotonic()
        return {
            "running": not self._stopping.is_set(), "pid": os.getpid(), "started": self._started,
            "updated": time.time(), "port": self.port, "mdns": self.mdns_addresses,
            "drop_folder": str(self.config.drop_folder) if self.config.drop_folder else None,
            "peers": {**{row.node_id: row.to_status() for row in self.strangers.rows()},
                      **{node_id: record.to_status(now) for node_id, record in self.peers.items()}},
        }

    async def _write_status(self, *, running: bool) -> None:
        self._dirty = False
        self._status_written = time.monotonic()
        data = self.status()
        data["running"] = running
        async with self._status_lock:
            await asyncio.to_thread(status_file.write_status, self.status_path, data)
