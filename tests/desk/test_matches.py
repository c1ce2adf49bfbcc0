"""The match lifecycle: proposed -> agreed -> done, contacts only after both agreed, the request's status."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from noticeboard.contact import Contact
from noticeboard.desk import audit, intake, matches
from noticeboard.desk.errors import WrongState
from noticeboard.entry import Entry
from noticeboard.node import Node, PostDraft
from tests.desk.fixtures import T0, Village, make_desk_node, populate


def _request(village: Village, category: str = "boodschappen") -> Entry:
    return intake.intake(village.node, village.volunteer, village.ans.id,
                         PostDraft("request", category, "Boodschappen op dinsdag"), now=T0)


def test_lifecycle_reveals_contacts_only_after_both_agreed_and_sets_the_status(village: Village) -> None:
    node, vol = village.node, village.volunteer
    ref = _request(village).body["ref"]
    m = matches.propose(node, vol, ref, "person", village.bram.id, now=T0)
    assert m.state == "proposed" and not m.cross
    with pytest.raises(WrongState):
        matches.reveal(node, vol, m.id, now=T0)
    m = matches.agree(node, vol, m.id, "resident", now=T0)
    assert m.state == "proposed" and node.find(ref).body["status"] == "open"
    with pytest.raises(WrongState):
        matches.reveal(node, vol, m.id, now=T0)
    m = matches.agree(node, vol, m.id, "helper", now=T0 + dt.timedelta(hours=1))
    assert m.state == "agreed" and node.find(ref).body["status"] == "matched"
    shown = matches.reveal(node, vol, m.id, now=T0 + dt.timedelta(hours=1))
    assert shown == {"resident": {"name": "Ans", "phone": "0594-111111", "address": "Hoofdstraat 1"},
                     "helper": {"name": "Bram", "phone": "06-33333333", "address": "Molenweg 5"}}
    m = matches.done(node, vol, m.id, now=T0 + dt.timedelta(days=1))
    assert m.state == "done" and node.find(ref).body["status"] == "done"
    m = matches.feedback(node, vol, m.id, happened=True, face="good", note="Fijn geholpen", now=T0 + dt.timedelta(days=2))
    assert (m.happened, m.face, m.private["note"]) == (True, "good", "Fijn geholpen")
    acts = [r.act for r in reversed(audit.read(node.store, village.coordinator, now=T0 + dt.timedelta(days=2),
                                               subject=m.id))]
    assert acts == ["match_propose", "match_agree_resident", "match_agree_helper", "match_agreed", "match_reveal",
                    "match_done", "match_feedback"]


def test_agreed_is_kept_apart_from_helped(village: Village) -> None:
    node, vol = village.node, village.volunteer
    m = matches.propose(node, vol, _request(village).body["ref"], "person", village.carla.id, now=T0)
    matches.agree(node, vol, m.id, "resident", now=T0)
    matches.agree(node, vol, m.id, "helper", now=T0)
    m = matches.feedback(node, vol, m.id, happened=False, face=None, note="Helper ziek", now=T0)
    assert m.state == "agreed" and m.happened is False


def test_cancel_of_an_agreed_match_reopens_the_request(village: Village) -> None:
    node, vol = village.node, village.volunteer
    ref = _request(village).body["ref"]
    m = matches.propose(node, vol, ref, "person", village.carla.id, now=T0)
    matches.agree(node, vol, m.id, "resident", now=T0)
    matches.agree(node, vol, m.id, "helper", now=T0)
    m = matches.cancel(node, vol, m.id, now=T0, reason="Ans is verhuisd")
    assert m.state == "cancelled" and node.find(ref).body["status"] == "open"
    with pytest.raises(WrongState):
        matches.done(node, vol, m.id, now=T0)


def _exchange(a: Node, b: Node) -> None:
    """Carry sealed messages both ways, as sync would (the transport is the sync developer's)."""
    for src, dst in ((a, b), (b, a)):
        found = [e for e in src.store.entries(types=["message"]) if e.body["to"] == dst.node_id]
        dst.store.apply_many(found, now=T0)


def test_cross_village_match_goes_through_sealed_messages(tmp_path: Path, village: Village) -> None:
    ezinge = village.node
    winsum_dir = make_desk_node(tmp_path / "w", "Dorpshuis Winsum", "Winsum", 5333, 652)
    with winsum_dir.open() as winsum:
        w = populate(winsum)
        offer = winsum.post(PostDraft("offer", "boodschappen", "Ik doe boodschappen", name="Wim"),
                            contact=Contact.phone("Wim", "06-77777777"), now=T0)
        ezinge.store.apply_many([winsum.profile_entry(), offer], now=T0)
        winsum.store.apply(ezinge.profile_entry(), now=T0)
        ref = _request(village).body["ref"]
        m = matches.propose(ezinge, village.volunteer, ref, "offer", offer.body["ref"], now=T0)
        assert m.cross and m.helper_kind == "offer"
        with pytest.raises(WrongState):
            matches.agree(ezinge, village.volunteer, m.id, "helper", now=T0)
        matches.agree(ezinge, village.volunteer, m.id, "resident", now=T0)
        _exchange(ezinge, winsum)
        assert matches.take_in(winsum, now=T0) == 1
        incoming = matches.get(winsum, m.id)
        assert (incoming.helper_kind, incoming.state, incoming.ref) == ("incoming", "proposed", ref)
        with pytest.raises(WrongState):
            matches.reveal(winsum, w.volunteer, m.id, now=T0)
        matches.agree(winsum, w.volunteer, m.id, "helper", now=T0)
        _exchange(ezinge, winsum)
        assert matches.take_in(ezinge, now=T0) == 1
        assert matches.get(ezinge, m.id).state == "agreed"
        assert ezinge.find(ref).body["status"] == "matched"
        assert matches.reveal(ezinge, village.volunteer, m.id, now=T0)["helper"] == {"name": "Wim",
                                                                                     "phone": "06-77777777"}
        _exchange(ezinge, winsum)
        assert matches.take_in(winsum, now=T0) == 1
        assert matches.take_in(winsum, now=T0) == 0
        shown = matches.reveal(winsum, w.volunteer, m.id, now=T0)
        assert shown["resident"]["name"] == "Ans" and shown["helper"]["phone"] == "06-77777777"
        # The helper's centre hears when the help is done.
        matches.done(ezinge, village.volunteer, m.id, now=T0)
        _exchange(ezinge, winsum)
        assert matches.take_in(winsum, now=T0) == 1
        assert matches.get(winsum, m.id).state == "done"


def test_a_cancel_by_the_helpers_centre_reopens_the_request(tmp_path: Path, village: Village) -> None:
    ezinge = village.node
    winsum_dir = make_desk_node(tmp_path / "w", "Dorpshuis Winsum", "Winsum", 5333, 652)
    with winsum_dir.open() as winsum:
        w = populate(winsum)
        offer = winsum.post(PostDraft("offer", "boodschappen", "Ik doe boodschappen"), now=T0)
        ezinge.store.apply_many([winsum.profile_entry(), offer], now=T0)
        winsum.store.apply(ezinge.profile_entry(), now=T0)
        ref = _request(village).body["ref"]
        m = matches.propose(ezinge, village.volunteer, ref, "offer", offer.body["ref"], now=T0)
        matches.agree(ezinge, village.volunteer, m.id, "resident", now=T0)
        _exchange(ezinge, winsum)
        matches.take_in(winsum, now=T0)
        matches.agree(winsum, w.volunteer, m.id, "helper", now=T0)
        _exchange(ezinge, winsum)
        matches.take_in(ezinge, now=T0)
        _exchange(ezinge, winsum)
        matches.take_in(winsum, now=T0)
        assert ezinge.find(ref).body["status"] == "matched"
        matches.cancel(winsum, w.volunteer, m.id, now=T0, reason="Wim is ziek")
        _exchange(ezinge, winsum)
        assert matches.take_in(ezinge, now=T0) == 1
        assert matches.get(ezinge, m.id).state == "cancelled"
        assert ezinge.find(ref).body["status"] == "open"


def test_an_offer_of_an_unknown_centre_cannot_be_proposed(tmp_path: Path, village: Village) -> None:
    from noticeboard.node import NotFound

    other_dir = make_desk_node(tmp_path / "o", "Dorpshuis Elders", "Baflo", 5336, 651)
    with other_dir.open() as other:
        offer = other.post(PostDraft("offer", "boodschappen", "Boodschappen"), now=T0)
        village.node.store.apply(offer, now=T0)
    ref = _request(village).body["ref"]
    with pytest.raises(NotFound):
        matches.propose(village.node, village.volunteer, ref, "offer", offer.body["ref"], now=T0)
    assert matches.all_matches(village.node) == []


def test_a_resident_gives_feedback_at_the_kiosk_by_code(village: Village) -> None:
    node, vol = village.node, village.volunteer
    ref = _request(village).body["ref"]
    assert matches.kiosk_feedback(node, ref, "1111", happened=True, face="good", now=T0) is None
    m = matches.propose(node, vol, ref, "person", village.bram.id, now=T0)
    matches.agree(node, vol, m.id, "resident", now=T0)
    matches.agree(node, vol, m.id, "helper", now=T0)
    matches.done(node, vol, m.id, now=T0)
    # The code is public; the last four digits of Ans's phone (0594-111111) are not.
    assert matches.kiosk_feedback(node, ref, "2222", happened=False, face="bad", now=T0) is None
    answered = matches.kiosk_feedback(node, ref.lower(), "1111", happened=True, face="ok",
                                      now=T0 + dt.timedelta(days=1))
    assert answered is not None and (answered.happened, answered.face) == (True, "ok")
    assert matches.kiosk_feedback(node, ref, "1111", happened=False, face=None, now=T0) is None
    line = audit.read(node.store, village.coordinator, now=T0, subject=m.id)[0]
    assert (line.actor, line.act) == ("kiosk", "match_feedback")
