"""First contact by range-based set reconciliation (protocol version 2, after Negentropy).

Both sides order the entry versions they hold by (updated, digest): ``updated`` the entry's
unix time, ``digest`` the first 8 bytes of its signature. The client describes ranges of that
order by a fingerprint (a hash of the sum of the items' salted hashes and their count); the
server compares each with its own items in the same range. Equal ranges are done; a range
that differs is split and compared again, until a range is small: then the client lists its
items there as short salted hashes (18 bits, Rice-coded) and the server names what each side
lacks in it (the client: the server's seqs to fetch; the server: positions in the client's list).

A 4-byte check (of the sum of the hashes the server matched) per listed range guards against
collisions of short hashes: where the client's own sum differs, it lists that range again with
8-byte hashes.
The exact bytes are in docs/replication.md; this module is pure (no store, no network).
"""

from __future__ import annotations

import hashlib
import math
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from crypto.encoding import b64u_encode
from sync import wire
from sync.wire import WireError

SALT_BYTES = 8
FINGERPRINT_BYTES = 8
# A range holding at most this many items is listed, not split.
LEAF_ITEMS = 128
# A differing range is split into at most this many parts.
BRANCHES = 16
# A listed item is the top SHORT_BITS bits of its hash. Fewer bits cost more collisions (each
# caught by its range's check and listed again in full, ~1 kB); see docs/replication.md.
SHORT_BITS = 18
SHORT_SPACE = 1 << SHORT_BITS
CHECK_BYTES = 4
MASK = (1 << 64) - 1

# Modes of a range in a message.
SKIP, FINGERPRINT, LIST, LIST_FULL, SEND = 0, 1, 2, 3, 4

Key = tuple[int, bytes]
# Above every item: the bound of the last range.
INFINITY: Key = (1 << 62, b"")
LOWEST: Key = (0, b"")


def item_hash(salt: bytes, digest: bytes) -> bytes:
    """The salted 8-byte hash of one entry version: BLAKE2s-64 of salt || digest."""
    return hashlib.blake2s(salt + digest, digest_size=8).digest()


def short_hash(full: bytes) -> int:
    """The top SHORT_BITS bits of an item's hash, as a number (what a listed range carries)."""
    return int.from_bytes(full[:4], "big") >> (32 - SHORT_BITS)


def rice_bits(count: int) -> int:
    """The Rice parameter for ``count`` sorted short hashes: the low bits sent as they are."""
    return max(0, (SHORT_SPACE // max(count, 1)).bit_length() - 1)


def rice_encode(values: list[int], k: int) -> bytes:
    """Sorted numbers as Golomb-Rice coded gaps: per gap, (gap >> k) one-bits, a zero-bit, the low k bits.

    The bits are read most significant first and padded with zero-bits to whole bytes.
    """
    acc = 0
    nbits = 0
    previous = 0
    low_mask = (1 << k) - 1
    for value in values:
        gap = value - previous
        previous = value
        q = gap >> k
        acc = (acc << (q + 1 + k)) | (((1 << q) - 1) << (k + 1)) | (gap & low_mask)
        nbits += q + 1 + k
    pad = -nbits % 8
    return (acc << pad).to_bytes((nbits + pad) // 8, "big")


def rice_decode(data: bytes, count: int, k: int) -> list[int]:
    """The numbers :func:`rice_encode` wrote; raises WireError."""
    bits = format(int.from_bytes(data, "big"), f"0{len(data) * 8}b") if data else ""
    values: list[int] = []
    at = previous = 0
    for _ in range(count):
        end = bits.find("0", at)
        if end < 0 or end + 1 + k > len(bits):
            raise WireError("malformed", "truncated Rice code")
        gap = ((end - at) << k) | (int(bits[end + 1 : end + 1 + k], 2) if k else 0)
        previous += gap
        if previous >= SHORT_SPACE:
            raise WireError("malformed", "a short hash is 18 bits")
        values.append(previous)
        at = end + 1 + k
    return values


class Holding:
    """One side's entry versions in reconciliation order, with running sums for fingerprints."""

    def __init__(self, rows: Iterable[tuple[int, int, bytes]], salt: bytes) -> None:
        # Rows from the store come in order already: then this sort is one pass.
        ordered = sorted((updated, digest, seq) for seq, updated, digest in rows)
        self.salt = salt
        self.keys: list[Key] = [(u, d) for u, d, _ in ordered]
        self.seqs: list[int] = [s for _, _, s in ordered]
        self.hashes: list[bytes] = [item_hash(salt, d) for _, d, _ in ordered]
        acc = [0]
        for h in self.hashes:
            acc.append((acc[-1] + int.from_bytes(h, "little")) & MASK)
        self.acc = acc

    def __len__(self) -> int:
        return len(self.keys)

    def span(self, low: Key, high: Key) -> tuple[int, int]:
        """Indices [i, j) of the items in [low, high)."""
        return bisect_left(self.keys, low), bisect_left(self.keys, high)

    def sum(self, i: int, j: int) -> int:
        """Sum of the items' hashes in [i, j), modulo 2^64."""
        return (self.acc[j] - self.acc[i]) & MASK

    def fingerprint(self, i: int, j: int) -> bytes:
        """SHA-256 of the 8-byte little-endian sum and the varint count of [i, j), first 8 bytes."""
        return hashlib.sha256(self.sum(i, j).to_bytes(8, "little") + wire.varint(j - i)).digest()[:FINGERPRINT_BYTES]

    def bound_before(self, k: int) -> Key:
        """The shortest bound above item k-1 and not above item k."""
        (t0, d0), (t1, d1) = self.keys[k - 1], self.keys[k]
        if t0 != t1:
            return t1, b""
        shared = 0
        while shared < len(d1) and shared < len(d0) and d0[shared] == d1[shared]:
            shared += 1
        return t1, d1[: shared + 1]

    def split(self, i: int, j: int, high: Key) -> list[tuple[Key, int, int]]:
        """[i, j) in parts of about equal size, each (upper bound, start, end); the last ends at high."""
        parts = min(BRANCHES, math.ceil((j - i) / LEAF_ITEMS))
        cuts = sorted({i + (j - i) * m // parts for m in range(1, parts)})
        found: list[tuple[Key, int, int]] = []
        start = i
        for cut in cuts:
            if cut <= start or self.keys[cut - 1] == self.keys[cut]:
                continue
            found.append((self.bound_before(cut), start, cut))
            start = cut
        found.append((high, start, j))
        return found


class Writer:
    """A message's ranges: bound, mode, payload; consecutive skips merged."""

    def __init__(self) -> None:
        self.ranges: list[tuple[Key, int, bytes]] = []

    def add(self, bound: Key, mode: int, payload: bytes = b"") -> None:
        """One range from the previous bound up to ``bound``."""
        if mode == SKIP and self.ranges and self.ranges[-1][1] == SKIP:
            self.ranges[-1] = (bound, SKIP, b"")
        else:
            self.ranges.append((bound, mode, payload))

    @property
    def done(self) -> bool:
        """Nothing left to compare: every range skipped."""
        return all(mode == SKIP for _, mode, _ in self.ranges)

    def encode(self) -> bytes:
        """The ranges as bytes (empty when all are skipped)."""
        if self.done:
            return b""
        out = bytearray()
        last_ts = 0
        for (ts, prefix), mode, payload in self.ranges:
            if (ts, prefix) == INFINITY:
                out += wire.varint(0)
            else:
                out += wire.varint(ts - last_ts + 1)
                last_ts = ts
            out += wire.varint(len(prefix)) + prefix + bytes([mode]) + payload
        return bytes(out)


@dataclass(frozen=True, slots=True)
class Range:
    """One range of a message as read: [low, high), its mode, a fingerprint or the listed hashes."""

    low: Key
    high: Key
    mode: int
    fingerprint: bytes = b""
    listed: tuple[int, ...] = ()


def decode(data: bytes) -> list[Range]:
    """The ranges of a message; raises WireError."""
    if not data:
        return [Range(LOWEST, INFINITY, SKIP)]
    found: list[Range] = []
    at, last_ts, low = 0, 0, LOWEST
    while at < len(data):
        if low == INFINITY:
            raise WireError("malformed", "ranges go on past the last bound")
        code, at = wire.read_varint(data, at)
        size, at = wire.read_varint(data, at)
        if size > 8 or at + size + 1 > len(data):
            raise WireError("malformed", "bad bound")
        prefix = data[at : at + size]
        at += size
        if code == 0:
            high = INFINITY
        else:
            last_ts += code - 1
            high = (last_ts, prefix)
        if high <= low:
            raise WireError("malformed", "bounds must ascend")
        mode = data[at]
        at += 1
        if mode == FINGERPRINT:
            fingerprint, at = data[at : at + FINGERPRINT_BYTES], at + FINGERPRINT_BYTES
            if len(fingerprint) != FINGERPRINT_BYTES:
                raise WireError("malformed", "truncated fingerprint")
            found.append(Range(low, high, mode, fingerprint=fingerprint))
        elif mode == LIST:
            count, at = wire.read_varint(data, at)
            size, at = wire.read_varint(data, at)
            if count > wire.MAX_RANGES or at + size > len(data):
                raise WireError("malformed", "truncated list")
            found.append(Range(low, high, mode, listed=tuple(rice_decode(data[at : at + size], count,
                                                                          rice_bits(count)))))
            at += size
        elif mode == LIST_FULL:
            count, at = wire.read_varint(data, at)
            if count > wire.MAX_RANGES or at + 8 * count > len(data):
                raise WireError("malformed", "truncated list")
            found.append(Range(low, high, mode, listed=tuple(int.from_bytes(data[k : k + 8], "big")
                                                             for k in range(at, at + 8 * count, 8))))
            at += 8 * count
        elif mode in (SKIP, SEND):
            found.append(Range(low, high, mode))
        else:
            raise WireError("malformed", "unknown range mode")
        low = high
    if low != INFINITY:
        raise WireError("malformed", "the last range must end at infinity")
    return found


def _listed(holding: Holding, i: int, j: int, full: bool) -> tuple[bytes, list[int]]:
    """The payload listing items [i, j), and their indices in the order listed."""
    if full:
        return wire.varint(j - i) + b"".join(holding.hashes[i:j]), list(range(i, j))
    order = sorted(range(i, j), key=lambda k: short_hash(holding.hashes[k]))
    coded = rice_encode([short_hash(holding.hashes[k]) for k in order], rice_bits(j - i))
    return wire.varint(j - i) + wire.varint(len(coded)) + coded, order


@dataclass
class Answer:
    """The server's answer to one message: its ranges, what each side lacks, a check per listed range."""

    ranges: bytes
    missing: list[int]
    lacks: list[int]
    checks: bytes

    def to_json(self, epoch: str, upto: int) -> dict[str, Any]:
        """The answer's JSON object (docs/replication.md)."""
        return {"epoch": epoch, "upto": upto, "ranges": b64u_encode(self.ranges),
                "missing": b64u_encode(wire.pack_ascending(self.missing)),
                "lacks": b64u_encode(wire.pack_ascending(self.lacks)), "checks": b64u_encode(self.checks)}


def check_of(total: int) -> bytes:
    """What a listed range's check carries: the low 4 bytes of a sum of 8-byte hashes (little-endian)."""
    return (total & MASK).to_bytes(8, "little")[:CHECK_BYTES]


def respond(holding: Holding, message: bytes) -> Answer:
    """The server's side: compare each range of the client's message with what we hold."""
    out = Writer()
    missing: list[int] = []
    lacks: list[int] = []
    checks = bytearray()
    position = 0
    for got in decode(message):
        i, j = holding.span(got.low, got.high)
        if got.mode in (SKIP, SEND):
            out.add(got.high, SKIP)
        elif got.mode == FINGERPRINT:
            if holding.fingerprint(i, j) == got.fingerprint:
                out.add(got.high, SKIP)
            elif j - i <= LEAF_ITEMS:
                out.add(got.high, SEND)
            else:
                for bound, a, b in holding.split(i, j, got.high):
                    out.add(bound, FINGERPRINT, holding.fingerprint(a, b))
        else:
            full = got.mode == LIST_FULL
            ours = {(int.from_bytes(holding.hashes[k], "big") if full else short_hash(holding.hashes[k])): k
                    for k in range(i, j)}
            wanted = set(got.listed)
            matched = 0
            for k in range(i, j):
                if (int.from_bytes(holding.hashes[k], "big") if full else short_hash(holding.hashes[k])) in wanted:
                    matched += int.from_bytes(holding.hashes[k], "little")
                else:
                    missing.append(holding.seqs[k])
            checks += check_of(matched)
            lacks.extend(position + n for n, value in enumerate(got.listed) if value not in ours)
            position += len(got.listed)
            out.add(got.high, SKIP)
    return Answer(out.encode(), sorted(missing), lacks, bytes(checks))


@dataclass
class _Listed:
    """A range we listed in the last message: its bounds, whether in full, our items in the order listed."""

    low: Key
    high: Key
    full: bool
    items: list[int]


@dataclass
class Initiator:
    """The client's side of one reconciliation: what it sent last, what it learnt so far."""

    holding: Holding
    # The server's seqs we lack, and the indices (into holding) of our items the server lacks.
    missing: set[int] = field(default_factory=set)
    lacks: set[int] = field(default_factory=set)
    # Listed ranges whose check showed two items sharing a short hash (listed again in full).
    collisions: int = 0
    _listed: list[_Listed] = field(default_factory=list)

    def first(self) -> bytes:
        """The first message: the whole order, as fingerprints of its parts (or our list, if short)."""
        out = Writer()
        if len(self.holding) <= LEAF_ITEMS:
            self._compare(out, LOWEST, INFINITY, None)
        else:
            for bound, a, b in self.holding.split(0, len(self.holding), INFINITY):
                out.add(bound, FINGERPRINT, self.holding.fingerprint(a, b))
        return out.encode()

    def _compare(self, out: Writer, low: Key, high: Key, theirs: bytes | None, *, full: bool = False) -> None:
        """Answer a range: skip it when the fingerprints agree, list it when small (or asked), else split it."""
        i, j = self.holding.span(low, high)
        if theirs is not None and not full and self.holding.fingerprint(i, j) == theirs:
            out.add(high, SKIP)
        elif theirs is None or full or j - i <= LEAF_ITEMS:
            payload, order = _listed(self.holding, i, j, full)
            out.add(high, LIST_FULL if full else LIST, payload)
            self._listed.append(_Listed(low, high, full, order))
        else:
            for bound, a, b in self.holding.split(i, j, high):
                out.add(bound, FINGERPRINT, self.holding.fingerprint(a, b))

    def take(self, answer: dict[str, Any]) -> bytes | None:
        """Learn from the server's answer; the next message, or None when reconciliation is complete."""
        listed, self._listed = self._listed, []
        missing = wire.unpack_ascending(wire.b64_field(answer.get("missing"), "missing"))
        lacks = wire.unpack_ascending(wire.b64_field(answer.get("lacks"), "lacks"))
        checks = wire.b64_field(answer.get("checks"), "checks")
        order = [k for part in listed for k in part.items]
        if len(checks) != CHECK_BYTES * len(listed) or (lacks and lacks[-1] >= len(order)):
            raise WireError("malformed", "checks or lacks do not fit the message")
        self.missing.update(missing)
        lacking = {order[n] for n in lacks}
        self.lacks |= lacking
        refill: list[tuple[Key, Key]] = []
        for n, part in enumerate(listed):
            ours = sum(int.from_bytes(self.holding.hashes[k], "little") for k in part.items if k not in lacking)
            if check_of(ours) != checks[n * CHECK_BYTES : (n + 1) * CHECK_BYTES] and not part.full:
                # Two different items shared a short hash here: list this range again in full.
                self.collisions += 1
                refill.append((part.low, part.high))
        out = Writer()
        r = 0
        for got in decode(wire.b64_field(answer.get("ranges"), "ranges")):
            if got.mode == SKIP:
                # A range we listed is answered by a skip (perhaps merged with its neighbours).
                cursor = got.low
                while r < len(refill) and refill[r][1] <= got.high:
                    if refill[r][0] > cursor:
                        out.add(refill[r][0], SKIP)
                    self._compare(out, *refill[r], None, full=True)
                    cursor = refill[r][1]
                    r += 1
                if cursor != got.high:
                    out.add(got.high, SKIP)
            elif got.mode == SEND:
                self._compare(out, got.low, got.high, None)
            elif got.mode == FINGERPRINT:
                self._compare(out, got.low, got.high, got.fingerprint)
            else:
                raise WireError("malformed", "the server may not list items")
        return None if out.done else out.encode()


def request_body(epoch: str, salt: bytes, ranges: bytes) -> bytes:
    """A /v2/reconcile request: varint(len(epoch)), the epoch (ASCII; empty at first), the salt, the ranges."""
    raw = epoch.encode("ascii")
    return wire.varint(len(raw)) + raw + salt + ranges


def read_request(body: bytes) -> tuple[str, bytes, bytes]:
    """(epoch, salt, ranges) of a /v2/reconcile request; raises WireError."""
    size, at = wire.read_varint(body, 0)
    if size > 64 or at + size + SALT_BYTES > len(body):
        raise WireError("malformed", "bad reconcile header")
    try:
        epoch = body[at : at + size].decode("ascii")
    except UnicodeDecodeError as exc:
        raise WireError("malformed", "epoch must be ASCII") from exc
    at += size
    return epoch, body[at : at + SALT_BYTES], body[at + SALT_BYTES :]
