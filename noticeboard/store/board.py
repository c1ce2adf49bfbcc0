"""The board in memory: decrypted requests and offers, searched without a plaintext index on disk.

At the scale of a region (200,000 posts, issue 16) a search keystroke cannot look at every
post: the index keeps, per post, only what the filters compare (in arrays, one slot a post)
and answers every filter and search word as a bitmap of slots (a Python int), so a keystroke
is a few AND operations and a page is read off in board order.

- A search word of one or two letters is a letter or letter pair of the posts' words: those
  have a bitmap each (``_grams``).
- A longer word is looked for in the list of distinct words on the board (one string, so the
  search runs in C); the posts of the words it is part of are its answer (``_words``).
- Filters (kind, category, status, village, author) have a bitmap per value; expiry and
  distance are worked out from arrays.

A word of a post is a run of non-space characters of its search text, the same unit a search
word is, so "a search word occurs in a post's text" and "in one of the post's words" agree
exactly. Slots are never reused: a post withdrawn or replaced leaves its slot dead (masked out),
and the index is rebuilt when dead slots outnumber live ones.
"""

from __future__ import annotations

import operator
import re
import sys
import unicodedata
from array import array
from bisect import bisect_right, insort
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, replace
from typing import Any

import msgspec

from noticeboard.categories import BY_CODE
from noticeboard.clock import to_epoch
from noticeboard.entry import Entry
from noticeboard.geo import distance_km

# A typo is forgiven (one letter wrong, missing, extra or swapped) in words this long or longer.
TYPO_FROM = 5
# Slots waiting to be OR-ed into the bitmaps before they are flushed (bounds memory in a first build).
PENDING_AT_MOST = 500_000
# Slots under one key (a word, a letter pair) from which they may be kept as a bitmap.
COMMON_FROM = 64
# The results of this many search words are kept until the board changes.
WORD_CACHE_SIZE = 64
_WORD = re.compile(r"\w+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NONZERO = re.compile(rb"[^\x00]")
_CLOSED = ("done", "withdrawn")


def fold(text: str) -> str:
    """Lower case without accents, so 'cafe' finds 'Café'."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def search_text(title: str, text: str, village: str, category: str, when_text: str, ref: str) -> str:
    """What a search looks in: what the card and the post's page show (folded).

    Never the public first name, which no card shows.
    """
    cat = BY_CODE[category]
    return fold(" ".join((title, text, village, cat.nl, cat.en, when_text, ref)))


def _search_parts(title: str, text: str, when_text: str, ref: str) -> tuple[str, str]:
    # Folding a space-joined text is folding each part, and its words are the parts' words:
    # the index takes the village and the category's names from their filters' values (a few
    # for all posts), the reference code apart (one word no other post has), the rest as words.
    return fold(" ".join((title, text, when_text))), fold(ref)


def _category_text(code: str) -> str:
    cat = BY_CODE[code]
    return fold(f"{cat.nl} {cat.en}")


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
    """A post of a page: what the store needs to open it (``entry`` only for posts put in as entries)."""

    key: tuple[str, str]
    type: str
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


def bitmap_of(slots: Iterable[int]) -> int:
    """The bitmap with these slots set."""
    slots = slots if isinstance(slots, (list, array)) else list(slots)
    if not slots:
        return 0
    if len(slots) == 1:
        return 1 << slots[0]
    low = min(slots)
    marks = bytearray(((max(slots) - low) >> 3) + 1)
    for slot in slots:
        slot -= low
        marks[slot >> 3] |= 1 << (slot & 7)
    return int.from_bytes(marks, "little") << low


def _grams_of(word: str) -> set[str]:
    """The letters and letter pairs in a word."""
    grams = set(word)
    grams.update(map(operator.add, word, word[1:]))
    return grams


def slots_in(bitmap: int) -> list[int]:
    """The slots set in a bitmap, in ascending order (the C regex skips the empty bytes)."""
    data = bitmap.to_bytes((bitmap.bit_length() + 7) // 8, "little")
    found = []
    for match in _NONZERO.finditer(data):
        i = match.start()
        byte, base = data[i], i << 3
        while byte:
            low = byte & -byte
            found.append(base + low.bit_length() - 1)
            byte ^= low
    return found


def parts_containing(text: str, starts: array[int], word: str) -> list[int]:
    """Which parts of a newline-joined text (starting at ``starts``) have word in them (str.find: C)."""
    found = []
    i = text.find(word)
    while i >= 0:
        part = bisect_right(starts, i) - 1
        found.append(part)
        if part + 1 >= len(starts):
            break
        i = text.find(word, starts[part + 1])
    return found


class _Postings:
    """Slots per key, each kept the smaller way: one slot (an int), a few (an array), or a bitmap.

    A bitmap is an immutable int, so setting one bit copies it: new slots wait in lists
    (``pending``, appended to directly by the index) and go in together at ``flush``, which a
    first build of 200k posts needs.
    """

    def __init__(self, common_from: int) -> None:
        self.common_from = common_from
        self.small: dict[Hashable, int | array[int]] = {}
        self.bitmaps: dict[Hashable, int] = {}
        self.pending: defaultdict[Hashable, list[int]] = defaultdict(list)

    def flush(self, width: int) -> list[Hashable]:
        """Put the pending slots in; return the keys that became bitmaps."""
        small, bitmaps = self.small, self.bitmaps
        grown = []
        for key, slots in self.pending.items():
            if key in bitmaps:
                bitmaps[key] |= bitmap_of(slots)
                continue
            held = small.get(key)
            if held is None and len(slots) == 1:
                small[key] = slots[0]
                continue
            merged = array("I", (held,) if isinstance(held, int) else held or ())
            merged.extend(slots)
            # A bitmap takes width/8 bytes, an array 4 a slot: switch when the bitmap is smaller.
            if len(merged) >= self.common_from and len(merged) * 32 > width:
                bitmaps[key] = bitmap_of(merged)
                small.pop(key, None)
                grown.append(key)
            else:
                small[key] = merged
        self.pending.clear()
        return grown

    def get(self, key: Hashable) -> int:
        """The key's bitmap (after a flush)."""
        if key in self.bitmaps:
            return self.bitmaps[key]
        held = self.small.get(key)
        if held is None:
            return 0
        return 1 << held if isinstance(held, int) else bitmap_of(held)

    def union(self, keys: Iterable[Hashable]) -> int:
        """The bitmap of every slot under any of these keys (after a flush)."""
        found, loose = 0, []
        small, bitmaps = self.small, self.bitmaps
        for key in keys:
            held = small.get(key)
            if held is None:
                found |= bitmaps.get(key, 0)
            elif isinstance(held, int):
                loose.append(held)
            else:
                loose.extend(held)
        return found | bitmap_of(loose)


class BoardIndex:
    """All live posts of the store, newest first, with a bitmap index for the filters and the search."""

    def __init__(self, opener: Callable[[list[BoardItem]], list[Entry]] | None = None, *,
                 common_from: int = COMMON_FROM) -> None:
        # Opens the posts of a page from the store (their bodies are not kept here).
        self._opener = opener
        self._common_from = common_from
        self._reset()

    def _reset(self) -> None:
        # Per slot (one per post put in, never reused): what the filters and the order need.
        self._keys: list[tuple[str, str]] = []
        self._types: list[str] = []
        self._categories: list[str] = []
        self._statuses: list[str] = []
        self._villages: list[str] = []
        self._seqs = array("q")
        self._created = array("q")
        self._expires = array("q")
        self._lats = array("i")
        self._lons = array("i")
        # The post's distinct words (ids): _word_flat[_word_at[slot]:_word_at[slot + 1]].
        self._word_flat = array("I")
        self._word_at = array("I")
        self._refs: list[str] = []  # the post's reference code, folded ("" once dead)
        self._refs_text: tuple[str, array[int]] | None = None
        self._entries: dict[int, Entry] = {}
        self._slot_of: dict[tuple[str, str], int] = {}
        self._dead = 0
        self._dead_pending: list[int] = []
        self._dead_count = 0
        # Per value of a filter, per letter (pair), per distinct word: the slots that have it.
        self._attrs = _Postings(self._common_from)
        self._grams = _Postings(self._common_from)
        self._words = _Postings(self._common_from)
        self._waiting = 0  # slots in the postings' pending lists
        self._gram_words: defaultdict[str, list[int]] = defaultdict(list)  # letter (pair) -> common words with it
        self._word_id: dict[str, int] = {}
        self._word_text: list[str] = []
        # The distinct words as one string, so a word inside them is found by str.find.
        self._vocab = ""
        self._vocab_starts = array("I")
        # Slots by (created, id) and by expiry, oldest first; new ones wait to be merged in.
        self._order: list[int] = []
        self._order_pending: list[int] = []
        self._by_expiry: list[int] = []
        self._expiry_pending: list[int] = []
        # Until the board changes: the last filter's bitmap, search words' bitmaps, the typo vocabulary.
        self._base_cache: tuple[tuple[object, ...], int] | None = None
        self._word_cache: dict[str, int] = {}
        self._near_cache: dict[tuple[tuple[int, int], float], tuple[int, int]] = {}
        self._vocabulary: frozenset[str] | None = None

    def __len__(self) -> int:
        return len(self._slot_of)

    # ---- putting posts in ---------------------------------------------------------------

    def put(self, entry: Entry) -> None:
        """Add or replace a post; anything that is no longer a post is dropped."""
        if entry.type not in ("request", "offer"):
            self.drop([entry.key])
            return
        body: dict[str, Any] = entry.body
        place, when = body["place"], body.get("when", {})
        self._add(entry.key, entry.type, entry.created, entry.expires, body["category"], body["status"],
                  place["village"], place["lat_cdeg"], place["lon_cdeg"],
                  *_search_parts(body["title"], body.get("text", ""), when.get("text", ""), body["ref"]), 0, entry)

    def put_stored(self, raw: bytes, seq: int) -> None:
        """Add, replace or drop (not a post any more) from a stored row's bytes."""
        stored = _stored.decode(raw)
        if stored.type not in ("request", "offer"):
            self.drop([(stored.author, stored.id)])
            return
        body = stored.body
        self._add((stored.author, stored.id), stored.type, stored.created, stored.expires, body.category,
                  body.status, body.place.village, body.place.lat_cdeg, body.place.lon_cdeg,
                  *_search_parts(body.title, body.text, body.when.text, body.ref), seq, None)

    def _add(self, key: tuple[str, str], kind: str, created: str | int, expires: str | int, category: str,
             status: str, village: str, lat: int, lon: int, haystack: str, ref: str, seq: int,
             entry: Entry | None) -> None:
        if key in self._slot_of:
            self._kill(self._slot_of.pop(key))
        slot = len(self._keys)
        key = (_intern(key[0]), key[1])
        if category not in BY_CODE:
            raise KeyError(category)
        kind, category, status, village = _intern(kind), _intern(category), _intern(status), _intern(village)
        self._slot_of[key] = slot
        self._keys.append(key)
        self._types.append(kind)
        self._categories.append(category)
        self._statuses.append(status)
        self._villages.append(village)
        self._seqs.append(seq)
        self._created.append(created if isinstance(created, int) else to_epoch(created))
        self._expires.append(expires if isinstance(expires, int) else to_epoch(expires))
        self._lats.append(lat)
        self._lons.append(lon)
        if entry is not None:
            self._entries[slot] = replace(entry, raw=None)
        attrs = self._attrs.pending
        attrs["t", kind].append(slot)
        attrs["c", category].append(slot)
        attrs["s", status].append(slot)
        attrs["v", fold(village)].append(slot)
        attrs["a", key[0]].append(slot)
        words = set(haystack.split())
        # A reference code is one word of its own post only: kept by slot, not in the word list.
        if ref and ref.split() == [ref]:
            self._refs.append(ref)
            grams = _grams_of(ref)
        else:
            self._refs.append("")
            words.update(ref.split())
            grams = set()
        self._refs_text = None
        ids = []
        word_id, pending = self._word_id, self._words.pending
        self._word_at.append(len(self._word_flat))
        for word in words:
            wid = word_id.get(word)
            if wid is None:
                wid = word_id[word] = len(self._word_text)
                self._word_text.append(word)
            ids.append(wid)
            pending[wid].append(slot)
        self._word_flat.extend(ids)
        # The letters and letter pairs of the post's rarer words; a common word's (one with a
        # bitmap) are found through the word (_gram_words), not once for each of its posts.
        common = self._words.bitmaps
        for word, wid in zip(words, ids, strict=True):
            if wid not in common:
                grams.update(_grams_of(word))
        pending = self._grams.pending
        for gram in grams:
            pending[gram].append(slot)
        self._order_pending.append(slot)
        self._expiry_pending.append(slot)
        self._changed()
        self._waiting += len(grams) + len(words) + 5
        if self._waiting > PENDING_AT_MOST:
            self._flush_postings()

    def _flush_postings(self) -> None:
        width = len(self._keys)
        self._attrs.flush(width)
        self._grams.flush(width)
        for wid in self._words.flush(width):
            for gram in _grams_of(self._word_text[int(wid)]):  # type: ignore[call-overload]  # word ids are ints
                self._gram_words[gram].append(int(wid))  # type: ignore[call-overload]  # as above
        self._waiting = 0

    def drop(self, keys: Iterable[tuple[str, str]]) -> None:
        """Forget posts (expired, purged)."""
        for key in keys:
            slot = self._slot_of.pop(key, None)
            if slot is not None:
                self._kill(slot)
        self._changed()

    def _kill(self, slot: int) -> None:
        self._dead_pending.append(slot)
        self._dead_count += 1
        self._entries.pop(slot, None)
        self._refs[slot] = ""
        self._refs_text = None

    def _changed(self) -> None:
        self._base_cache = None
        self._word_cache.clear()
        self._vocabulary = None

    def get(self, key: tuple[str, str]) -> BoardItem | None:
        """One post by (author, id)."""
        slot = self._slot_of.get(key)
        return None if slot is None else self._item(slot)

    def _item(self, slot: int) -> BoardItem:
        return BoardItem(self._keys[slot], self._types[slot], self._seqs[slot], self._entries.get(slot))

    # ---- bringing the index up to date --------------------------------------------------

    def _words_of(self, slot: int) -> list[str]:
        end = self._word_at[slot + 1] if slot + 1 < len(self._word_at) else len(self._word_flat)
        return [self._word_text[wid] for wid in self._word_flat[self._word_at[slot]:end]]

    def _sort_key(self, slot: int) -> tuple[int, str, str]:
        # Newest first is this order backwards: by creation time, then id (then author, for a stable order).
        key = self._keys[slot]
        return self._created[slot], key[1], key[0]

    def _flush(self) -> None:
        self._flush_postings()
        if self._dead_pending:
            self._dead |= bitmap_of(self._dead_pending)
            self._dead_pending = []
        if self._dead_count > max(10_000, len(self._slot_of)):
            self._compact()
        if self._order_pending:
            new, self._order_pending = self._order_pending, []
            if len(new) < 16:
                for slot in new:
                    insort(self._order, slot, key=self._sort_key)
            else:
                self._order = self._merged(self._order, new)
        if self._expiry_pending:
            new, self._expiry_pending = self._expiry_pending, []
            self._by_expiry = sorted(self._by_expiry + new, key=self._expires.__getitem__)
        if len(self._vocab_starts) < len(self._word_text):
            new_words = self._word_text[len(self._vocab_starts):]
            start = len(self._vocab) + 1 if self._vocab else 0
            for word in new_words:
                self._vocab_starts.append(start)
                start += len(word) + 1
            self._vocab = "\n".join(new_words) if not self._vocab else self._vocab + "\n" + "\n".join(new_words)

    def _merged(self, order: list[int], new: list[int]) -> list[int]:
        """Slots in order (by _sort_key), with new ones merged in."""
        # By creation time alone (int keys, no tuple per slot: 200k of them took 20 MB), two
        # sorted runs that timsort merges in one pass; then each run of equal times by the rest.
        created = self._created.__getitem__
        new.sort(key=created)
        merged = sorted(order + new, key=created)
        start = 0
        times = self._created
        for i in range(1, len(merged) + 1):
            if i == len(merged) or times[merged[i]] != times[merged[start]]:
                if i - start > 1:
                    merged[start:i] = sorted(merged[start:i], key=self._sort_key)
                start = i
        return merged

    def _compact(self) -> None:
        """Put the live posts into fresh slots (the dead ones outnumber them)."""
        live = sorted(self._slot_of.values())
        rows = [(self._keys[s], self._types[s], self._created[s], self._expires[s], self._categories[s],
                 self._statuses[s], self._villages[s], self._lats[s], self._lons[s],
                 " ".join(self._words_of(s)), self._refs[s], self._seqs[s],
                 self._entries.get(s)) for s in live]
        self._reset()
        for row in rows:
            self._add(*row)
        self._flush_postings()

    # ---- asking -------------------------------------------------------------------------

    def query(self, q: BoardQuery, *, now_text: str, limit: int | None = None, offset: int = 0,
              hidden: frozenset[tuple[str, str]] = frozenset()) -> tuple[list[Entry], int]:
        """Matching posts (a page of them) and how many match in all."""
        self._flush()
        base = self._base(q, now_text, hidden)
        words = " ".join(fold(q.text).split()).split()
        found = base
        for word in words:
            if not found:
                break
            found &= self._word(word)
        if words and not found:
            # Nothing as typed: one typo forgiven in the long words.
            found = self._typo_matches(base, words)
        total = found.bit_count()
        end = total if limit is None else min(total, offset + limit)
        return self.entries([self._item(slot) for slot in self._page(found, total, offset, end)]), total

    def entries(self, items: list[BoardItem]) -> list[Entry]:
        """The posts of these items as entries, in their order (opened from the store when not kept)."""
        if all(item.entry is not None for item in items):
            return [item.entry for item in items if item.entry is not None]
        assert self._opener is not None, "items without entries come from a store, which opens them"
        return self._opener(items)

    def _page(self, found: int, total: int, offset: int, end: int) -> list[int]:
        """Slots offset..end of a result, newest first."""
        if offset >= end:
            return []
        if total * 64 < len(self._keys):
            # Few: take them out of the bitmap and sort them.
            slots = slots_in(found)
            slots.sort(key=self._sort_key, reverse=True)
            return slots[offset:end]
        # Many: walk the board newest first until the page is full (one in 64 or more matches).
        data = found.to_bytes((len(self._keys) + 7) // 8, "little")
        page = []
        for slot in reversed(self._order):
            if data[slot >> 3] >> (slot & 7) & 1:
                page.append(slot)
                if len(page) == end:
                    break
        return page[offset:]

    def _base(self, q: BoardQuery, now_text: str, hidden: frozenset[tuple[str, str]]) -> int:
        # Typing changes only the text, so the other filters are kept between keystrokes.
        key = (q.kind, q.category, q.status, q.village, q.near, q.within_km, q.include_closed, now_text[:16], hidden)
        if self._base_cache is not None and self._base_cache[0] == key:
            return self._base_cache[1]
        attrs = self._attrs
        found = ((1 << len(self._keys)) - 1) & ~self._dead & ~self._expired(to_epoch(now_text))
        if hidden:
            slots = [self._slot_of[k] for k in hidden if k in self._slot_of]
            found &= ~(bitmap_of(slots) | attrs.union(("a", k[0]) for k in hidden if k[1] == "*"))
        if q.kind:
            found &= attrs.get(("t", q.kind))
        if q.category:
            found &= attrs.get(("c", q.category))
        if q.status:
            found &= attrs.get(("s", q.status))
        elif not q.include_closed:
            found &= ~attrs.union(("s", status) for status in _CLOSED)
        village = fold(q.village) if q.village else None
        if village:
            found &= attrs.get(("v", village))
        if q.near is not None and q.within_km is not None:
            found &= self._within(q.near, q.within_km)
        self._base_cache = (key, found)
        return found

    def _expired(self, now: int) -> int:
        expires = self._expires
        cut = bisect_right(self._by_expiry, now, key=expires.__getitem__)
        return bitmap_of(self._by_expiry[:cut])

    def _within(self, near: tuple[int, int], km: float) -> int:
        # Worked out once per place and distance; posts added since are looked at when asked.
        found, upto = self._near_cache.get((near, km), (0, 0))
        lats, lons = self._lats, self._lons
        near_ = [s for s in range(upto, len(self._keys)) if not distance_km(near, (lats[s], lons[s])) > km]
        found |= bitmap_of(near_)
        self._near_cache[(near, km)] = (found, len(self._keys))
        return found

    def _word(self, word: str) -> int:
        """Every slot whose search text has word in it."""
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        # One or two letters: a letter (pair) of a word; longer: the words it is part of.
        if len(word) <= 2:
            found = self._grams.get(word) | self._words.union(self._gram_words.get(word, ()))
        else:
            found = self._words.union(self._words_containing(word)) | bitmap_of(self._refs_containing(word))
        # The category's names and the village: through their filters' bitmaps.
        found |= self._attrs.union(key for key, text in self._named() if word in text)
        if len(self._word_cache) >= WORD_CACHE_SIZE:
            self._word_cache.pop(next(iter(self._word_cache)))
        self._word_cache[word] = found
        return found

    def _named(self) -> list[tuple[Hashable, str]]:
        """The categories and villages on the board, with their search text."""
        keys = [*self._attrs.small, *self._attrs.bitmaps]
        return [(key, _category_text(key[1]) if key[0] == "c" else key[1])  # type: ignore[index]  # (kind, value)
                for key in keys if key[0] in ("c", "v")]  # type: ignore[index]  # as above

    def _words_containing(self, word: str) -> list[int]:
        return parts_containing(self._vocab, self._vocab_starts, word)

    def _refs_containing(self, word: str) -> list[int]:
        if self._refs_text is None:
            starts, at = array("I"), 0
            for ref in self._refs:
                starts.append(at)
                at += len(ref) + 1
            self._refs_text = ("\n".join(self._refs), starts)
        return parts_containing(*self._refs_text, word)

    def _typo_matches(self, base: int, words: list[str]) -> int:
        if not any(len(w) >= TYPO_FROM for w in words):
            return 0
        if self._vocabulary is None:
            # The words of the live posts (dead slots keep their words in the word list).
            live: set[int] = set()
            flat, at = self._word_flat, self._word_at
            for slot in self._slot_of.values():
                live.update(flat[at[slot]:at[slot + 1] if slot + 1 < len(at) else len(flat)])
            texts = [self._word_text[wid] for wid in live]
            texts += [ref for ref in self._refs if ref]
            alive = ((1 << len(self._keys)) - 1) & ~self._dead
            texts += [text for key, text in self._named() if self._attrs.get(key) & alive]
            self._vocabulary = frozenset(w for text in texts for w in _WORD.findall(text))
        found = base
        for word in words:
            if len(word) < TYPO_FROM:
                found &= self._word(word)
                continue
            spelled = 0
            for variant in (word, *near_words(word, self._vocabulary)):
                spelled |= self._word(variant)
            found &= spelled
        return found
