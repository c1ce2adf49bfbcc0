"""The acts themselves: each writes its change, its audit line and its consent record together."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from noticeboard.acts import centres, owner
from noticeboard.acts import posts as acts
from noticeboard.acts.actor import Actor
from noticeboard.acts.errors import (
    ConsentNeeded,
    NoOwnerCode,
    NotPermitted,
    OwnerCodeNeeded,
    OwnerLockedOut,
    WrongOwnerCode,
)
from noticeboard.clock import utcnow
from noticeboard.contact import Contact, Way
from noticeboard.desk import audit
from noticeboard.node import Node, PostDraft
from noticeboard.privacy import consent
from tests.desk.fixtures import T0, Village
from tests.sync.helpers import line_node, trust_directly

CHEAP = owner.CodeCost(n=2**8)
DRAFT = PostDraft("request", "boodschappen", "Boodschappen halen", "Wie helpt mij deze week?")


def audit_lines(node: Node, village: Village) -> list[tuple[str, str, str, dict[str, object]]]:
    return [(r.actor, r.act, r.subject, r.details)
            for r in reversed(audit.read(node.store, village.coordinator, now=T0, limit=1000))]


def test_old_contact_shapes_read_as_one_typed_value() -> None:
    assert Contact.from_stored({"name": "Gerda", "phone": "0612345678"}) == Contact.phone("Gerda", "0612345678")
    assert Contact.from_stored({"come_back": "kiosk"}) == Contact.come_back("kiosk")
    assert Contact.from_stored({"contact": "g@example.nl", "name": "Gerda"}) == Contact.text("Gerda", "g@example.nl")
    card = Contact.from_stored({"name": "Ans", "phone": "0594-111111", "person": "K-ANS1"})
    assert card.card == "K-ANS1" and card.way is Way.PHONE
    for value in (Contact.phone("Gerda", "06"), Contact.come_back(), Contact.text("G", "x"), card):
        assert Contact.from_stored(value.to_stored()) == value
    assert not Contact.come_back().personal and Contact.text("", "06").personal


def test_a_resident_post_keeps_contact_consent_audit_and_a_wijzigcode(village: Village) -> None:
    node = village.node
    posted = acts.post(node, Actor.resident(), DRAFT, contact=Contact.phone("Gerda", "0612345678"), agreed=True,
                       now=T0, code_cost=CHEAP)
    made = posted.entry
    assert posted.owner_code is not None and len(posted.owner_code) == 4 and posted.owner_code.isdigit()
    assert node.store.contact(*made.key) == Contact.phone("Gerda", "0612345678")
    [kept] = consent.consents(node.store, consent.post_subject(*made.key))
    assert kept.purposes == ("store_contact",) and kept.recorded_by == "kiosk"
    assert ("kiosk", "post", made.body["ref"], {"kind": "request"}) in audit_lines(node, village)
    # The code is kept only as a sealed hash: its digits are nowhere in the row.
    with node.store.read() as conn:
        [(sealed,)] = conn.execute("SELECT sealed FROM post_owners").fetchall()
    assert posted.owner_code.encode() not in sealed


def test_personal_details_without_agreement_are_refused_and_nothing_is_kept(village: Village) -> None:
    node = village.node
    before = node.store.count()
    with pytest.raises(ConsentNeeded):
        acts.post(node, Actor.resident(), DRAFT, contact=Contact.phone("Gerda", "06"), now=T0)
    assert node.store.count() == before and not consent.consents(node.store)
    # "I'll come back here" holds nothing personal: no consent needed, none recorded.
    made = acts.post(node, Actor.volunteer(village.volunteer_number), DRAFT, contact=Contact.come_back(),
                     now=T0).entry
    assert not consent.consents(node.store, consent.post_subject(*made.key))


def test_withdraw_needs_the_owners_code_with_a_doubling_lockout(village: Village) -> None:
    node = village.node
    posted = acts.post(node, Actor.resident(), DRAFT, contact=Contact.come_back(), now=T0, code_cost=CHEAP)
    ref, code = posted.entry.body["ref"], posted.owner_code
    assert code is not None
    wrong = f"{(int(code) + 1) % 10000:04d}"
    with pytest.raises(OwnerCodeNeeded):
        acts.withdraw(node, Actor.resident(), ref, now=T0)
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongOwnerCode) as caught:
            acts.withdraw(node, Actor.resident(), ref, owner_code=wrong, now=T0)
        assert caught.value.values["left"] == left
    with pytest.raises(OwnerLockedOut) as caught:
        acts.withdraw(node, Actor.resident(), ref, owner_code=wrong, now=T0)
    assert caught.value.values["until"] == "09:05"
    # Locked: even the right code waits.
    with pytest.raises(OwnerLockedOut):
        acts.withdraw(node, Actor.resident(), ref, owner_code=code, now=T0 + dt.timedelta(minutes=4))
    # Each wrong code after the lock doubles the wait: 10, then 20 minutes.
    later = T0 + dt.timedelta(minutes=6)
    with pytest.raises(OwnerLockedOut) as caught:
        acts.withdraw(node, Actor.resident(), ref, owner_code=wrong, now=later)
    assert caught.value.values["until"] == "09:16"
    later += dt.timedelta(minutes=11)
    with pytest.raises(OwnerLockedOut) as caught:
        acts.withdraw(node, Actor.resident(), ref, owner_code=wrong, now=later)
    assert caught.value.values["until"] == "09:37"
    assert node.find_own(ref).type == "request", "nothing was withdrawn by the wrong codes"
    stone = acts.withdraw(node, Actor.resident(), ref, owner_code=code, now=later + dt.timedelta(minutes=21))
    assert stone.type == "tombstone"
    assert ("kiosk", "withdraw", ref, {"kind": "request", "with_code": True}) in audit_lines(node, village)
    assert not owner.has_code(node.store, posted.entry.key)


def test_staff_withdraw_without_the_code_and_it_is_audited(village: Village) -> None:
    node = village.node
    ref = acts.post(node, Actor.resident(), DRAFT, now=T0, code_cost=CHEAP).entry.body["ref"]
    by_desk = acts.post(node, Actor.volunteer(village.volunteer_number), DRAFT, now=T0)
    assert by_desk.owner_code is None
    acts.withdraw(node, Actor.volunteer(village.volunteer_number), ref, now=T0)
    assert (f"volunteer:{village.volunteer_number}", "withdraw", ref, {"kind": "request", "with_code": False}) \
        in audit_lines(node, village)
    # A post without a code cannot be withdrawn at the kiosk at all: the desk does it.
    with pytest.raises(NoOwnerCode):
        acts.withdraw(node, Actor.resident(), by_desk.entry.body["ref"], owner_code="1234", now=T0)


def test_unblock_undoes_every_part_of_a_block(tmp_path: Path, village: Village) -> None:
    node, now = village.node, utcnow()
    with line_node(tmp_path, "B").open() as other:
        trust_directly(node, other)
        with pytest.raises(NotPermitted):
            centres.block_centre(node, village.volunteer.by, other.node_id, "spam", now=now)
        centres.block_centre(node, village.coordinator.by, other.node_id, "spam", now=now)
        with node.store.read() as conn:
            assert conn.execute("SELECT state FROM peers WHERE node_id = ?", (other.node_id,)).fetchone() == ("blocked",)
            assert conn.execute("SELECT by FROM desk_blocks").fetchall() == [("coordinator",)]
            assert (other.node_id, "*") in node.store.hidden_keys()
        assert not list(node.store.entries(author=other.node_id))
        centres.unblock_centre(node, village.coordinator.by, other.node_id, "toch in orde", now=now)
        with node.store.read() as conn:
            assert conn.execute("SELECT state FROM peers WHERE node_id = ?", (other.node_id,)).fetchone() == ("seen",)
            assert conn.execute("SELECT * FROM desk_blocks").fetchall() == []
        assert (other.node_id, "*") not in node.store.hidden_keys()
        assert centres.blocked_centres(node) == []
    acts_seen = [(a, act, s) for a, act, s, _ in audit_lines(node, village) if act in ("block", "unblock")]
    assert acts_seen == [("coordinator", "block", other.node_id), ("coordinator", "unblock", other.node_id)]
