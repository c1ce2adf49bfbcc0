"""The one ingest pipeline every entry passes, whatever brought it (peer, bundle, USB stick).

size and schema → signature → trust → expiry and scope → apply (highest version wins).
A bad entry is refused and counted with its reason; it never stops the good entries of the
same batch. Signatures are checked in worker processes (sync/verifier.py) while the next
chunk is decoded, and the batch is applied in one transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from crypto.encoding import EncodingError, b64u_decode
from noticeboard import entry as entries
from noticeboard import fastdecode, places_held
from noticeboard.clock import utcnow as utcnow  # named as exported: bench.federation swaps in its simulated clock
from noticeboard.entry import Entry, EntryError
from noticeboard.node import Node
from noticeboard.store import Outcome
from noticeboard.trust import Trust, TrustView, take_handovers
from sync import verifier
from sync.scope import Places, Reach, delivers

log = logging.getLogger(__name__)

# Below this many entries the worker processes cost more than they save (a peer's page holds 500).
PARALLEL_FROM = 256
CHUNK = 256
# A batch without vouches or node profiles is taken in pages of this many: memory stays bounded
# whatever the batch size, and a page is stored while the pool verifies the next one.
PAGE = 2048
# Bytes that may mark an entry changing trust or places ("vouch" and "node" anywhere, or an escape
# that could spell them): such a batch is taken whole, control entries first, as before.
_SPECIAL = (b"vouch", b"node", b"\\u")
# Entries that change who is trusted are applied before the rest of their batch.
_CONTROL = ("vouch",)

Item = bytes | str | dict[str, Any] | Entry


@dataclass
class IngestReport:
    """What one ingest did: counts only, never entry content."""

    received: int = 0
    applied: int = 0
    unchanged: int = 0
    held: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    # (author, id, version) of every valid entry seen, applied or not: lets a round skip echoes.
    seen: set[tuple[str, str, int]] = field(default_factory=set)
    # A vouch in the batch made more authors welcome: checkpoints were reset.
    trust_widened: bool = False

    def add(self, other: IngestReport) -> None:
        """Fold another report into this one."""
        self.received += other.received
        self.applied += other.applied
        self.unchanged += other.unchanged
        self.held += other.held
        self.refused.update(other.refused)
        self.seen |= other.seen
        self.trust_widened = self.trust_widened or other.trust_widened

    @property
    def refused_total(self) -> int:
        """How many entries were refused, for any reason."""
        return sum(self.refused.values())


def _parse(item: Item) -> Entry:
    if isinstance(item, Entry):
        return item
    if isinstance(item, dict):
        return entries.validate(item)
    if isinstance(item, (bytes, bytearray, memoryview, str)):
        return fastdecode.decode(bytes(item) if not isinstance(item, str) else item)
    raise EntryError("malformed", "an entry must be JSON")


def _sig_bytes(entry: Entry, stored: bytes) -> bytes:
    # The decoder checks only the length of ``sig``: one that is not base64url cannot match the
    # stored version, so it goes on to the signature check and is refused there.
    if entry.decoded is not None:
        return entry.decoded.sig
    try:
        return b64u_decode(entry.sig)
    except EncodingError:
        return stored + b"\x00"


def _changes_trust(entry: Entry) -> bool:
    return entry.type in _CONTROL or (entry.type == "tombstone" and entry.body["was"] in _CONTROL)


def verify_entry(entry: Entry) -> bool:
    """Check one entry's signature, taking the signed bytes from its canonical form when it has one."""
    signed = _signed(entry)
    return entry.verify() if signed is None else verifier.check(signed)


def _signed(entry: Entry) -> verifier.Signed | None:
    """What a worker needs to check the signature; None for an entry without canonical bytes."""
    if entry.raw is None:
        return None
    if entry.decoded is not None:
        return _author_key(entry.author), entry.raw, entry.sig, entry.decoded.sig
    try:
        return _author_key(entry.author), entry.raw, entry.sig, b64u_decode(entry.sig)
    except EncodingError:
        # Not base64url (the decoder checks only the length): it cannot verify.
        return _author_key(entry.author), entry.raw, entry.sig, b""


_keys: dict[str, bytes] = {}


def _author_key(author: str) -> bytes:
    # A batch holds thousands of entries of a handful of authors: decode each key once.
    key = _keys.get(author)
    if key is None:
        if len(_keys) > 4096:
            _keys.clear()
        key = _keys[author] = b64u_decode(author)
    return key


def _verify_chunk(chunk: Sequence[Entry]) -> list[bool]:
    return [verify_entry(entry) for entry in chunk]


class _Checks:
    """The signature checks of one chunk: in a worker process, or done here for a small batch."""

    def __init__(self, chunk: list[Entry], *, parallel: bool) -> None:
        signed = [_signed(entry) for entry in chunk] if parallel else []
        self.items = [s for s in signed if s is not None]
        if not parallel or len(self.items) < len(chunk):
            # Small, or an entry handed over without its bytes (rare): check them here.
            self.future: Future[list[bool]] | None = None
            self.done = _verify_chunk(chunk)
        else:
            self.future = verifier.submit(self.items)

    def result(self) -> list[bool]:
        """A verdict per entry of the chunk, in order."""
        return self.done if self.future is None else verifier.verdicts(self.future, self.items)


def verify_all(batch: Sequence[Entry], *, parallel: bool = True) -> list[bool]:
    """Check every signature of a batch, in the worker processes when it is large enough."""
    parallel = parallel and len(batch) >= PARALLEL_FROM
    checks = [_Checks(list(batch[i : i + CHUNK]), parallel=parallel) for i in range(0, len(batch), CHUNK)]
    return [ok for part in checks for ok in part.result()]


_Started = tuple[list[tuple[Entry, bool | None]], list[tuple[list[Entry], _Checks]]]


def _plain(item: Item) -> bool:
    """Whether an item surely neither changes trust nor places (a cheap look at its bytes)."""
    return isinstance(item, bytes) and not any(marker in item for marker in _SPECIAL)


class Ingest:
    """The pipeline bound to one node; build once per round or bundle, call :meth:`run` per page."""

    def __init__(self, node: Node, *, trust: TrustView | None = None, places: Places | None = None,
                 check_scope: bool = True, parallel: bool = True) -> None:
        self.node = node
        self.store = node.store
        self.trust_table = Trust(node)
        if trust is None:
            # A hand-over stored earlier (say before its signer was trusted directly) is taken now.
            take_handovers(self.trust_table)
        self.trust = trust or self.trust_table.view()
        self.places = places or Places.from_store(node.store)
        self.check_scope = check_scope
        self.parallel = parallel

    def run(self, items: Sequence[Item], *, source: str, now: dt.datetime | None = None,
            record: bool = True) -> IngestReport:
        """Take in a batch of entries (raw JSON bytes, objects or Entry); return what happened."""
        now = now or utcnow()
        report = IngestReport(received=len(items))
        if len(items) > PAGE and self.parallel and all(_plain(item) for item in items):
            self._run_pages(items, report, now)
        else:
            self._run_whole(items, report, now)
        if record and report.refused:
            self.trust_table.record_refusals(source, report.refused, now=now)
            log.info("ingest from %s refused %s", source[:12], dict(report.refused))
        return report

    def _run_pages(self, items: Sequence[Item], report: IngestReport, now: dt.datetime) -> None:
        """A batch that cannot change trust or places: page by page, each stored while the next verifies."""
        waiting: _Started | None = None
        for start in range(0, len(items), PAGE):
            started = self._start(items[start : start + PAGE], report)
            if waiting is not None:
                self._finish(self._results(waiting), report, now)
            waiting = started
        if waiting is not None:
            self._finish(self._results(waiting), report, now)

    def _finish(self, results: list[tuple[Entry, bool | None]], report: IngestReport, now: dt.datetime) -> None:
        good: list[Entry] = []
        for entry, ok in results:
            if ok is None:
                # Not welcome, and nothing in this batch can welcome it: refused without the check.
                report.refused[self.trust.refusal(entry.author) or "unknown_key"] += 1
            elif ok:
                good.append(entry)
            else:
                report.refused["bad_signature"] += 1
        self._admit(good, report, now)

    def _run_whole(self, items: Sequence[Item], report: IngestReport, now: dt.datetime) -> None:
        verified: list[Entry] = []
        deferred: list[Entry] = []
        for entry, ok in self._results(self._start(items, report)):
            if ok is None:
                deferred.append(entry)
            elif ok:
                verified.append(entry)
            else:
                report.refused["bad_signature"] += 1
        control = [e for e in verified if _changes_trust(e)]
        if control:
            self._admit(control, report, now)
            # The vouches just applied may hand a key over: apply that before trust is read again.
            take_handovers(self.trust_table, now=now)
            before = self.trust
            self.trust = self.trust_table.view()
            if self.trust.vouched - before.vouched:
                # Newly vouched authors: their entries may have been refused earlier, from any peer.
                self.trust_table.restart_checkpoints()
                report.trust_widened = True
        for entry in deferred:
            # Unwelcome authors cost no signature check, unless a vouch in this batch welcomed them.
            reason = self.trust.refusal(entry.author)
            if reason is not None:
                report.refused[reason] += 1
            elif verify_entry(entry):
                verified.append(entry)
            else:
                report.refused["bad_signature"] += 1
        rest = [e for e in verified if not _changes_trust(e)]
        if any(e.type == "node" for e in rest):
            self._admit([e for e in rest if e.type == "node"], report, now)
            self.places = Places.from_store(self.store)
            rest = [e for e in rest if e.type != "node"]
        self._admit(rest, report, now)

    def _start(self, items: Sequence[Item], report: IngestReport) -> _Started:
        """Parse chunk by chunk, handing each chunk's signatures to the pool while the next is parsed.

        Entries of authors not welcome now come back unchecked (None): a vouch later in the
        batch may still welcome them, and otherwise they are refused without the cost.
        """
        small = not self.parallel or len(items) < PARALLEL_FROM
        pending: list[tuple[list[Entry], _Checks]] = []
        results: list[tuple[Entry, bool | None]] = []
        for start in range(0, len(items), CHUNK):
            parsed: list[Entry] = []
            for item in items[start : start + CHUNK]:
                try:
                    parsed.append(_parse(item))
                except EntryError as exc:
                    report.refused[exc.reason] += 1
            fresh: list[Entry] = []
            for entry in self._drop_known(parsed, report):
                if self.trust.refusal(entry.author) is None or _changes_trust(entry):
                    fresh.append(entry)
                else:
                    results.append((entry, None))
            pending.append((fresh, _Checks(fresh, parallel=not small)))
        return results, pending

    @staticmethod
    def _results(started: _Started) -> list[tuple[Entry, bool | None]]:
        """Wait for the signature checks a :meth:`_start` handed out; every entry with its verdict."""
        results, pending = started
        for fresh, checks in pending:
            results.extend(zip(fresh, checks.result(), strict=True))
        return results

    def _drop_known(self, parsed: list[Entry], report: IngestReport) -> list[Entry]:
        """Skip entries we already hold at this or a newer version, before paying for a signature check."""
        stored = self.store.stored_versions({e.key for e in parsed})
        fresh = []
        for entry in parsed:
            have = stored.get(entry.key)
            if have is not None and (have[0] > entry.version
                                     or (have[0] == entry.version and have[1] >= _sig_bytes(entry, have[1]))):
                report.unchanged += 1
                report.seen.add((entry.author, entry.id, entry.version))
                continue
            fresh.append(entry)
        return fresh

    def _admit(self, batch: list[Entry], report: IngestReport, now: dt.datetime) -> None:
        """Trust, expiry and scope checks, then apply what passed in one transaction."""
        good: list[Entry] = []
        for entry in batch:
            reason = self.trust.refusal(entry.author)
            if reason is not None:
                report.refused[reason] += 1
                continue
            try:
                due = entries.check_time(entry, now)
            except EntryError as exc:
                report.refused[exc.reason] += 1
                continue
            if self.check_scope and entry.author != self.node.node_id and \
                    not delivers(Reach.of_entry(entry), self.node.node_id, self.places):
                report.refused["out_of_reach"] += 1
                continue
            report.seen.add((entry.author, entry.id, entry.version))
            if not due:
                self.store.hold(entry)
                report.held += 1
                continue
            if entry.author != self.node.node_id and places_held.moves(self.store, entry):
                # A centre that moves waits for our coordinator (noticeboard/places_held.py).
                places_held.hold(self.store, entry)
                report.held += 1
                continue
            good.append(entry)
        if not good:
            return
        for outcome in self.store.apply_many(good, now=now):
            if outcome in (Outcome.APPLIED, Outcome.CONFLICT):
                report.applied += 1
            elif outcome is Outcome.EXPIRED:
                report.refused["expired"] += 1
            else:
                report.unchanged += 1


def ingest(node: Node, items: Sequence[Item], *, source: str, now: dt.datetime | None = None,
           check_scope: bool = True, parallel: bool = True) -> IngestReport:
    """Run one batch through the pipeline (see :class:`Ingest` to reuse trust and places)."""
    return Ingest(node, check_scope=check_scope, parallel=parallel).run(items, source=source, now=now)


def release_held(node: Node, *, now: dt.datetime | None = None, source: str = "held") -> IngestReport:
    """Take in held entries whose time has come, through the same pipeline."""
    now = now or utcnow()
    due = node.store.due_held(now)
    return ingest(node, due, source=source, now=now) if due else IngestReport()
