"""One replication round with one peer: pull its changes, push ours, keep checkpoints.

Steady state costs one small request: "changes since seq N of epoch E", answered with an
empty page. At first contact, or when either side's epoch changed (a restore), the round
reconciles by digests instead of pulling everything: we send the 8-byte digests of all our
entries, the peer answers with the sequence numbers we lack (as runs) and the digests it
lacks, and each side sends only what the other misses.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from noticeboard.clock import utcnow
from noticeboard.node import Node
from noticeboard.store import FeedRow
from noticeboard.trust import Trust
from sync import wire
from sync.echo import Version, memory_of
from sync.feed import PeerFeed, answer, decode_want
from sync.ingest import Ingest, IngestReport, release_held
from sync.scope import Places, select_for
from sync.wire import WireError

log = logging.getLogger(__name__)

# A round stops after this many pages each way and continues next round.
MAX_PAGES = 200


class PeerRefused(Exception):
    """The peer answered with an error; ``reason`` is its stable code."""

    def __init__(self, status: int, reason: str, *, clock_offset_s: int | None = None) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason
        # With ``stale``: how many seconds our clock is ahead of the peer's (negative: behind), if it said its time.
        self.clock_offset_s = clock_offset_s


class Transport(Protocol):
    """How a round reaches one peer: a signed request per call."""

    async def call(self, path: str, body: bytes, content_type: str) -> bytes:
        """Send body to path and return the answer's body; raises PeerRefused."""
        ...


@dataclass
class Checkpoint:
    """How far we are with one peer, in both directions."""

    pull_epoch: str | None = None
    pull_seq: int = 0
    push_epoch: str | None = None
    push_peer_epoch: str | None = None
    push_seq: int = 0


class Checkpoints:
    """The per-peer checkpoints kept in the store."""

    def __init__(self, node: Node) -> None:
        self.store = node.store

    def get(self, peer: str) -> Checkpoint:
        """The checkpoint for a peer (a fresh one if we never synced)."""
        with self.store.read() as conn:
            row = conn.execute("SELECT pull_epoch, pull_seq, push_epoch, push_peer_epoch, push_seq "
                               "FROM checkpoints WHERE node_id = ?", (peer,)).fetchone()
        return Checkpoint(*row) if row else Checkpoint()

    def save(self, peer: str, cp: Checkpoint) -> None:
        """Store a peer's checkpoint."""
        with self.store.write() as conn:
            conn.execute("INSERT OR REPLACE INTO checkpoints VALUES (?,?,?,?,?,?)",
                         (peer, cp.pull_epoch, cp.pull_seq, cp.push_epoch, cp.push_peer_epoch, cp.push_seq))

    def forget(self, peer: str) -> None:
        """Start over with a peer at the next round."""
        with self.store.write() as conn:
            conn.execute("DELETE FROM checkpoints WHERE node_id = ?", (peer,))


@dataclass
class RoundSummary:
    """What one round did: counts, reasons and body bytes, never entry content."""

    received: IngestReport = field(default_factory=IngestReport)
    sent: int = 0
    refused_there: Counter[str] = field(default_factory=Counter)
    reconciled: bool = False
    complete: bool = True

    @property
    def refused_here(self) -> Counter[str]:
        """Entries of the peer we refused, by reason."""
        return self.received.refused


class Round:
    """One round with one peer over a transport.

    The peer server and mDNS share the event loop with the round, so the loop only waits for
    the network: every store call and every step that scales with the number of entries
    (a page of ``feed_rows``, decrypting the profiles for scope, packing 50k digests, a
    ``BEGIN IMMEDIATE`` that may wait on a busy database) runs in a worker thread.
    """

    def __init__(self, node: Node, peer: str, transport: Transport, *, now: dt.datetime | None = None) -> None:
        self.node = node
        self.store = node.store
        self.peer = peer
        self.transport = transport
        self.now = now
        self.checkpoints = Checkpoints(node)
        self.summary = RoundSummary()
        self.ingest: Ingest | None = None
        self.pages_pushed = 0

    async def run(self) -> RoundSummary:
        """Pull, then push; reconcile instead when a checkpoint no longer holds."""
        cp, epoch = await asyncio.to_thread(self._prepare)
        steady = cp.pull_epoch is not None and cp.push_epoch == epoch
        if steady and await self._pull(cp) and cp.push_peer_epoch == cp.pull_epoch:
            await self._push(cp)
        else:
            await self._reconcile(cp)
        if self.summary.received.trust_widened:
            # Entries refused earlier in this very round may be welcome now: reconcile next time.
            await asyncio.to_thread(self.checkpoints.forget, self.peer)
        return self.summary

    def _prepare(self) -> tuple[Checkpoint, str]:
        """Housekeeping, the ingest pipeline, and where we stand with the peer (our epoch too)."""
        self._housekeeping()
        self.ingest = Ingest(self.node)
        return self.checkpoints.get(self.peer), self.store.epoch

    def _housekeeping(self) -> None:
        """Before a round: drop expired entries, take in held ones now due, keep our vouches fresh."""
        now = self.now or utcnow()
        self.store.purge_expired(now)
        release_held(self.node, now=now)
        Trust(self.node).renew_vouches(now=now)

    def _take(self, lines: list[bytes]) -> IngestReport:
        """Run a page through ingest (signature checks and the SQLite write; in a worker thread)."""
        assert self.ingest is not None, "run() builds the pipeline first"
        report = self.ingest.run(lines, source=self.peer, now=self.now or utcnow())
        memory_of(self.store).remember(self.peer, report.seen)
        return report

    def _take_pulled(self, lines: list[bytes], header: dict[str, Any], cp: Checkpoint) -> IngestReport:
        report = self._take(lines)
        cp.pull_seq = wire.integer(header.get("next"), "next")
        self.checkpoints.save(self.peer, cp)
        return report

    async def _pull(self, cp: Checkpoint) -> bool:
        """Follow the peer's changes feed; False when its epoch changed (reconcile instead)."""
        for _ in range(MAX_PAGES):
            body = wire.dumps({"epoch": cp.pull_epoch, "since": cp.pull_seq})
            header, lines = wire.read_page(await self.transport.call("/v1/changes", body, wire.JSON))
            if header.get("reset"):
                return False
            self.summary.received.add(await asyncio.to_thread(self._take_pulled, lines, header, cp))
            if not header.get("more"):
                return True
        self.summary.complete = False
        return True

    def _echoes(self) -> set[Version]:
        return self.summary.received.seen | memory_of(self.store).known_at(self.peer)

    def _push_page(self, cp: Checkpoint, echo: set[Version], places: Places | None
                   ) -> tuple[list[FeedRow], list[FeedRow], Places | None]:
        """Our next page of changes since the push checkpoint, and those of them that belong at the peer."""
        rows = self.store.feed_rows(cp.push_seq, wire.MAX_PAGE_ENTRIES)
        if not rows:
            return rows, [], places
        places = places or Places.from_store(self.store)
        chosen = [r for r in select_for(rows, self.peer, places) if (r.author, r.id, r.version) not in echo]
        return rows, chosen, places

    async def _push(self, cp: Checkpoint) -> None:
        """Send our changes since the push checkpoint that belong at the peer, a page at a time."""
        echo = await asyncio.to_thread(self._echoes)
        places: Places | None = None
        while True:
            rows, chosen, places = await asyncio.to_thread(self._push_page, cp, echo, places)
            if not rows:
                return
            if not await self._send(chosen):
                return
            cp.push_seq = rows[-1].seq
            await asyncio.to_thread(self.checkpoints.save, self.peer, cp)

    def _raw(self, rows: list[FeedRow]) -> tuple[list[tuple[int, bytes]], str]:
        return self.store.raw_entries([r.seq for r in rows]), self.store.epoch

    async def _send(self, rows: list[FeedRow]) -> bool:
        """Push entries in pages; False when the round's page budget ran out first (the rest waits)."""
        version_at = {r.seq: (r.author, r.id, r.version) for r in rows}
        found, epoch = await asyncio.to_thread(self._raw, rows)
        raw = [data for _, data in found]
        done = 0
        for chunk in wire.chunks(raw):
            if self.pages_pushed >= MAX_PAGES:
                self.summary.complete = False
                return False
            self.pages_pushed += 1
            answer_body = await self.transport.call("/v1/push", wire.page({"epoch": epoch}, chunk), wire.NDJSON)
            result = wire.loads_object(answer_body)
            refused = result.get("refused")
            if isinstance(refused, dict):
                self.summary.refused_there.update({str(k): int(v) for k, v in refused.items() if isinstance(v, int)})
            # The peer answered after taking these in (or refusing them): never worth sending again.
            memory_of(self.store).remember(self.peer, (version_at[seq] for seq, _ in found[done : done + len(chunk)]))
            done += len(chunk)
            self.summary.sent += len(chunk)
        return True

    def _digests(self) -> tuple[str, int, list[tuple[int, bytes]], bytes]:
        """Our epoch, last sequence number, (seq, digest) of every entry, and all digests packed."""
        epoch, last = self.store.epoch, self.store.last_seq
        digests = [(seq, wire.digest_of(sig)) for seq, sig in self.store.signatures()]
        return epoch, last, digests, wire.pack_digests(digest for _, digest in digests)

    @staticmethod
    def _read_reconcile(answer_body: bytes) -> tuple[str, int, list[list[int]], set[bytes]]:
        """The peer's epoch, how far its digests went, the runs we lack and the digests it wants."""
        result = wire.loads_object(answer_body)
        peer_epoch = result.get("epoch")
        if not isinstance(peer_epoch, str):
            raise WireError("malformed", "epoch missing")
        upto = wire.integer(result.get("upto"), "upto")
        return peer_epoch, upto, wire.check_ranges(result.get("missing")), decode_want(result.get("want"))

    def _take_fetched(self, lines: list[bytes], header: dict[str, Any], missing: list[list[int]]
                      ) -> tuple[IngestReport, list[list[int]]]:
        report = self._take(lines)
        return report, wire.check_ranges(header.get("rest")) + missing

    def _wanted(self, digests: list[tuple[int, bytes]], want: set[bytes], cp: Checkpoint) -> list[FeedRow]:
        """Save the pull checkpoint; the rows the peer wants that belong there and did not come from it."""
        self.checkpoints.save(self.peer, cp)
        places = Places.from_store(self.store)
        echo = self.summary.received.seen
        # Rows replaced since the digests were taken are gone at their seq; the push after this sends them.
        rows = self.store.feed_rows_at(seq for seq, digest in digests if digest in want)
        return [r for r in select_for(rows, self.peer, places, skip_own=False)
                if wire.digest_of(r.sig) in want and (r.author, r.id, r.version) not in echo]

    async def _reconcile(self, cp: Checkpoint) -> None:
        """First contact or a changed epoch: exchange digests, then only what each side lacks."""
        self.summary.reconciled = True
        my_epoch, my_last, mine, digests = await asyncio.to_thread(self._digests)
        answer_body = await self.transport.call("/v1/reconcile", digests, wire.OCTETS)
        peer_epoch, upto, missing, want = await asyncio.to_thread(self._read_reconcile, answer_body)
        for _ in range(MAX_PAGES):
            if not missing:
                break
            # Ask for one page worth at a time, so the list of runs is not sent again with every page.
            seqs, missing = await asyncio.to_thread(wire.take, missing, wire.MAX_PAGE_ENTRIES)
            body = wire.dumps({"epoch": peer_epoch, "missing": wire.to_ranges(seqs)})
            header, lines = wire.read_page(await self.transport.call("/v1/fetch", body, wire.JSON))
            if header.get("reset"):
                return
            report, missing = await asyncio.to_thread(self._take_fetched, lines, header, missing)
            self.summary.received.add(report)
        if missing:
            self.summary.complete = False
            return
        cp.pull_epoch, cp.pull_seq = peer_epoch, upto
        wanted = await asyncio.to_thread(self._wanted, mine, want, cp)
        if not await self._send(wanted):
            return
        cp.push_epoch, cp.push_peer_epoch, cp.push_seq = my_epoch, peer_epoch, my_last
        await asyncio.to_thread(self.checkpoints.save, self.peer, cp)
        # Our own changes made since the digests were taken go out as a normal push.
        await self._push(cp)


async def run_round(node: Node, peer: str, transport: Transport, *, now: dt.datetime | None = None) -> RoundSummary:
    """Run one replication round with a peer."""
    return await Round(node, peer, transport, now=now).run()


def may_connect(node: Node, requester: str) -> bool:
    """Only directly paired peers (trusted or introducer) may call a node; vouches do not open the door."""
    peer = Trust(node).peer(requester)
    return peer is not None and peer.trusted and requester != node.node_id


class LocalTransport:
    """Calls another node's feed directly, as its server would after authentication (for tests and tools)."""

    def __init__(self, remote: Node, requester: str) -> None:
        self.feed = PeerFeed(remote)
        self.remote = remote
        self.requester = requester
        self.sent_bytes = 0
        self.received_bytes = 0

    async def call(self, path: str, body: bytes, content_type: str) -> bytes:
        """Answer as the remote node would (off the event loop, as the server does); refuses untrusted requesters."""
        if not await asyncio.to_thread(may_connect, self.remote, self.requester):
            raise PeerRefused(403, "unknown_key")
        self.sent_bytes += len(body)
        try:
            _, answer_body = await asyncio.to_thread(answer, self.feed, path, self.requester, body)
        except WireError as exc:
            raise PeerRefused(400, exc.reason) from exc
        self.received_bytes += len(answer_body)
        return answer_body
