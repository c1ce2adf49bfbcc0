"""One replication round with one peer: pull its changes, push ours, keep checkpoints.

Steady state costs one small request: "changes since seq N of epoch E", answered with an
empty page. At first contact, or when either side's epoch changed (a restore), the round
reconciles by digests instead of pulling everything: we send the 8-byte digests of all our
entries, the peer answers with the sequence numbers we lack (as runs) and the digests it
lacks, and each side sends only what the other misses.

Protocol version 2 (:mod:`sync.idfirst`) names entries before sending them: the changes feed
lists items, we fetch the bodies we lack; we offer our items, the peer asks for the bodies it
lacks. A round speaks the version agreed with the peer (``sync.client`` asks ``/v1/hello``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from crypto.encoding import b64u_encode
from noticeboard.clock import utcnow
from noticeboard.node import Node
from noticeboard.store import FeedRow
from noticeboard.trust import Trust
from sync import idfirst, ranges, wire
from sync.echo import Version, memory_of
from sync.feed import PeerFeed, answer, decode_want, version_of
from sync.inflight import fetching_of
from sync.ingest import Ingest, IngestReport, release_held
from sync.scope import Places, select_for
from sync.wire import WireError

log = logging.getLogger(__name__)

# A round stops after this many pages each way and continues next round.
MAX_PAGES = 200
# How long a round waits for another round's fetch of the same entries before it fetches them itself.
WAIT_FOR_OTHERS_S = 20.0
# Messages of one range reconciliation (20k entries at 90 % shared take two).
MAX_MESSAGES = 24


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

    def __init__(self, node: Node, peer: str, transport: Transport, *, now: dt.datetime | None = None,
                 version: int = wire.PROTOCOL) -> None:
        self.node = node
        self.version = version
        self.store = node.store
        self.peer = peer
        self.transport = transport
        self.now = now
        self.checkpoints = Checkpoints(node)
        self.summary = RoundSummary()
        self.ingest: Ingest | None = None
        self.pages_pushed = 0
        self.pages_pulled = 0

    def _path(self, name: str) -> str:
        return f"/v{self.version}/{name}"

    async def run(self) -> RoundSummary:
        """Pull, then push; reconcile instead when a checkpoint no longer holds."""
        cp, epoch = await asyncio.to_thread(self._prepare)
        steady = cp.pull_epoch is not None and cp.push_epoch == epoch
        if steady and await self._pull(cp) and cp.push_peer_epoch == cp.pull_epoch:
            await self._push(cp)
        elif self.version >= 2:
            await self._reconcile_ranges(cp)
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
        if self.version >= 2:
            return await self._pull_items(cp)
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

    def _lacking(self, header: dict[str, Any]) -> list[idfirst.Item]:
        """The listed items we lack; the peer holds all of them."""
        items = idfirst.decode(header, with_seq=True)
        memory_of(self.store).remember(self.peer, (item.named for item in items))
        return [items[i] for i in idfirst.lacking(self.store, items)]

    def _still_lacking(self, items: list[idfirst.Item]) -> list[int]:
        return [items[i].seq for i in idfirst.lacking(self.store, items)]

    async def _fetch_items(self, items: list[idfirst.Item], epoch: str) -> bool | None:
        """Fetch the items we lack, leaving those another round is fetching to it (see sync.inflight)."""
        fetching = fetching_of(self.store)
        mine, theirs = fetching.claim(item.named for item in items)
        try:
            result = await self._fetch([item.seq for item in items if item.named in mine], epoch)
        finally:
            fetching.release(mine)
        if result is not True or not theirs:
            return result
        await asyncio.wait(theirs, timeout=WAIT_FOR_OTHERS_S)
        rest = await asyncio.to_thread(self._still_lacking, [item for item in items if item.named not in mine])
        return await self._fetch(rest, epoch)

    def _save_pulled(self, header: dict[str, Any], cp: Checkpoint) -> None:
        cp.pull_seq = wire.integer(header.get("next"), "next")
        self.checkpoints.save(self.peer, cp)

    async def _pull_items(self, cp: Checkpoint) -> bool:
        """Version 2: follow the peer's list of changed items, fetching the bodies we lack."""
        for _ in range(MAX_PAGES):
            body = wire.dumps({"epoch": cp.pull_epoch, "since": cp.pull_seq})
            header = wire.loads_object(await self.transport.call("/v2/changes", body, wire.JSON))
            if header.get("reset"):
                return False
            # An in-sync round lists nothing: no worker thread, no fetch.
            lacking = await asyncio.to_thread(self._lacking, header) if header.get("items") else []
            fetched = await self._fetch_items(lacking, str(header.get("epoch")))
            if fetched is None:
                return False
            if not fetched:
                self.summary.complete = False
                return True
            await asyncio.to_thread(self._save_pulled, header, cp)
            if not header.get("more"):
                return True
        self.summary.complete = False
        return True

    async def _fetch(self, seqs: list[int], epoch: str) -> bool | None:
        """Version 2: fetch the peer's entries at these seqs, a page at a time; None if its epoch changed.

        False when the round's page budget ran out first.
        """
        while seqs:
            if self.pages_pulled >= MAX_PAGES:
                return False
            self.pages_pulled += 1
            chunk = seqs[: wire.MAX_PAGE_ENTRIES]
            body = wire.dumps({"epoch": epoch, "gaps": b64u_encode(wire.pack_ascending(chunk))})
            header, lines = wire.read_page(await self.transport.call("/v2/fetch", body, wire.JSON))
            if header.get("reset"):
                return None
            done = wire.integer(header.get("done"), "done", 1, len(chunk))
            self.summary.received.add(await asyncio.to_thread(self._take, lines))
            seqs = seqs[done:]
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
            if not await (self._offer(chosen) if self.version >= 2 else self._send(chosen)):
                return
            cp.push_seq = rows[-1].seq
            await asyncio.to_thread(self.checkpoints.save, self.peer, cp)

    def _wanted_by_peer(self, rows: list[FeedRow], answer_body: bytes) -> list[FeedRow]:
        """The offered rows the peer asked for; the others it holds (at that version or newer)."""
        want = wire.unpack_ascending(wire.b64_field(wire.loads_object(answer_body).get("want"), "want"))
        if want and want[-1] >= len(rows):
            raise WireError("malformed", "want names an item not offered")
        wanted = set(want)
        memory_of(self.store).remember(self.peer, ((r.author, r.id, r.version)
                                                   for i, r in enumerate(rows) if i not in wanted))
        return [rows[i] for i in want]

    async def _offer(self, rows: list[FeedRow]) -> bool:
        """Version 2: offer items a page at a time and push only the bodies the peer asks for."""
        # Offers do not count toward the page budget: they are a few bytes per row, and the rows
        # offered are those since the push checkpoint, which ends; the pushes after them count.
        for start in range(0, len(rows), wire.MAX_PAGE_ENTRIES):
            if self.pages_pushed >= MAX_PAGES:
                self.summary.complete = False
                return False
            chunk = rows[start : start + wire.MAX_PAGE_ENTRIES]
            body = wire.dumps(idfirst.encode(idfirst.items_of(chunk), with_seq=False))
            answer_body = await self.transport.call("/v2/offer", body, wire.JSON)
            if not await self._send(await asyncio.to_thread(self._wanted_by_peer, chunk, answer_body)):
                return False
        return True

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
            answer_body = await self.transport.call(self._path("push"), wire.page({"epoch": epoch}, chunk), wire.NDJSON)
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


    def _holding(self) -> tuple[str, int, ranges.Initiator, bytes]:
        """Our epoch and last seq, our side of a reconciliation (a fresh salt), and its first message."""
        epoch, last = self.store.epoch, self.store.last_seq
        initiator = ranges.Initiator(ranges.Holding(self.store.reconcile_rows(), os.urandom(ranges.SALT_BYTES)))
        return epoch, last, initiator, initiator.first()

    def _lacked(self, holding: ranges.Holding, lacks: set[int], cp: Checkpoint) -> list[FeedRow]:
        """Save the pull checkpoint; the rows the peer lacks that belong there and did not come from it."""
        self.checkpoints.save(self.peer, cp)
        echo = self.summary.received.seen
        rows = self.store.feed_rows_at(holding.seqs[k] for k in lacks)
        return [r for r in select_for(rows, self.peer, Places.from_store(self.store), skip_own=False)
                if (r.author, r.id, r.version) not in echo]

    async def _reconcile_ranges(self, cp: Checkpoint) -> None:
        """Version 2 first contact: range reconciliation, then only what each side lacks."""
        self.summary.reconciled = True
        my_epoch, my_last, initiator, message = await asyncio.to_thread(self._holding)
        holding = initiator.holding
        peer_epoch, upto = "", 0
        for _ in range(MAX_MESSAGES):
            body = ranges.request_body(peer_epoch, holding.salt, message)
            answer = wire.loads_object(await self.transport.call("/v2/reconcile", body, wire.OCTETS))
            if answer.get("reset"):
                self.summary.complete = False
                return
            if not peer_epoch:
                epoch = answer.get("epoch")
                if not isinstance(epoch, str) or not epoch:
                    raise WireError("malformed", "epoch missing")
                peer_epoch, upto = epoch, wire.integer(answer.get("upto"), "upto")
            following = await asyncio.to_thread(initiator.take, answer)
            if following is None:
                break
            message = following
        else:
            self.summary.complete = False
            return
        fetched = await self._fetch(sorted(initiator.missing), peer_epoch)
        if not fetched:
            self.summary.complete = False
            return
        cp.pull_epoch, cp.pull_seq = peer_epoch, upto
        wanted = await asyncio.to_thread(self._lacked, holding, initiator.lacks, cp)
        if not await self._send(wanted):
            return
        cp.push_epoch, cp.push_peer_epoch, cp.push_seq = my_epoch, peer_epoch, my_last
        await asyncio.to_thread(self.checkpoints.save, self.peer, cp)
        # Our own changes made since we took our holding go out as a normal push.
        await self._push(cp)


async def run_round(node: Node, peer: str, transport: Transport, *, now: dt.datetime | None = None,
                    version: int = wire.PROTOCOL) -> RoundSummary:
    """Run one replication round with a peer, in protocol ``version`` (one the peer serves)."""
    return await Round(node, peer, transport, now=now, version=version).run()


def may_connect(node: Node, requester: str) -> bool:
    """Only directly paired peers (trusted or introducer) may call a node; vouches do not open the door."""
    peer = Trust(node).peer(requester)
    return peer is not None and peer.trusted and requester != node.node_id


class LocalTransport:
    """Calls another node's feed directly, as its server would after authentication (for tests and tools)."""

    def __init__(self, remote: Node, requester: str, *, versions: tuple[int, ...] = wire.VERSIONS) -> None:
        self.feed = PeerFeed(remote)
        # The protocol versions the remote serves: a path of another version is not found, as on a server.
        self.versions = versions
        self.remote = remote
        self.requester = requester
        self.sent_bytes = 0
        self.received_bytes = 0

    async def call(self, path: str, body: bytes, content_type: str) -> bytes:
        """Answer as the remote node would (off the event loop, as the server does); refuses untrusted requesters."""
        if version_of(path) not in self.versions:
            raise PeerRefused(404, "not_found")
        if not await asyncio.to_thread(may_connect, self.remote, self.requester):
            raise PeerRefused(403, "unknown_key")
        self.sent_bytes += len(body)
        try:
            _, answer_body = await asyncio.to_thread(answer, self.feed, path, self.requester, body)
        except WireError as exc:
            raise PeerRefused(400, exc.reason) from exc
        self.received_bytes += len(answer_body)
        return answer_body
