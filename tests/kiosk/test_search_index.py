"""The board's bitmap index answers as a plain scan over every post would, as posts arrive and go.

The scan below is the board's rules written out the simple way (issue 16 replaced it with the
index): each filter compared post by post, each search word looked for in the post's search
text, one typo forgiven in words of five letters or more when nothing matches as typed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crypto.identity import NodeKeys
from noticeboard import entry as entries
from noticeboard.clock import format_time
from noticeboard.entry import Entry
from noticeboard.geo import distance_km
from noticeboard.store import BoardQuery
from noticeboard.store.board import TYPO_FROM, BoardIndex, fold, near_words, search_text

T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
AUTHORS = (NodeKeys(b"\x01" * 32, b"\x02" * 32), NodeKeys(b"\x03" * 32, b"\x04" * 32))
WORDS = ("hond", "Hondje", "uitlaten", "tuin", "tuinslang", "Café", "cafe", "heg", "heggen", "boodschappen",
         "medicijnen", "ophalen", "kerk", "zo", "a", "x-7", "één", "straße", "knippen")
VILLAGES = (("Winsum", 5333, 652), ("Ézinge", 5329, 641), ("Baflo", 5336, 654), ("Leens", 5337, 633))
CATEGORIES = ("boodschappen", "tuin", "vervoer", "overig")
WHEN = ("", "deze week", "zaterdag", "Vanaf nu")
REFS = tuple(f"BH-{a}{b}7K" for a in "0123" for b in "ABCD")


def _edit(word: str, data: st.DataObject) -> str:
    """The word as typed: whole, a beginning, a part, or with a letter wrong, left out, added or swapped."""
    how = data.draw(st.sampled_from(("whole", "start", "part", "pair", "wrong", "out", "added", "swapped")))
    if len(word) < 2 or how == "whole":
        return word
    i = data.draw(st.integers(0, len(word) - 2))
    return {"start": word[: i + 1], "part": word[i:], "pair": word[i:i + data.draw(st.integers(1, 2))], "wrong": word[:i] + "q" + word[i + 1:],
            "out": word[:i] + word[i + 1:], "added": word[:i] + "e" + word[i:],
            "swapped": word[:i] + word[i + 1] + word[i] + word[i + 2:]}[how]


@st.composite
def posts(draw: st.DrawFn) -> dict[str, Any]:
    village = draw(st.sampled_from(VILLAGES))
    return {"kind": draw(st.sampled_from(("request", "offer"))), "author": draw(st.sampled_from((0, 1))),
            "category": draw(st.sampled_from(CATEGORIES)),
            "title": " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))),
            "text": " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=5))),
            "village": village, "when": draw(st.sampled_from(WHEN)),
            "status": draw(st.sampled_from(entries.STATUSES)), "ref": draw(st.sampled_from(REFS)),
            # Minutes after T0; some expire before the board is asked (at T0 + 2 days).
            "created": draw(st.integers(0, 50)), "days": draw(st.sampled_from((1, 3, 14)))}


def make_post(spec: dict[str, Any], *, entry_id: str | None = None, version: int = 1) -> Entry:
    keys = AUTHORS[spec["author"]]
    name, lat, lon = spec["village"]
    body = {"category": spec["category"], "title": spec["title"], "text": spec["text"],
            "place": {"village": name, "lat_cdeg": lat, "lon_cdeg": lon}, "reach_km": 15,
            "status": spec["status"], "ref": spec["ref"], "lang": "nl"}
    if spec["when"]:
        body["when"] = {"text": spec["when"]}
    created = T0 + dt.timedelta(minutes=spec["created"])
    return entries.make(keys.signing_seed, keys.node_id, spec["kind"], body, now=created, entry_id=entry_id,
                        version=version, expires=created + dt.timedelta(days=spec["days"]))


def text_of(e: Entry) -> str:
    b = e.body
    return search_text(b["title"], b.get("text", ""), b["place"]["village"], b["category"],
                       b.get("when", {}).get("text", ""), b["ref"])


def scan(board: dict[tuple[str, str], Entry], q: BoardQuery, now_text: str,
         hidden: frozenset[tuple[str, str]]) -> list[Entry]:
    """The matching posts, newest first, by looking at every one."""
    closed = () if q.include_closed or q.status else ("done", "withdrawn")
    base = [e for e in board.values()
            if e.expires > now_text and e.key not in hidden and (e.author, "*") not in hidden
            and (not q.kind or e.type == q.kind) and (not q.category or e.body["category"] == q.category)
            and (not q.status or e.body["status"] == q.status) and e.body["status"] not in closed
            and (not q.village or fold(e.body["place"]["village"]) == fold(q.village))
            and (q.near is None or q.within_km is None
                 or not distance_km(q.near, (e.body["place"]["lat_cdeg"], e.body["place"]["lon_cdeg"])) > q.within_km)]
    base.sort(key=lambda e: (e.created, e.id, e.author), reverse=True)
    words = fold(q.text).split()
    found = [e for e in base if all(w in text_of(e) for w in words)]
    if found or not words or not any(len(w) >= TYPO_FROM for w in words):
        return found
    import re

    vocabulary = {w for e in board.values() for w in re.findall(r"\w+", text_of(e))}
    spelled = [[w] if len(w) < TYPO_FROM else [w, *near_words(w, vocabulary)] for w in words]
    return [e for e in base if all(any(v in text_of(e) for v in variants) for variants in spelled)]


@st.composite
def queries(draw: st.DrawFn, data: st.DataObject, on_board: list[str]) -> BoardQuery:
    # Words from the posts' search texts (their villages, categories, codes too), or others.
    pool = st.sampled_from(on_board) if on_board else st.sampled_from(WORDS)
    text = " ".join(_edit(draw(st.one_of(pool, pool, st.sampled_from(WORDS + REFS))), data)
                    for _ in range(draw(st.integers(0, 2))))
    near = draw(st.sampled_from((None, None, (5333, 652))))
    def often_none(*values: object) -> Any:
        return draw(st.one_of(st.just(None), st.just(None), st.sampled_from(values)))

    return BoardQuery(kind=often_none("request", "offer"), category=often_none(*CATEGORIES),
                      status=often_none(*entries.STATUSES), village=often_none("winsum", "Ezinge", "Baflo"),
                      text=draw(st.sampled_from((text, text.upper(), f"  {text} "))),
                      near=near, within_km=draw(st.sampled_from((None, 1.0, 10.0))) if near else None,
                      include_closed=draw(st.booleans()))


# About 2 s of CPU for 40 boards: slow tier (the typo and narrowing tests run the index in the fast one).
@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.data())
def test_the_index_answers_as_a_scan_while_posts_arrive_change_and_go(data: st.DataObject) -> None:
    # Keys with two slots may already be bitmaps, so every way of keeping them is asked here.
    index, board = BoardIndex(common_from=data.draw(st.sampled_from((2, 64)), label="common_from")), {}
    now_text = format_time(T0 + dt.timedelta(days=2))
    made = 0
    for _step in range(data.draw(st.integers(1, 3), label="steps")):
        # Some posts arrive, some change (a new version), some are withdrawn (their tombstone).
        for spec in data.draw(st.lists(posts(), max_size=8), label="new"):
            # Ids by count, not random: hypothesis replays a case and must draw the same posts.
            made += 1
            post = make_post(spec, entry_id=str(uuid.UUID(int=made)))
            index.put(post)
            board[post.key] = post
        for key in data.draw(st.lists(st.sampled_from(sorted(board)), max_size=3, unique=True), label="changed") \
                if board else []:
            old = board[key]
            post = make_post({**data.draw(posts()), "author": AUTHORS.index(next(
                k for k in AUTHORS if k.node_id == old.author))}, entry_id=old.id, version=old.version + 1)
            index.put(post)
            board[key] = post
        for key in data.draw(st.lists(st.sampled_from(sorted(board)), max_size=2, unique=True), label="gone") \
                if board else []:
            keys = AUTHORS[next(i for i, k in enumerate(AUTHORS) if k.node_id == key[0])]
            index.put(entries.tombstone(keys.signing_seed, board.pop(key), now=T0 + dt.timedelta(hours=1)))
        hidden = frozenset(data.draw(st.lists(st.sampled_from([*sorted(board), (AUTHORS[1].node_id, "*")]),
                                              max_size=2), label="hidden")) if board else frozenset()
        for _ in range(3):
            on_board = sorted({w for e in board.values() for w in text_of(e).split()})
            q = data.draw(queries(data, on_board), label="query")
            limit, offset = data.draw(st.sampled_from(((None, 0), (2, 0), (2, 1), (5, 3))), label="page")
            expected = scan(board, q, now_text, hidden)
            found, total = index.query(q, now_text=now_text, limit=limit, offset=offset, hidden=hidden)
            assert total == len(expected), q
            end = None if limit is None else offset + limit
            assert [e.key for e in found] == [e.key for e in expected[offset:end]], q
    assert len(index) == len(board)
