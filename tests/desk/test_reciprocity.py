"""Wederkerigheid: the hour ledger sums to zero and refuses self-transfers; the counter follows done matches."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noticeboard.desk import intake, matches, reciprocity
from noticeboard.desk.errors import BadInput, NotAllowed, SelfTransfer
from noticeboard.node import PostDraft
from tests.desk.fixtures import T0, Village


def test_self_transfer_is_refused_and_nothing_is_written(village: Village) -> None:
    store = village.node.store
    with pytest.raises(SelfTransfer):
        reciprocity.transfer(store, village.volunteer, village.ans.id, village.ans.id.lower(), 30, now=T0)
    for minutes in (0, -5, 24 * 60 + 1):
        with pytest.raises(BadInput):
            reciprocity.transfer(store, village.volunteer, village.ans.id, village.bram.id, minutes, now=T0)
    assert reciprocity.balances(store) == {}


# The ledger deliberately carries over between examples: the sum must stay zero as it grows.
@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(1, 600)), max_size=12))
def test_ledger_always_sums_to_zero(village: Village, transfers: list[tuple[int, int, int]]) -> None:
    store = village.node.store
    people = [village.ans.id, village.piotr.id, village.bram.id, village.carla.id, village.dirk.id, village.eva.id]
    for payer, receiver, minutes in transfers:
        if payer == receiver:
            with pytest.raises(SelfTransfer):
                reciprocity.transfer(store, village.volunteer, people[payer], people[receiver], minutes, now=T0)
        else:
            reciprocity.transfer(store, village.volunteer, people[payer], people[receiver], minutes, now=T0)
        assert reciprocity.ledger_total(store) == 0
        assert sum(reciprocity.balances(store).values()) == 0


def test_done_match_moves_hours_and_counts_participation(village: Village) -> None:
    node, vol = village.node, village.volunteer
    reciprocity.set_mode(node.store, village.coordinator, "hours", now=T0)
    assert reciprocity.mode(node.store) == "hours"
    with pytest.raises(NotAllowed):
        reciprocity.set_mode(node.store, vol, "none", now=T0)
    done = 0
    for category, helper, minutes in (("boodschappen", village.bram, 60), ("gezelschap", village.bram, 90),
                                      ("boodschappen", village.eva, 45)):
        ref = intake.intake(node, vol, village.ans.id, PostDraft("request", category, f"Hulp {minutes} min"), now=T0).body["ref"]
        m = matches.propose(node, vol, ref, "person", helper.id, now=T0)
        matches.agree(node, vol, m.id, "resident", now=T0)
        matches.agree(node, vol, m.id, "helper", now=T0)
        matches.done(node, vol, m.id, now=T0 + dt.timedelta(days=1), minutes=minutes)
        done += 1
    # One proposal that never happened must not count.
    ref = intake.intake(node, vol, village.piotr.id, PostDraft("request", "boodschappen", "Hulp"), now=T0).body["ref"]
    matches.cancel(node, vol, matches.propose(node, vol, ref, "person", village.eva.id, now=T0).id, now=T0)
    assert reciprocity.counter(node.store, village.ans.id) == reciprocity.Counter(gave=0, got=3)
    assert reciprocity.counter(node.store, village.bram.id) == reciprocity.Counter(gave=2, got=0)
    assert reciprocity.counter(node.store, village.eva.id) == reciprocity.Counter(gave=1, got=0)
    assert reciprocity.counter(node.store, village.piotr.id) == reciprocity.Counter(gave=0, got=0)
    gave = sum(reciprocity.counter(node.store, p.id).gave for p in (village.bram, village.eva, village.carla))
    assert gave == done == len(matches.all_matches(node, states=("done",)))
    assert reciprocity.balances(node.store) == {village.ans.id: -195, village.bram.id: 150, village.eva.id: 45}
    assert reciprocity.ledger_total(node.store) == 0


def test_nudge_follows_the_mode(village: Village) -> None:
    node, vol = village.node, village.volunteer
    ref = intake.intake(node, vol, village.ans.id, PostDraft("request", "boodschappen", "Hulp"), now=T0).body["ref"]
    m = matches.propose(node, vol, ref, "person", village.bram.id, now=T0)
    matches.agree(node, vol, m.id, "resident", now=T0)
    matches.agree(node, vol, m.id, "helper", now=T0)
    matches.done(node, vol, m.id, now=T0, minutes=60)
    assert not reciprocity.should_nudge(node.store, village.ans.id)
    reciprocity.set_mode(node.store, village.coordinator, "counter", now=T0)
    assert reciprocity.should_nudge(node.store, village.ans.id)
    assert not reciprocity.should_nudge(node.store, village.bram.id)
    reciprocity.set_mode(node.store, village.coordinator, "hours", now=T0)
    # In "none" mode at done time no minutes were booked; Ans owes nothing yet.
    assert not reciprocity.should_nudge(node.store, village.ans.id)
    reciprocity.transfer(node.store, vol, village.ans.id, village.bram.id, 60, now=T0)
    assert reciprocity.should_nudge(node.store, village.ans.id)
