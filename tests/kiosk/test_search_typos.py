"""Search finds across one typo in words of five letters or more, and never matches what no card shows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from crypto.identity import NodeKeys
from noticeboard import entry as entries
from noticeboard.clock import format_time
from noticeboard.geo import Place
from noticeboard.node import PostDraft
from noticeboard.store import BoardQuery
from noticeboard.store.board import BoardIndex
from tests.support import make_node

T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def test_one_typo_in_a_long_word_still_finds_and_a_first_name_never_does(tmp_path: Path) -> None:
    node = make_node(tmp_path).open()
    try:
        index = BoardIndex()
        for i, title in enumerate(("Boodschappen doen", "Heg knippen", "Hond uitlaten", "Medicijnen ophalen")):
            index.put(node.post(PostDraft("request", "overig", title), now=T0 + dt.timedelta(minutes=i)))
        # A post from elsewhere that carries a public first name (older centres put one in).
        body = {"category": "tuin", "title": "Tuin wieden", "text": "", "place": Place("Winsum", 5333, 652).to_wire(),
                "reach_km": 15, "status": "open", "ref": "BH-W001", "lang": "nl", "name": "Gerda"}
        other = NodeKeys(b"\x11" * 32, b"\x12" * 32)
        index.put(entries.make(other.signing_seed, other.node_id, "request", body, now=T0))
        now = format_time(T0 + dt.timedelta(hours=1))

        def titles(text: str) -> set[str]:
            found, _ = index.query(BoardQuery(text=text), now_text=now)
            return {str(e.body["title"]) for e in found}

        assert titles("bodschappen") == {"Boodschappen doen"}    # a letter left out
        assert titles("boodschapen doen") == {"Boodschappen doen"}
        assert titles("medicjnen") == {"Medicijnen ophalen"}
        assert titles("uitlatne") == {"Hond uitlaten"}            # two letters swapped
        assert titles("hnod") == set()                            # four letters: as typed only
        assert titles("knippen") == {"Heg knippen"}               # as typed, no typo needed
        assert titles("gerda") == set() and titles("Gerda") == set()
        assert titles("wieden") == {"Tuin wieden"}
    finally:
        node.close()
