"""Suggestions: deterministic, explained, screening enforced with the reason shown, pauses respected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from noticeboard.desk import accounts, audit, cards, intake, matches, matching
from noticeboard.desk.errors import NeedsScreening, Paused
from noticeboard.entry import Entry
from noticeboard.node import PostDraft
from tests.desk.fixtures import T0, Village, make_desk_node


def _request(village: Village, who: cards.Person, category: str, *, days: list[str], slots: list[str],
             at: dt.datetime = T0) -> Entry:
    draft = PostDraft("request", category, "Hulp gevraagd", when="dinsdagmiddag",
                      tags={"when": {"text": "dinsdagmiddag", "days": days, "slots": slots}})
    return intake.intake(village.node, village.volunteer, who.id, draft, now=at)


def _explain(found: list[matching.Suggestion]) -> list[tuple[str, int, list[tuple[str, int]]]]:
    return [(s.label, s.score, [(r.key, r.points) for r in s.reasons]) for s in found]


def test_suggestions_are_deterministic_and_explained(village: Village) -> None:
    request = _request(village, village.ans, "boodschappen", days=["tue"], slots=["afternoon"])
    first, _ = matching.suggest(village.node, village.volunteer, request.body["ref"], now=T0)
    second, _ = matching.suggest(village.node, village.volunteer, request.body["ref"], now=T0)
    assert first == second
    # Hand-computed: 30 same category; distance 20 - 2*km (Bram 0 km, Carla 1 km, Eva in Winsum 5 km);
    # 15 available on Tuesday afternoon, -10 not (Eva only mornings); 10 speaks Dutch; 0 load.
    assert _explain(first) == [
        ("Bram", 75, [("same_category", 30), ("distance", 20), ("available", 15), ("language", 10), ("load", 0)]),
        ("Carla", 73, [("same_category", 30), ("distance", 18), ("available", 15), ("language", 10), ("load", 0)]),
        ("Eva", 40, [("same_category", 30), ("distance", 10), ("not_available", -10), ("language", 10),
                     ("load", 0)]),
    ]
    texts = [r.text() for r in first[0].reasons]
    assert texts[:4] == ["kan helpen met Boodschappen en medicijnen ophalen", "0 km hiervandaan",
                         "beschikbaar: dinsdag, middag", "spreekt nl"]


def test_language_load_and_history_change_the_order(village: Village) -> None:
    request = _request(village, village.piotr, "boodschappen", days=["tue"], slots=["afternoon"])
    found, _ = matching.suggest(village.node, village.volunteer, request.body["ref"], now=T0)
    assert [s.label for s in found][:2] == ["Carla", "Bram"]
    assert ("language", 10) in [(r.key, r.points) for r in found[0].reasons]
    assert ("no_language", -15) in [(r.key, r.points) for r in found[1].reasons]
    # Ans had Bram before and asks for the same helper: +20; Carla is busy with Piotr's request now: -5.
    matches.propose(village.node, village.volunteer, request.body["ref"], "person", village.carla.id, now=T0)
    earlier = _request(village, village.ans, "vervoer", days=["tue"], slots=["afternoon"])
    m = matches.propose(village.node, village.volunteer, earlier.body["ref"], "person", village.bram.id, now=T0)
    matches.agree(village.node, village.volunteer, m.id, "resident", now=T0)
    matches.agree(village.node, village.volunteer, m.id, "helper", now=T0)
    matches.done(village.node, village.volunteer, m.id, now=T0)
    again = _request(village, village.ans, "boodschappen", days=["tue"], slots=["afternoon"])
    found, _ = matching.suggest(village.node, village.volunteer, again.body["ref"], now=T0)
    by_label = {s.label: dict((r.key, r.points) for r in s.reasons) for s in found}
    assert by_label["Bram"]["helped_before"] == 20
    assert by_label["Carla"]["load"] == -5
    assert found[0].label == "Bram"


def test_unscreened_helper_is_not_suggested_for_a_home_visit_and_the_reason_is_shown(village: Village) -> None:
    request = _request(village, village.ans, "gezelschap", days=["tue"], slots=["afternoon"])
    found, blocked = matching.suggest(village.node, village.volunteer, request.body["ref"], now=T0)
    assert [s.label for s in found] == ["Bram"]
    assert ("screened", 0) in [(r.key, r.points) for r in found[0].reasons]
    assert [(b.label, b.reason.key) for b in blocked] == [("Carla", "needs_screening")]
    assert blocked[0].reason.text() == "geen gecontroleerde VOG, en die is nodig voor Gezelschap en koffiebezoek"
    with pytest.raises(NeedsScreening):
        matches.propose(village.node, village.volunteer, request.body["ref"], "person", village.carla.id, now=T0)
    # Once the coordinator records a checked VOG, Carla is suggested.
    cards.record_screening(village.node.store, village.coordinator, village.carla.id, "vog", dt.date(2026, 3, 1),
                           now=T0)
    found, blocked = matching.suggest(village.node, village.volunteer, request.body["ref"], now=T0)
    assert sorted(s.label for s in found) == ["Bram", "Carla"] and blocked == []


def test_paused_helper_reappears_after_the_pause_date(village: Village) -> None:
    request = _request(village, village.ans, "vervoer", days=["tue"], slots=["afternoon"])
    ref = request.body["ref"]
    found, blocked = matching.suggest(village.node, village.volunteer, ref, now=T0)
    assert "Dirk" not in [s.label for s in found]
    assert [(b.label, b.reason.key, b.reason.values["until"]) for b in blocked] == [("Dirk", "paused", "2026-03-10")]
    with pytest.raises(Paused):
        matches.propose(village.node, village.volunteer, ref, "person", village.dirk.id, now=T0)
    later = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)
    session = accounts.login_volunteer(village.node.store, village.volunteer_number, "4711", now=later)
    found, blocked = matching.suggest(village.node, session, ref, now=later)
    assert "Dirk" in [s.label for s in found] and blocked == []


def test_offers_of_other_nodes_are_suggested_with_their_reasons(tmp_path: Path, village: Village) -> None:
    winsum_dir = make_desk_node(tmp_path / "w", "Dorpshuis Winsum", "Winsum", 5333, 652)
    with winsum_dir.open() as winsum:
        offer = winsum.post(PostDraft("offer", "boodschappen", "Ik doe boodschappen", name="Wim", lang="nl",
                                      tags={"when": {"text": "dinsdag", "days": ["tue"]}, "languages": ["nl", "pl"]}),
                            now=T0)
        village.node.store.apply_many([winsum.profile_entry(), offer], now=T0)
    request = _request(village, village.piotr, "boodschappen", days=["tue"], slots=["afternoon"])
    found, _ = matching.suggest(village.node, village.volunteer, request.body["ref"], now=T0)
    remote = [s for s in found if s.kind == "offer"]
    assert len(remote) == 1 and remote[0].village == "Winsum"
    keys = [r.key for r in remote[0].reasons]
    assert keys == ["same_category", "distance", "available", "language", "other_village"]
    assert "Wim" in remote[0].label


def test_suggestions_are_audited(village: Village) -> None:
    request = _request(village, village.ans, "boodschappen", days=["tue"], slots=["afternoon"])
    matching.suggest(village.node, village.volunteer, request.body["ref"], now=T0)
    lines = audit.read(village.node.store, village.coordinator, now=T0, subject=request.body["ref"])
    assert [(r.actor, r.act) for r in lines] == [("volunteer:1", "suggest"), ("volunteer:1", "intake")]
    assert lines[1].details == {"entered_by": "volunteer:1", "for": village.ans.id, "channel": "phone",
                                "name_shown": False}


def test_kiosk_i_can_help_is_suggested_first_and_blocked_where_screening_is_needed(village: Village) -> None:
    node = village.node
    shop = _request(village, village.ans, "boodschappen", days=["tue"], slots=["afternoon"])
    node.respond(shop, name="Kees", contact="06-12121212", now=T0)
    found, _ = matching.suggest(node, village.volunteer, shop.body["ref"], now=T0)
    assert (found[0].kind, found[0].label, found[0].score) == ("response", "Kees", 80)
    assert found[0].reasons[0].text() == "zei zelf 'ik kan helpen' bij deze vraag"
    m = matches.propose(node, village.volunteer, shop.body["ref"], "response", found[0].key, now=T0)
    matches.agree(node, village.volunteer, m.id, "resident", now=T0)
    matches.agree(node, village.volunteer, m.id, "helper", now=T0)
    assert matches.reveal(node, village.volunteer, m.id, now=T0)["helper"] == {"name": "Kees", "phone": "06-12121212"}
    visit = _request(village, village.ans, "gezelschap", days=["tue"], slots=["afternoon"])
    node.respond(visit, name="Onbekend", contact="06-13131313", now=T0)
    found, blocked = matching.suggest(node, village.volunteer, visit.body["ref"], now=T0)
    assert "response" not in [s.kind for s in found]
    assert ("response", "Onbekend", "screening_unknown") in [(b.kind, b.label, b.reason.key) for b in blocked]
    rid = next(b.key for b in blocked if b.kind == "response")
    with pytest.raises(NeedsScreening):
        matches.propose(node, village.volunteer, visit.body["ref"], "response", rid, now=T0)
