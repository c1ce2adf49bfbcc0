"""Acceptance 3 (issue 18): no personal data and no free text in any ``stats`` entry, fuzzed over the desk's data.

Names, phone numbers, addresses, notes, request titles and texts, match notes, feedback notes and
the reasons of referrals and closings are drawn; the desk does a month of work with them; every
``stats`` entry then holds only the keys of the spec, numbers, "<5", known codes, category keys and
its month, and none of the drawn texts.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from noticeboard import categories
from noticeboard import entry as entries
from noticeboard.desk import cards, evaluation, intake, matches, requests, safeguarding
from noticeboard.desk.errors import DeskError
from noticeboard.entry import CHANNELS, STATS_COUNTS, VARIANT, EntryError
from noticeboard.node import PostDraft
from tests.desk.fixtures import T0, make_desk_node, populate

H = dt.timedelta(hours=1)
KEYS = {"month", "variant", "categories", "figures", *VARIANT, "channels", entries.STATS_MEDIAN,
        *entries.STATS_MONTH_COUNTS, *(c.code for c in categories.CATEGORIES)}
CODES = {"<5", *CHANNELS, *(v for options in VARIANT.values() for v in options)}
# A drawn word that is itself a key or code of the spec ("tuin", "desk") may of course appear.
VOCABULARY = " ".join(sorted(KEYS | CODES))

# Text as people type it: names with accents, phone numbers in every spelling, addresses, sentences.
_words = st.sampled_from(["Ans", "Jan", "de Vries", "Kerkstraat", "mevrouw", "Groetjes", "heg", "Zoë", "Ørjan",
                          "Müller", "bel", "graag", "dinsdag", "boodschappen", "tuin", "desk", "city"])
_phone = st.from_regex(r"0[1-9][0-9]{1,2}[- ]?[0-9]{6,7}", fullmatch=True)
_text = st.lists(st.one_of(_words, st.text(st.characters(codec="utf-8", categories=["L", "Zs"]), min_size=1,
                                           max_size=10)), min_size=1, max_size=6).map(" ".join)
_title = _text.map(lambda s: s[:60].strip() or "Hulp")


def _walk(value: Any, month: str) -> None:
    """Every key and text of a stats body is one the spec names; every number is a count or a median."""
    if isinstance(value, dict):
        for key, inner in value.items():
            assert key in KEYS, key
            _walk(inner, month)
    elif isinstance(value, list):
        for inner in value:
            _walk(inner, month)
    elif isinstance(value, str):
        assert value in CODES or value == month, value
    else:
        assert type(value) is int and value >= 0, value


@pytest.mark.slow
@settings(max_examples=12)
@given(people=st.lists(st.tuples(_words, _phone, _text, _text), min_size=2, max_size=4),
       asks=st.lists(st.tuples(st.sampled_from(["boodschappen", "tuin", "digitaal"]), _title, _text, _text),
                     min_size=5, max_size=9),
       notes=st.lists(_text, min_size=4, max_size=4))
def test_no_personal_data_or_free_text_in_any_stats_entry(people: list[tuple[str, str, str, str]],
                                                        asks: list[tuple[str, str, str, str]],
                                                        notes: list[str]) -> None:
    with tempfile.TemporaryDirectory() as root:
        node = make_desk_node(Path(root)).open()
        try:
            typed = _month_of_work(node, people, asks, notes)
            made = evaluation.publish(node, now=T0 + 5 * 24 * H)
            # The month had work in it: requests and matches done went into the figures.
            shop = made[0].body["categories"]["boodschappen"]
            assert shop[STATS_COUNTS.index("requests")] != 0 and shop[STATS_COUNTS.index("done")] != 0
            for entry in node.store.entries(types=["stats"]):
                _walk(entry.body, entry.body["month"])
                assert all(len(cells) == len(STATS_COUNTS) for cells in entry.body["categories"].values())
                wire = json.dumps(entry.body, ensure_ascii=False)
                for text in typed:
                    assert text in VOCABULARY or text not in wire, text
        finally:
            node.close()


def _month_of_work(node: Any, people: list[tuple[str, str, str, str]], asks: list[tuple[str, str, str, str]],
                   notes: list[str]) -> set[str]:
    """Cards, requests, matches done with notes, a referral and a closing, from the drawn texts; what was typed."""
    village = populate(node, now=T0)
    vol = village.volunteer
    typed: set[str] = set()
    residents = []
    for name, phone, address, note in people:
        try:
            card = cards.add(node.store, village.coordinator, cards.Person(name, phone, address, "Ezinge", notes=note,
                                                                           preferences=note), now=T0)
        except DeskError:
            continue
        residents.append(card)
        typed |= {phone, *(t for t in (address, note) if len(t) >= 8)}
    residents = residents or [village.ans]
    at = T0
    for n, (category, title, text, when) in enumerate(asks):
        at += H
        who = residents[n % len(residents)]
        # Carla helps with shopping only; the others are referred or closed, whatever they asked.
        category = "boodschappen" if n % 4 in (0, 1) else category
        try:
            made = intake.intake(node, vol, who.id, PostDraft("request", category, f"{title} {n}", text=text,
                                                              when=when), now=at)
        except (DeskError, EntryError):
            continue
        typed |= {t for t in (f"{title} {n}", text, when) if len(t) >= 8}
        ref = made.body["ref"]
        if n % 4 == 3:
            safeguarding.flag(node, village.coordinator, ref, notes[0], now=at)
        elif n % 4 == 2:
            requests.close(node, vol, ref, notes[1], now=at)
        else:
            m = matches.propose(node, vol, ref, "person", village.carla.id, now=at)
            matches.agree(node, vol, m.id, "resident", now=at)
            matches.agree(node, vol, m.id, "helper", now=at)
            matches.done(node, vol, m.id, note=notes[2], now=at + H)
            matches.feedback(node, vol, m.id, happened=True, face="good", note=notes[3], now=at + H)
    typed |= {t for t in notes if len(t) >= 8}
    return typed
