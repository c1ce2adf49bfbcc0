"""The board in memory: decrypted requests and offers, searched without a plaintext index on disk."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

import msgspec

from noticeboard.categories import BY_CODE
from noticeboard.entry import Entry
from noticeboard.geo import distance_km

TEXT_CACHE_SIZE = 16
# A typo is forgiven (one letter wrong, missing, extra or swapped) in words this long or longer.
TYPO_FROM = 5
_WORD = re.compile(r"\w+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without accents, so 'cafe' finds 'Café'."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def one_edit_apart(a: str, b: str) -> bool:
    """Whether a becomes b by at most one letter changed, left out, added, or two neighbours swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1:]


def near_words(word: str, vocabulary: Iterable[str]) -> list[str]:
    """Words that begin with word typed with one typo (as you type, so a beginning is enough)."""
    n = len(word)
    return [v for v in vocabulary if v != word and len(v) >= n - 1
            and any(one_edit_apart(word, v[:m]) for m in (n - 1, n, n + 1) if m <= len(v))]


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


class BoardItem(msgspec.Struct, gc=False):
    """One post with what the filters need precomputed; its body stays sealed in the store.

    Compact (issue 16): the kiosk keeps one per post, 200,000 at the scale of a region. The
    post's page is opened from its row when it is shown (``entry`` is kept only for posts put
    in as entries, outside the store). Not tracked by the garbage collector: it holds no cycles.
    """

    key: tuple[str, str]
    type: str
    created: str
    expires: str
    category: str
    status: str
    village: str
    point: tuple[int, int]
    haystack: str
    seq: int = 0
    entry: Entry | None = None

    @property
    def author(self) -> str:
        """The post's author."""
        return self.key[0]

    @property
    def id(self) -> str:
        """The post's id."""
        return self.key[1]


class _Place(msgspec.Struct):
    village: str = ""
    lat_cdeg: int = 0
    lon_cdeg: int = 0


class _When(msgspec.Struct):
    text: str = ""


class _Body(msgspec.Struct):
    # Only what the board filters and searches by; every other field is skipped by the decoder.
    category: str = ""
    title: str = ""
    text: str = ""
    place: _Place = msgspec.field(default_factory=_Place)
    status: str = ""
    ref: str = ""
    when: _When = msgspec.field(default_factory=_When)


class _Stored(msgspec.Struct):
    type: str
    id: str
    author: str
    created: str
    expires: str
    body: _Body


_stored = msgspec.json.Decoder(_Stored)
_intern = sys.intern


def _item(kind: str, author: str, entry_id: str, created: str, expires: str, body: _Body | dict[str, Any],
          seq: int, entry: Entry | None) -> BoardItem:
    if isinstance(body, dict):
        place, when = body["place"], body.get("when", {})
        title, text, ref, category, status = body["title"], body.get("text", ""), body["ref"], body["category"], \
            body["status"]
        village, lat, lon, when_text = place["village"], place["lat_cdeg"], place["lon_cdeg"], when.get("text", "")
    else:
        title, text, ref, category, status = body.title, body.text, body.ref, body.category, body.status
        village, lat, lon, when_text = body.place.village, body.place.lat_cdeg, body.place.lon_cdeg, body.when.text
    cat = BY_CODE[category]
    # What the card and the post's page show; never the public first name, which no card shows.
    haystack = fold(" ".join((title, text, village, cat.nl, cat.en, when_text, ref)))
    return BoardItem((_intern(author), entry_id), _intern(kind), created, expires, _intern(category), _intern(status),
                     _intern(village), (lat, lon), haystack, seq, entry)


def make_item(entry: Entry) -> BoardItem:
    """Precompute the search text and sort key of a post given as an entry (kept with it)."""
    return _item(entry.type, entry.author, entry.id, entry.created, entry.expires, entry.body, 0,
                 replace(entry, raw=None))


def stored_item(raw: bytes, seq: int) -> BoardItem | tuple[str, str]:
    """A post's board item from its stored bytes (msgspec, only the fields the board needs);
    for anything that is not a post, its key (to drop)."""
    stored = _stored.decode(raw)
    if stored.type not in ("request", "offer"):
        return (stored.author, stored.id)
    return _item(stored.type, stored.author, stored.id, stored.created, stored.expires, stored.body, seq, None)


class BoardIndex:
    """All live posts of the store, newest first."""

    def __init__(self, opener: Callable[[list[BoardItem]], list[Entry]] | None = None) -> None:
        # Opens the posts of a page from the store (their bodies are not kept here).
        self._opener = opener
        self._items: dict[tuple[str, str], BoardItem] = {}
        self._ordered: list[BoardItem] | None = None
        self._filter_cache: tuple[tuple[object, ...], list[BoardItem]] | None = None
        # Results per search text for the current filter list: typing on narrows the longest
        # cached prefix's result, and a backspace finds its text here again.
        self._text_cache: dict[str, list[BoardItem]] = {}
        # Every word on the board, for the typo search; made when first needed after a change.
        self._vocabulary: frozenset[str] | None = None

    def __len__(self) -> int:
        return len(self._items)

    def put(self, entry: Entry) -> None:
        """Add or replace a post; anything that is no longer a post is dropped."""
        if entry.type in ("request", "offer"):
            self.put_item(make_item(entry))
        else:
            self.drop([entry.key])

    def put_stored(self, raw: bytes, seq: int) -> None:
        """Add, replace or drop (not a post any more) from a stored row's bytes."""
        item = stored_item(raw, seq)
        if isinstance(item, BoardItem):
            self.put_item(item)
        else:
            self.drop([item])

    def put_item(self, item: BoardItem) -> None:
        """Add or replace one post's item."""
        self._items[item.key] = item
        self._ordered = None
        self._filter_cache = None
        self._vocabulary = None

    def drop(self, keys: Iterable[tuple[str, str]]) -> None:
        """Forget posts (expired, purged)."""
        for key in keys:
            self._items.pop(key, None)
        self._ordered = None
        self._filter_cache = None
        self._vocabulary = None

    def get(self, key: tuple[str, str]) -> BoardItem | None:
        """One post by (author, id)."""
        return self._items.get(key)

    def ordered(self) -> list[BoardItem]:
        """Posts newest first (by creation time, then id for a stable order)."""
        if self._ordered is None:
            self._ordered = sorted(self._items.values(), key=lambda i: (i.created, i.key[1]), reverse=True)
        return self._ordered

    def query(self, q: BoardQuery, *, now_text: str, limit: int | None = None, offset: int = 0,
              hidden: frozenset[tuple[str, str]] = frozenset()) -> tuple[list[Entry], int]:
        """Matching posts (a page of them) and how many match in all."""
        found = self._text_matches(self._filtered(q, now_text, hidden), " ".join(fold(q.text).split()))
        end = None if limit is None else offset + limit
        return self.entries(found[offset:end]), len(found)

    def entries(self, items: list[BoardItem]) -> list[Entry]:
        """The posts of these items as entries, in their order (opened from the store when not kept)."""
        if all(item.entry is not None for item in items):
            return [item.entry for item in items if item.entry is not None]
        assert self._opener is not None, "items without entries come from a store, which opens them"
        return self._opener(items)

    def _text_matches(self, base: list[BoardItem], text: str) -> list[BoardItem]:
        if not text:
            return base
        if text in self._text_cache:
            return self._text_cache[text]
        # Every word of an older text is inside a word of any text it is a prefix of, so that
        # text's matches are a subset of the older one's: search those instead of every post.
        start = max((t for t in self._text_cache if text.startswith(t)), key=len, default="")
        found = self._text_cache.get(start, base)
        # Plain substring tests in a comprehension: ~50 ms -> a few ms at 50k posts.
        for word in text.split():
            found = [item for item in found if word in item.haystack]
        if not found:
            # Nothing as typed: one typo forgiven in the long words (never cached as the narrowing
            # base above, since a longer text's typo matches are not within this text's).
            return self._typo_matches(base, text)
        if len(self._text_cache) >= TEXT_CACHE_SIZE:
            self._text_cache.pop(next(iter(self._text_cache)))
        self._text_cache[text] = found
        return found

    def _typo_matches(self, base: list[BoardItem], text: str) -> list[BoardItem]:
        words = text.split()
        if not any(len(w) >= TYPO_FROM for w in words):
            return []
        if self._vocabulary is None:
            self._vocabulary = frozenset(w for item in self._items.values() for w in _WORD.findall(item.haystack))
        found = base
        for word in words:
            if len(word) < TYPO_FROM:
                found = [item for item in found if word in item.haystack]
                continue
            spelled = [word, *near_words(word, self._vocabulary)]
            found = [item for item in found if any(w in item.haystack for w in spelled)]
        return found

    def _filtered(self, q: BoardQuery, now_text: str,
                  hidden: frozenset[tuple[str, str]]) -> list[BoardItem]:
        # Typing changes only the text, so the other filters are kept between keystrokes.
        key = (q.kind, q.category, q.status, q.village, q.near, q.within_km, q.include_closed, now_text[:16], hidden)
        if self._filter_cache is not None and self._filter_cache[0] == key:
            return self._filter_cache[1]
        self._text_cache = {}
        village = fold(q.village) if q.village else None
        closed = () if q.include_closed or q.status else ("done", "withdrawn")
        found = []
        for item in self.ordered():
            if (item.expires <= now_text
                    or (hidden and (item.key in hidden or (item.key[0], "*") in hidden))
                    or (q.kind and item.type != q.kind)
                    or (q.category and item.category != q.category)
                    or (q.status and item.status != q.status)
                    or item.status in closed
                    or (village and fold(item.village) != village)
                    or (q.near is not None and q.within_km is not None
                        and distance_km(q.near, item.point) > q.within_km)):
                continue
            found.append(item)
        self._filter_cache = (key, found)
        return found
