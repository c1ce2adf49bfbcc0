"""What a node answers to a trusted peer: its changes feed, first-contact reconciliation, push.

Version 1 sends bodies in the changes feed; version 2 (``/v2/...``, :mod:`sync.idfirst`) lists
items first and sends the bodies the peer asks for. Both are served side by side.

Transport-free: the HTTPS server and the in-memory transport of the tests both call
:func:`answer`, with the requester's node key already authenticated.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from crypto.encoding import EncodingError, b64u_decode, b64u_encode
from noticeboard.node import Node
from noticeboard.store import FeedRow
from sync import idfirst, ranges, wire
from sync.echo import memory_of
from sync.ingest import Ingest
from sync.scope import Places, select_for
from sync.wire import WireError

# Item lists kept for reconciliations in progress (one per requester, ~200 bytes per entry held):
# past this many the oldest goes, and none is kept longer than HOLDING_S.
MAX_HOLDINGS = 4
HOLDING_S = 120.0


class PeerFeed:
    """The answering side of replication for one node."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.store = node.store
        self.echo = memory_of(node.store)
        # Per requester, the holding its reconciliation compares with: (epoch, last seq, salt, holding).
        # A reconciliation is a few requests in a row; the holding is built once for them.
        self._holdings: dict[str, tuple[str, int, bytes, ranges.Holding, float]] = {}
        self._holdings_lock = threading.Lock()

    def _changed(self, requester: str, body: bytes, most: int) -> tuple[str, int, int, list[FeedRow]] | None:
        """(epoch, last seq, next seq, rows) of a changes request: the rows after ``since`` that
        belong at the requester, at most ``most`` of them; None when the request's epoch is not ours."""
        request = wire.loads_object(body)
        since = wire.integer(request.get("since"), "since")
        epoch, last = self.store.epoch, self.store.last_seq
        if request.get("epoch") != epoch or since > last:
            return None
        rows = self.store.feed_rows(since, wire.SCAN_ROWS)
        if not rows:
            return epoch, last, since, []
        echoes = self.echo.known_at(requester)
        selected = [r for r in select_for(rows, requester, Places.from_store(self.store))
                    if (r.author, r.id, r.version) not in echoes]
        next_seq = rows[-1].seq
        if len(selected) > most:
            selected = selected[:most]
            next_seq = selected[-1].seq
        return epoch, last, next_seq, selected

    def changes(self, requester: str, body: bytes) -> bytes:
        """A page of our changes after ``since`` of ``epoch`` that belong at the requester."""
        changed = self._changed(requester, body, wire.MAX_PAGE_ENTRIES)
        if changed is None:
            return wire.page({"epoch": self.store.epoch, "reset": True}, [])
        epoch, last, next_seq, selected = changed
        found = self.store.raw_entries(r.seq for r in selected)
        raw: list[bytes] = []
        size = 0
        for seq, data in found:
            if raw and size + len(data) + 1 > wire.MAX_PAGE_BYTES:
                next_seq = seq - 1
                break
            raw.append(data)
            size += len(data) + 1
        return wire.page({"epoch": epoch, "next": next_seq, "more": next_seq < last}, raw)

    def reconcile(self, requester: str, body: bytes) -> bytes:
        """First contact: which of our entries the requester lacks, and which of its entries we lack."""
        theirs = wire.unpack_digests(body)
        upto = self.store.last_seq
        signed = self.store.signatures()
        mine = {wire.digest_of(sig) for _, sig in signed}
        # Only the rows the requester lacks are looked at in full (for scope).
        lacking = self.store.feed_rows_at(seq for seq, sig in signed if wire.digest_of(sig) not in theirs)
        missing = [r.seq for r in select_for(lacking, requester, Places.from_store(self.store), skip_own=False)]
        want = wire.pack_digests(d for d in theirs if d not in mine)
        return wire.dumps({"epoch": self.store.epoch, "upto": upto, "missing": wire.to_ranges(missing),
                           "want": b64u_encode(want)})

    def fetch(self, requester: str, body: bytes) -> bytes:
        """Entries by sequence number (from a reconciliation), one bounded page at a time."""
        request = wire.loads_object(body)
        if request.get("epoch") != self.store.epoch:
            return wire.page({"epoch": self.store.epoch, "reset": True}, [])
        seqs, rest = wire.take(wire.check_ranges(request.get("missing")), wire.MAX_PAGE_ENTRIES)
        rows: list[FeedRow] = []
        if seqs:
            wanted = set(seqs)
            scanned = self.store.feed_rows(seqs[0] - 1, seqs[-1] - seqs[0] + 1)
            # Scope is checked again: a peer may only fetch what it could have pulled.
            rows = select_for([r for r in scanned if r.seq in wanted], requester, Places.from_store(self.store),
                              skip_own=False)
        raw = [data for _, data in self.store.raw_entries(r.seq for r in rows)]
        return wire.page({"epoch": self.store.epoch, "rest": rest}, raw)

    def changes_v2(self, requester: str, body: bytes) -> bytes:
        """Version 2: the items (no bodies) of our changes after ``since`` that belong at the requester."""
        changed = self._changed(requester, body, wire.MAX_PAGE_ITEMS)
        if changed is None:
            return wire.dumps({"epoch": self.store.epoch, "reset": True})
        epoch, last, next_seq, selected = changed
        return wire.dumps({"epoch": epoch, "next": next_seq, "more": next_seq < last,
                           **idfirst.encode(idfirst.items_of(selected), with_seq=True)})

    def fetch_v2(self, requester: str, body: bytes) -> bytes:
        """Version 2: bodies by sequence number (a gap list), at most one page; ``done`` says how many were handled."""
        request = wire.loads_object(body)
        if request.get("epoch") != self.store.epoch:
            return wire.page({"epoch": self.store.epoch, "reset": True}, [])
        seqs = wire.unpack_ascending(wire.b64_field(request.get("gaps"), "gaps"))[: wire.MAX_PAGE_ENTRIES]
        # Scope is checked again: a peer may only fetch what it could have pulled.
        rows = select_for(self.store.feed_rows_at(s for s in seqs if s > 0), requester,
                          Places.from_store(self.store), skip_own=False)
        found = self.store.raw_entries(r.seq for r in rows)
        raw: list[bytes] = []
        done, size = len(seqs), 0
        for seq, data in found:
            if raw and size + len(data) + 1 > wire.MAX_PAGE_BYTES:
                done = seqs.index(seq)
                break
            raw.append(data)
            size += len(data) + 1
        return wire.page({"epoch": self.store.epoch, "done": done}, raw)

    def _holding(self, requester: str, salt: bytes) -> tuple[str, int, ranges.Holding]:
        """Our items in reconciliation order for this requester's salt (kept while nothing changed)."""
        epoch, last, now = self.store.epoch, self.store.last_seq, time.monotonic()
        with self._holdings_lock:
            for key, kept in list(self._holdings.items()):
                if now - kept[4] > HOLDING_S:
                    del self._holdings[key]
            found = self._holdings.get(requester)
        if found is not None and found[:3] == (epoch, last, salt):
            return epoch, last, found[3]
        holding = ranges.Holding(self.store.reconcile_rows(), salt)
        with self._holdings_lock:
            self._holdings.pop(requester, None)
            while len(self._holdings) >= MAX_HOLDINGS:
                del self._holdings[min(self._holdings, key=lambda k: self._holdings[k][4])]
            self._holdings[requester] = (epoch, last, salt, holding, now)
        return epoch, last, holding

    def reconcile_v2(self, requester: str, body: bytes) -> bytes:
        """Version 2 first contact: one message of range reconciliation (sync.ranges), answered."""
        asked_epoch, salt, message = ranges.read_request(body)
        epoch, upto, holding = self._holding(requester, salt)
        if asked_epoch and asked_epoch != epoch:
            return wire.dumps({"epoch": epoch, "reset": True})
        answer = ranges.respond(holding, message)
        # Only what belongs at the requester is named (and a fetch checks it again).
        lacking = self.store.feed_rows_at(answer.missing)
        answer.missing = [r.seq for r in select_for(lacking, requester, Places.from_store(self.store), skip_own=False)]
        return wire.dumps(answer.to_json(epoch, upto))

    def offer(self, requester: str, body: bytes) -> bytes:
        """Version 2: which of the offered entry versions we lack (their indices, a gap list)."""
        items = idfirst.decode(wire.loads_object(body), with_seq=False)
        # Whatever it offers, the requester holds: our feed need not list those to it again.
        self.echo.remember(requester, (item.named for item in items))
        return wire.dumps({"want": b64u_encode(wire.pack_ascending(idfirst.lacking(self.store, items)))})

    def push(self, requester: str, body: bytes) -> bytes:
        """Take in a page of entries from the requester through the ingest pipeline."""
        _, lines = wire.read_page(body)
        report = Ingest(self.node).run(lines, source=requester)
        self.echo.remember(requester, report.seen)
        return wire.dumps({"applied": report.applied, "unchanged": report.unchanged, "held": report.held,
                           "refused": dict(report.refused)})


ENDPOINTS: dict[str, tuple[str, Callable[[PeerFeed, str, bytes], bytes]]] = {
    "/v1/changes": (wire.NDJSON, PeerFeed.changes),
    "/v1/reconcile": (wire.JSON, PeerFeed.reconcile),
    "/v1/fetch": (wire.NDJSON, PeerFeed.fetch),
    "/v1/push": (wire.JSON, PeerFeed.push),
    "/v2/changes": (wire.JSON, PeerFeed.changes_v2),
    "/v2/reconcile": (wire.JSON, PeerFeed.reconcile_v2),
    "/v2/fetch": (wire.NDJSON, PeerFeed.fetch_v2),
    "/v2/offer": (wire.JSON, PeerFeed.offer),
    "/v2/push": (wire.JSON, PeerFeed.push),
}


def version_of(path: str) -> int:
    """The protocol version an endpoint belongs to (``/v2/fetch``: 2)."""
    return int(path.split("/")[1][1:])


def endpoints(versions: tuple[int, ...] = wire.VERSIONS) -> list[str]:
    """The paths served for these protocol versions."""
    return [path for path in ENDPOINTS if version_of(path) in versions]


def answer(feed: PeerFeed, path: str, requester: str, body: bytes) -> tuple[str, bytes]:
    """(content type, body) of the answer to one authenticated request; raises WireError or KeyError."""
    content_type, handler = ENDPOINTS[path]
    return content_type, handler(feed, requester, body)


def decode_want(text: object) -> set[bytes]:
    """The digests a peer wants, from a reconcile answer; raises WireError."""
    if not isinstance(text, str):
        raise WireError("malformed", "want must be base64url text")
    try:
        return wire.unpack_digests(b64u_decode(text))
    except EncodingError as exc:
        raise WireError("malformed", "want must be base64url text") from exc

