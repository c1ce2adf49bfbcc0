"""The board in memory: decrypted requests and offers, searched without a plaintext index on disk."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from noticeboard.categories import BY_CODE
from noticeboard.entry import Entry
from noticeboard.geo import distance_km


def fold(text: str) -> str:
    """Lower case without accents, so 'cafe' finds 'Café'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class BoardQuery:
    """What a person filters the board by; empty fields do not filter."""

    kind: str | None = None
    category: str | None = None
    status: str | None = None
    village: str | None = None
    text: str = ""
    near: tuple[int, int] | None = None
    within_km: float | None = None
    include_closed: bool = False


@dataclass(slots=True)
class BoardItem:
    """One post with what the filters need precomputed."""

    entry: Entry
    haystack: str
    created: str
    point: tuple[int, int]

    @property
    def body(self) -> dict[str, object]:
        """The entry body."""
        return self.entry.body


def make_item(entry: Entry) -> BoardItem:
    """Precompute the search text and sort key of a post."""
    body = entry.body
    cat = BY_CODE[body["category"]]
    parts = [body["title"], body.get("text", ""), body["place"]["village"], cat.nl, cat.en,
             body.get("when", {}).get("text", ""), body["ref"], body.get("name", "")]
    return BoardItem(entry, fold(" ".join(parts)), entry.created,
                     (body["place"]["lat_cdeg"], body["place"]["lon_cdeg"]))


class BoardIndex:
    """All live posts of the store, newest first."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str], BoardItem] = {}
        self._ordered: list[BoardItem] | None = None

    def __len__(self) -> int:
        return len(self._items)

    def put(self, entry: Entry) -> None:
        """Add or replace a post; anything that is no longer a post is dropped."""
        if entry.type in ("request", "offer"):
            self._items[entry.key] = make_item(entry)
        else:
            self._items.pop(entry.key, None)
        self._ordered = None

    def drop(self, keys: Iterable[tuple[str, str]]) -> None:
        """Forget posts (expired, purged)."""
        for key in keys:
            self._items.pop(key, None)
        self._ordered = None

    def get(self, key: tuple[str, str]) -> BoardItem | None:
        """One post by (author, id)."""
        return self._items.get(key)

    def ordered(self) -> list[BoardItem]:
        """Posts newest first (by creation time, then id for a stable order)."""
        if self._ordered is None:
            self._ordered = sorted(self._items.values(), key=lambda i: (i.created, i.entry.id), reverse=True)
        return self._ordered

    def query(self, q: BoardQuery, *, now_text: str, limit: int | None = None, offset: int = 0,
              hidden: frozenset[tuple[str, str]] = frozenset()) -> tuple[list[Entry], int]:
        """Matching posts (a page of them) and how many match in all."""
        words = fold(q.text).split()
        village = fold(q.village) if q.village else None
        matches: list[Entry] = []
        total = 0
        for item in self.ordered():
            entry = item.entry
            body = entry.body
            if entry.expires <= now_text:
                continue
            if hidden and (entry.key in hidden or (entry.author, "*") in hidden):
                continue
            if q.kind and entry.type != q.kind:
                continue
            if q.category and body["category"] != q.category:
                continue
            if q.status:
                if body["status"] != q.status:
                    continue
            elif not q.include_closed and body["status"] in ("done", "withdrawn"):
                continue
            if village and fold(body["place"]["village"]) != village:
                continue
            if q.near is not None and q.within_km is not None and distance_km(q.near, item.point) > q.within_km:
                continue
            if words and not all(w in item.haystack for w in words):
                continue
            total += 1
            if total > offset and (limit is None or len(matches) < limit):
                matches.append(entry)
        return matches, total
