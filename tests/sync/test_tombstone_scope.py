"""A post's tombstone travels where the post could go, no farther (it used to go to every peer)."""

from __future__ import annotations

from pathlib import Path

from sync.replication import LocalTransport, run_round
from tests.sync.helpers import line_node, post, trust_directly


async def test_a_withdrawal_reaches_the_villages_in_reach_and_stops_there(tmp_path: Path) -> None:
    a, b, c = (line_node(tmp_path, n).open() for n in "ABC")
    # Everyone trusts everyone; rounds run only along the line A - B - C.
    for x, y in ((a, b), (b, a), (b, c), (c, b), (a, c), (c, a)):
        trust_directly(x, y)
    # A and B are 13.4 km apart, C 26.8 km from A: a reach of 15 km takes in B only.
    ref = post(a, "Alleen voor B", reach_km=15)
    await run_round(b, a.node_id, LocalTransport(a, b.node_id))
    await run_round(c, b.node_id, LocalTransport(b, c.node_id))
    withdrawn = a.withdraw(ref)
    await run_round(b, a.node_id, LocalTransport(a, b.node_id))
    assert b.store.version_of(a.node_id, withdrawn.id) == withdrawn.version and not b.store.by_ref(ref)
    await run_round(c, b.node_id, LocalTransport(b, c.node_id))
    assert c.store.version_of(a.node_id, withdrawn.id) is None, "C is beyond the post's reach"


async def test_a_tombstone_that_came_before_its_post_is_not_passed_on(tmp_path: Path) -> None:
    a, b, c = (line_node(tmp_path, n).open() for n in "ABC")
    # Everyone trusts everyone; rounds run only along the line A - B - C.
    for x, y in ((a, b), (b, a), (b, c), (c, b), (a, c), (c, a)):
        trust_directly(x, y)
    ref = post(a, "Voor iedereen", reach_km=30)
    withdrawn = a.withdraw(ref)
    await run_round(b, a.node_id, LocalTransport(a, b.node_id))
    # B got the tombstone and never the post: it erases nothing at C, which never had the post either.
    assert b.store.version_of(a.node_id, withdrawn.id) == withdrawn.version
    await run_round(c, b.node_id, LocalTransport(b, c.node_id))
    assert c.store.version_of(a.node_id, withdrawn.id) is None and not c.store.by_ref(ref)
    # The author's own tombstone keeps the post's place: C, in reach, gets it straight from A.
    await run_round(c, a.node_id, LocalTransport(a, c.node_id))
    assert c.store.version_of(a.node_id, withdrawn.id) == withdrawn.version
