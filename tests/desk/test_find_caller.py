"""Find the caller first: by phone in any spelling, by name or card id; a known phone on a new card warns."""

from __future__ import annotations

import datetime as dt

import pytest

from noticeboard.desk import audit, cards, intake
from noticeboard.desk.errors import KnownPhone
from noticeboard.node import PostDraft
from tests.desk.fixtures import PASSPHRASE, T0, NodeDir, Village

COORD = {"NOTICEBOARD_PASSPHRASE": PASSPHRASE}


@pytest.mark.parametrize("typed", ["0594-111111", "0594 11 11 11", "+31594111111", "0031 594 111111", "111111"])
def test_a_returning_caller_is_found_by_any_spelling_of_the_phone(village: Village, typed: str) -> None:
    found = cards.search(village.node.store, village.volunteer, typed, now=T0)
    assert [f.person.id for f in found] == [village.ans.id]


def test_three_gerrits_are_told_apart_by_village_and_last_contact(village: Village) -> None:
    store, vol = village.node.store, village.volunteer
    gerrits = [cards.add(store, vol, cards.Person("Gerrit", f"06-1000000{n}", village=v), now=T0)
               for n, v in enumerate(("Ezinge", "Winsum", "Baflo"))]
    later = T0 + dt.timedelta(days=3)
    intake.intake(village.node, vol, gerrits[2].id, PostDraft("request", "tuin", "Heg knippen"), now=later)
    found = cards.search(store, vol, "gerrit", now=later)
    # The one who called last comes first, with the day of that call; the others by card id.
    assert found[0].person.id == gerrits[2].id and found[0].last_contact == later
    assert sorted(f.person.village for f in found) == ["Baflo", "Ezinge", "Winsum"]
    assert cards.search(store, vol, gerrits[1].id.lower(), now=later)[0].person.village == "Winsum"
    assert cards.search(store, vol, gerrits[1].id[2:], now=later)[0].person.id == gerrits[1].id
    # The search is audited (how many were shown), the typed text is not kept.
    line = audit.read(store, village.coordinator, now=later, limit=1)[0]
    assert (line.act, line.actor, line.details) == ("person_find", village.volunteer.actor, {"count": 1})


def test_a_new_card_with_a_known_phone_is_refused_unless_anyway(village: Village) -> None:
    store, vol = village.node.store, village.volunteer
    with pytest.raises(KnownPhone) as raised:
        cards.add(store, vol, cards.Person("Ans", "+31 594 111 111"), now=T0)
    assert raised.value.values["ids"] == village.ans.id
    made = cards.add(store, vol, cards.Person("Ans", "+31 594 111 111"), now=T0, anyway=True)
    assert made.id != village.ans.id


def test_person_find_and_add_from_the_terminal(desk_dir: NodeDir) -> None:
    nd = desk_dir
    added = nd.cli("person", "add", "--first-name", "Truus", "--phone", "050-1234567", "--village", "Winsum",
                   env=COORD)
    assert added.code == 0, added.err
    card = added.out.split(":")[-1].strip()
    found = nd.cli("person", "find", "+31 50 123 45 67", env=COORD)
    assert found.code == 0 and card in found.out and "Winsum" in found.out and "laatste contact" in found.out
    again = nd.cli("person", "add", "--first-name", "Truus", "--phone", "0501234567", env=COORD)
    assert again.code == 1 and card in again.err and "--anyway" in again.err
    anyway = nd.cli("person", "add", "--first-name", "Truus", "--phone", "0501234567", "--anyway", env=COORD)
    assert anyway.code == 0 and "K-" in anyway.out
    assert "Niemand gevonden" in nd.cli("person", "find", "Zwaantje", env=COORD).out


def test_days_and_parts_of_the_day_by_their_first_letters_in_either_language() -> None:
    from noticeboard.desk.errors import BadInput as Bad
    from noticeboard.desk.intake import parse_days, parse_slots

    assert parse_days("do, di", "nl") == ["tue", "thu"] and parse_days("th", "en") == ["thu"]
    # The desk's own language decides: "m" is middag in Dutch, morning in English.
    assert parse_slots("m", "nl") == ["afternoon"] and parse_slots("m", "en") == ["morning"]
    # A Dutch word at an English desk still works where it fits nothing in English.
    assert parse_days("za", "en") == ["sat"] and parse_slots("o", "en") == ["morning"]
    with pytest.raises(Bad):
        parse_days("x", "nl")
