"""Protocol version 2: entries are named by (author, id, version, digest) before any body moves.

The changes feed and pushes list these items first; the other side answers with the ones it
lacks, and only those bodies travel. A village with three neighbours then takes each entry's
body once, not once per neighbour that holds it.

An item on the wire is a JSON array: ``[seq, author index, id, version, digest]`` in a changes
page, ``[author index, id, version, digest]`` in an offer, the authors listed once per page in
``"authors"``, the digest the first 8 bytes of the entry's signature as unpadded base64url.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from crypto.encoding import b64u_encode
from noticeboard.store import FeedRow, Store
from sync import wire
from sync.wire import WireError


@dataclass(frozen=True, slots=True)
class Item:
    """One entry version as listed in a version 2 page (seq 0 in an offer: it names no row of ours)."""

    seq: int
    author: str
    id: str
    version: int
    digest: bytes

    @property
    def key(self) -> tuple[str, str]:
        """(author, id), the entry this version belongs to."""
        return self.author, self.id

    @property
    def named(self) -> tuple[str, str, int]:
        """(author, id, version), as the echo memory keeps it."""
        return self.author, self.id, self.version


def items_of(rows: Iterable[FeedRow]) -> list[Item]:
    """The items naming stored rows."""
    return [Item(r.seq, r.author, r.id, r.version, wire.digest_of(r.sig)) for r in rows]


def encode(items: Sequence[Item], *, with_seq: bool) -> dict[str, Any]:
    """``{"authors": [...], "items": [...]}`` for a page (both left out when there are none)."""
    if not items:
        return {}
    authors: dict[str, int] = {}
    listed: list[list[Any]] = []
    for item in items:
        index = authors.setdefault(item.author, len(authors))
        fields: list[Any] = [index, item.id, item.version, b64u_encode(item.digest)]
        listed.append([item.seq, *fields] if with_seq else fields)
    return {"authors": list(authors), "items": listed}


def decode(message: dict[str, Any], *, with_seq: bool) -> list[Item]:
    """The items of a page (see :func:`encode`); raises WireError."""
    raw_items = message.get("items", [])
    authors = message.get("authors", [])
    if not isinstance(raw_items, list) or not isinstance(authors, list) or len(raw_items) > wire.MAX_PAGE_ITEMS:
        raise WireError("malformed", "items must be a list of at most 1000")
    if not all(isinstance(a, str) for a in authors):
        raise WireError("malformed", "authors must be strings")
    width = 5 if with_seq else 4
    found: list[Item] = []
    for raw in raw_items:
        if not isinstance(raw, list) or len(raw) != width:
            raise WireError("malformed", f"an item has {width} fields")
        seq = wire.integer(raw[0], "seq", 1) if with_seq else 0
        index, entry_id, version, digest = raw[-4:]
        index = wire.integer(index, "author index", 0, len(authors) - 1)
        if not isinstance(entry_id, str) or len(entry_id) > 64:
            raise WireError("malformed", "id must be a short string")
        dig = wire.b64_field(digest, "digest")
        if len(dig) != wire.DIGEST_BYTES:
            raise WireError("malformed", "a digest is 8 bytes")
        found.append(Item(seq, authors[index], entry_id, wire.integer(version, "version", 1), dig))
    return found


def lacking(store: Store, items: Sequence[Item]) -> list[int]:
    """Indices of the items naming a version newer than ours (or an entry we do not hold).

    The same rule as applying: a higher version wins, and of equal versions the higher
    signature; by digest alone an equal digest counts as held (2^-64 to be wrong, and only
    until the entry's next version).
    """
    stored = store.stored_versions({item.key for item in items})
    wanted: list[int] = []
    for index, item in enumerate(items):
        have = stored.get(item.key)
        if have is None or have[0] < item.version or (have[0] == item.version and
                                                       wire.digest_of(have[1]) < item.digest):
            wanted.append(index)
    return wanted
