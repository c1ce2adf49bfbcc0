"""Replication rounds through the in-memory transport (the HTTPS path has its own tests)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from noticeboard.node import Node
from noticeboard.trust import PeerState, Trust
from sync import replication, wire
from sync.replication import Checkpoints, LocalTransport, PeerRefused, run_round
from tests.sync.helpers import line_node, post, trust_directly


def _paired(tmp_path: Path) -> tuple[Node, Node]:
    a = line_node(tmp_path, "A").open()
    b = line_node(tmp_path, "B").open()
    trust_directly(a, b)
    trust_directly(b, a)
    return a, b


async def test_first_contact_then_steady_rounds_are_small(tmp_path: Path) -> None:
    a, b = _paired(tmp_path)
    refs_a = {post(a, f"Van A {i}") for i in range(5)}
    refs_b = {post(b, f"Van B {i}") for i in range(3)}
    first = await run_round(a, b.node_id, LocalTransport(b, a.node_id))
    # 3 requests and B's vouch for A come in; 5 requests and A's vouch for B go out.
    assert first.reconciled and first.received.applied == 4 and first.sent == 6
    assert {e.body["ref"] for e in a.store.entries(types=["request"])} == refs_a | refs_b
    assert {e.body["ref"] for e in b.store.entries(types=["request"])} == refs_a | refs_b
    transport = LocalTransport(b, a.node_id)
    steady = await run_round(a, b.node_id, transport)
    assert not steady.reconciled and steady.sent == 0 and steady.received.applied == 0
    assert transport.sent_bytes + transport.received_bytes < 200
    new = post(a, "Nog een")
    one = await run_round(a, b.node_id, transport)
    assert one.sent == 1 and b.store.by_ref(new)
    back = LocalTransport(a, b.node_id)
    echo = await run_round(b, a.node_id, back)
    assert echo.received.applied == 0 and echo.sent == 0 and echo.reconciled


async def test_unpaired_node_is_refused(tmp_path: Path) -> None:
    a = line_node(tmp_path, "A").open()
    b = line_node(tmp_path, "B").open()
    trust_directly(a, b)
    post(b, "Geheim voor A")
    with pytest.raises(PeerRefused) as refused:
        await run_round(a, b.node_id, LocalTransport(b, a.node_id))
    assert refused.value.status == 403
    assert a.store.count(["request"]) == 0


async def test_restored_node_with_new_epoch_is_fully_resynced(tmp_path: Path) -> None:
    a_dir, b_dir = line_node(tmp_path, "A"), line_node(tmp_path, "B")
    a, b = a_dir.open(), b_dir.open()
    trust_directly(a, b)
    trust_directly(b, a)
    db = b_dir.data_dir / "noticeboard.db"
    post(a, "Voor de back-up")
    await run_round(a, b.node_id, LocalTransport(b, a.node_id))
    b.store.checkpoint()
    b.close()
    backup = tmp_path / "backup.db"
    shutil.copy(db, backup)
    b = b_dir.open()
    later = {post(a, f"Na de back-up {i}") for i in range(4)}
    await run_round(a, b.node_id, LocalTransport(b, a.node_id))
    b.close()
    shutil.copy(backup, db)
    b = b_dir.open()
    b.store.new_epoch()
    assert not any(b.store.by_ref(r) for r in later)
    summary = await run_round(a, b.node_id, LocalTransport(b, a.node_id))
    assert summary.reconciled and summary.sent == 4
    assert all(b.store.by_ref(r) for r in later)
    assert Checkpoints(a).get(b.node_id).pull_epoch == b.store.epoch


async def test_entries_refused_before_a_vouch_arrive_after_it(tmp_path: Path) -> None:
    a, b, c = (line_node(tmp_path, n).open() for n in "ABC")
    d = line_node(tmp_path, "D", 630).open()
    for x, y in ((a, b), (b, a), (b, c), (c, b), (c, d), (d, c)):
        trust_directly(x, y)
    Trust(c).set_state(d.node_id, PeerState.INTRODUCER)
    ref = post(a, "Via B, vertrouwd via D", reach_km=40)
    await run_round(b, a.node_id, LocalTransport(a, b.node_id))
    first = await run_round(c, b.node_id, LocalTransport(b, c.node_id))
    assert first.refused_here["untrusted"] >= 2 and not c.store.by_ref(ref)
    trust_directly(d, a)  # D pairs A, and so vouches for it
    vouch = await run_round(c, d.node_id, LocalTransport(d, c.node_id))
    assert vouch.received.trust_widened
    await run_round(c, b.node_id, LocalTransport(b, c.node_id))
    assert c.store.by_ref(ref), "the entry refused before the vouch came in at the next round"


async def test_a_long_push_stops_at_the_page_budget_and_resumes_next_round(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = _paired(tmp_path)
    await run_round(a, b.node_id, LocalTransport(b, a.node_id))
    refs = [post(a, f"Klus {i}") for i in range(7)]
    monkeypatch.setattr(wire, "MAX_PAGE_ENTRIES", 2)
    monkeypatch.setattr(replication, "MAX_PAGES", 2)
    first = await run_round(a, b.node_id, LocalTransport(b, a.node_id))
    assert not first.complete and first.sent == 4
    second = await run_round(a, b.node_id, LocalTransport(b, a.node_id))
    assert second.complete and second.sent == 3
    assert all(b.store.by_ref(r) for r in refs)
