"""Search as you type narrows the last result instead of scanning every post: same answers as a fresh index."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from noticeboard.clock import format_time
from noticeboard.node import PostDraft
from noticeboard.store import BoardQuery
from noticeboard.store.board import BoardIndex
from tests.support import make_node

T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
TITLES = ("Hond uitlaten in Ezinge", "Tuin en heg knippen", "Hulp met de tuinslang", "Boodschappen doen",
          "Heggen snoeien bij de kerk", "Café-bezoek samen", "Tuinieren met kinderen", "Uitleg over de hond")


def test_typing_on_backspace_and_new_posts_answer_as_a_fresh_index(tmp_path: Path) -> None:
    node = make_node(tmp_path).open()
    try:
        posts = [node.post(PostDraft("request" if i % 2 else "offer", "tuin" if "uin" in title else "overig", title),
                           now=T0 + dt.timedelta(minutes=i)) for i, title in enumerate(TITLES)]
        index = BoardIndex()
        for post in posts:
            index.put(post)
        now = format_time(T0 + dt.timedelta(hours=1))
        typed = ["t", "tu", "tui", "tuin", "tuin ", "tuin h", "tuin he", "tuin h", "tuin", "tu", "h", "ho",
                 "hond", "hond e", "cafe", "Café", "", "heg"]
        for kind in (None, "offer"):
            for text in typed:
                query = BoardQuery(kind=kind, text=text)
                fresh = BoardIndex()
                for post in posts:
                    fresh.put(post)
                got = index.query(query, now_text=now)
                assert got == fresh.query(query, now_text=now), (kind, text)
        # A new post while a search is cached: it is found at once.
        index.query(BoardQuery(text="hond"), now_text=now)
        extra = node.post(PostDraft("request", "overig", "Nog een hond"), now=T0 + dt.timedelta(minutes=30))
        index.put(extra)
        found, total = index.query(BoardQuery(text="hond"), now_text=now)
        assert found[0].id == extra.id and total == 3
    finally:
        node.close()
