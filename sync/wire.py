"""The wire format: entry pages as NDJSON, digests for first contact, change ranges, varints.

A page is one JSON header line followed by one entry per line, each exactly the entry's
canonical JSON (which never contains a raw newline). Keeping entries as separate lines lets
the receiver refuse one malformed entry and still take in the rest of the page.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from crypto.encoding import EncodingError, b64u_decode

# The highest protocol version this node speaks, and every version it serves (``/v1/hello`` says both).
PROTOCOL = 2
VERSIONS = (1, 2)
NDJSON = "application/x-ndjson"
JSON = "application/json"
OCTETS = "application/octet-stream"

# First 8 bytes of an entry version's signature name it: 2^-64 per pair to collide.
DIGEST_BYTES = 8
MAX_PAGE_ENTRIES = 500
MAX_PAGE_BYTES = 1 << 20
MAX_BODY_BYTES = 4 << 20
MAX_RANGES = 100_000
# Version 2: items listed per changes or offer page (an item is ~70 bytes, a body up to 4 KiB).
MAX_PAGE_ITEMS = 1000
# How many stored rows one changes request may scan for rows in the requester's scope.
SCAN_ROWS = 5000


class WireError(ValueError):
    """A body that does not follow the protocol; ``reason`` is a stable code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


def dumps(value: Any) -> bytes:
    """Compact JSON bytes."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def loads_object(body: bytes) -> dict[str, Any]:
    """Parse a JSON object body; raises WireError."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise WireError("malformed", "body is not JSON") from exc
    if not isinstance(value, dict):
        raise WireError("malformed", "body must be a JSON object")
    return value


def page(header: dict[str, Any], entries: Iterable[bytes]) -> bytes:
    """One NDJSON page: the header line, then one canonical entry per line."""
    return b"\n".join([dumps(header), *entries]) + b"\n"


def read_page(body: bytes) -> tuple[dict[str, Any], list[bytes]]:
    """Split a page into its header and its raw entry lines (entries are checked by ingest)."""
    lines = body.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if not lines:
        raise WireError("malformed", "empty page")
    header = loads_object(lines[0])
    if len(lines) - 1 > MAX_PAGE_ENTRIES:
        raise WireError("too_many", f"a page holds at most {MAX_PAGE_ENTRIES} entries")
    return header, lines[1:]


def integer(value: Any, name: str, low: int = 0, high: int = 2**53 - 1) -> int:
    """A whole number within bounds; raises WireError."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise WireError("malformed", f"{name} must be a whole number")
    return value


def to_ranges(seqs: Iterable[int]) -> list[list[int]]:
    """Sorted sequence numbers as inclusive [first, last] runs."""
    ranges: list[list[int]] = []
    for seq in sorted(seqs):
        if ranges and seq == ranges[-1][1] + 1:
            ranges[-1][1] = seq
        else:
            ranges.append([seq, seq])
    return ranges


def check_ranges(value: Any) -> list[list[int]]:
    """Validate runs received from a peer; raises WireError."""
    if not isinstance(value, list) or len(value) > MAX_RANGES:
        raise WireError("malformed", "ranges must be a list of [first, last]")
    previous = 0
    for run in value:
        if not isinstance(run, list) or len(run) != 2:
            raise WireError("malformed", "ranges must be a list of [first, last]")
        first, last = integer(run[0], "first", 1), integer(run[1], "last", 1)
        if first > last or first <= previous:
            raise WireError("malformed", "ranges must be sorted and apart")
        previous = last
    return value


def take(ranges: list[list[int]], count: int) -> tuple[list[int], list[list[int]]]:
    """Up to count sequence numbers from the front of the runs, and the runs left over."""
    taken: list[int] = []
    rest = [list(r) for r in ranges]
    while rest and len(taken) < count:
        first, last = rest[0]
        n = min(count - len(taken), last - first + 1)
        taken.extend(range(first, first + n))
        if first + n > last:
            rest.pop(0)
        else:
            rest[0][0] = first + n
    return taken, rest


def pack_digests(digests: Iterable[bytes]) -> bytes:
    """Digests as one sorted binary string (8 bytes each)."""
    return b"".join(sorted(set(digests)))


def unpack_digests(data: bytes) -> set[bytes]:
    """The digests in a packed string; raises WireError."""
    if len(data) % DIGEST_BYTES:
        raise WireError("malformed", "digests must be 8 bytes each")
    return {data[i : i + DIGEST_BYTES] for i in range(0, len(data), DIGEST_BYTES)}


def digest_of(sig: bytes) -> bytes:
    """The digest that names one stored entry version."""
    return sig[:DIGEST_BYTES]


def chunks(items: list[bytes], max_entries: int | None = None, max_bytes: int | None = None) -> Iterator[list[bytes]]:
    """Split raw entries into pages within both limits (default: the page limits)."""
    max_entries = max_entries or MAX_PAGE_ENTRIES
    max_bytes = max_bytes or MAX_PAGE_BYTES
    current: list[bytes] = []
    size = 0
    for item in items:
        if current and (len(current) >= max_entries or size + len(item) + 1 > max_bytes):
            yield current
            current, size = [], 0
        current.append(item)
        size += len(item) + 1
    if current:
        yield current


def varint(value: int) -> bytes:
    """LEB128: seven bits per byte, low bits first, the high bit set on every byte but the last."""
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def read_varint(data: bytes, at: int) -> tuple[int, int]:
    """The varint at offset ``at`` and the offset after it; raises WireError."""
    value = shift = 0
    while True:
        if at >= len(data) or shift > 56:
            raise WireError("malformed", "truncated or over-long varint")
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def pack_ascending(values: Iterable[int]) -> bytes:
    """Strictly ascending whole numbers as gaps: varint(first), then varint(each - previous - 1)."""
    out = bytearray()
    previous = -1
    for value in values:
        if value <= previous:
            raise ValueError("values must be strictly ascending and not negative")
        out += varint(value - previous - 1)
        previous = value
    return bytes(out)


def unpack_ascending(data: bytes, limit: int = MAX_RANGES) -> list[int]:
    """The numbers in a gap list (see :func:`pack_ascending`); raises WireError."""
    values: list[int] = []
    previous, at = -1, 0
    while at < len(data):
        gap, at = read_varint(data, at)
        previous += gap + 1
        values.append(previous)
        if len(values) > limit:
            raise WireError("too_many", f"at most {limit} numbers")
    return values


def b64_field(value: Any, name: str) -> bytes:
    """Bytes sent as unpadded base64url text; raises WireError."""
    if not isinstance(value, str):
        raise WireError("malformed", f"{name} must be base64url text")
    try:
        return b64u_decode(value)
    except EncodingError as exc:
        raise WireError("malformed", f"{name} must be base64url text") from exc
