"""Property: whatever the order of rounds, with duplicates and interruptions, paired nodes converge.

Every node ends with exactly the newest version of each post at the nodes its reach covers
and its relays can get it to (the nodes inside the reach, connected through nodes inside the
reach), and a withdrawal's tombstone wherever the author's pairings lead. Rounds run in
process through the same replication code, over the in-memory transport.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noticeboard.node import Node, PostDraft
from noticeboard.trust import Trust
from sync import wire
from sync.replication import LocalTransport, PeerRefused, run_round
from sync.scope import Places, Reach, delivers
from tests.support import make_node
from tests.sync.helpers import trust_directly


class Interrupted(LocalTransport):
    """A transport whose connection drops after a number of calls."""

    def __init__(self, remote: Node, requester: str, calls: int) -> None:
        super().__init__(remote, requester)
        self.calls = calls

    async def call(self, path: str, body: bytes, content_type: str) -> bytes:
        """Answer until the budget of calls is spent, then fail like a dropped connection."""
        if self.calls <= 0:
            raise PeerRefused(0, "interrupted")
        self.calls -= 1
        return await super().call(path, body, content_type)


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, object]:
    """Places, pairings, posts with reach, withdrawals and a messy schedule of rounds."""
    n = draw(st.integers(2, 5))
    places = [(5300 + draw(st.integers(0, 20)), 600 + draw(st.integers(0, 60))) for _ in range(n)]
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    edges = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=len(pairs), unique=True))
    steps = draw(st.lists(st.one_of(
        st.tuples(st.just("post"), st.integers(0, n - 1), st.integers(0, 60)),
        st.tuples(st.just("withdraw"), st.integers(0, 30), st.just(0)),
        st.tuples(st.just("status"), st.integers(0, 30), st.just(0)),
        st.tuples(st.just("round"), st.sampled_from(edges), st.booleans()),
        st.tuples(st.just("cut"), st.sampled_from(edges), st.integers(0, 3)),
    ), min_size=1, max_size=25))
    return {"n": n, "places": places, "edges": edges, "steps": steps}


def _component(start: int, allowed: set[int], edges: list[tuple[int, int]]) -> set[int]:
    seen, todo = {start}, [start]
    while todo:
        here = todo.pop()
        for i, j in edges:
            for x, y in ((i, j), (j, i)):
                if x == here and y in allowed and y not in seen:
                    seen.add(y)
                    todo.append(y)
    return seen


async def _play(nodes: list[Node], scenario: dict[str, object]) -> None:
    edges: list[tuple[int, int]] = scenario["edges"]  # type: ignore[assignment]
    posts: list[tuple[int, str]] = []
    for kind, who, extra in scenario["steps"]:  # type: ignore[attr-defined]
        if kind == "post":
            made = nodes[who].post(PostDraft("request", "klussen", f"Klus {len(posts)}", reach_km=extra))
            posts.append((who, made.body["ref"]))
        elif kind in ("withdraw", "status") and posts:
            owner, ref = posts[who % len(posts)]
            if nodes[owner].store.by_ref(ref):
                if kind == "withdraw":
                    nodes[owner].withdraw(ref)
                else:
                    nodes[owner].set_status(ref, "matched")
        elif kind in ("round", "cut"):
            i, j = who if extra is True or kind == "cut" else (who[1], who[0])
            transport = Interrupted(nodes[j], nodes[i].node_id, int(extra) if kind == "cut" else 10**6)
            try:
                await run_round(nodes[i], nodes[j].node_id, transport)
            except PeerRefused as exc:
                assert exc.reason == "interrupted"
    # Then the network heals: enough full sweeps over every pairing, both ways, to cross any path.
    for _ in range(len(nodes)):
        for i, j in edges:
            await run_round(nodes[i], nodes[j].node_id, LocalTransport(nodes[j], nodes[i].node_id))
            await run_round(nodes[j], nodes[i].node_id, LocalTransport(nodes[i], nodes[j].node_id))


def _expected(nodes: list[Node], edges: list[tuple[int, int]]
              ) -> tuple[list[dict[tuple[str, str], int]], list[dict[tuple[str, str], int]]]:
    """Per node: the versions it must hold, and the tombstones it holds or lacks (never the post)."""
    places = Places({n.node_id: (n.profile().place.lat_cdeg, n.profile().place.lon_cdeg) for n in nodes})
    want: list[dict[tuple[str, str], int]] = [{} for _ in nodes]
    either: list[dict[tuple[str, str], int]] = [{} for _ in nodes]
    for a, author in enumerate(nodes):
        for row in author.store.feed_rows(0, 10**6):
            if row.author != author.node_id or row.type not in ("request", "tombstone"):
                continue
            # Reach.of_row: a post's tombstone keeps the post's place and reach, and goes where it could.
            inside = {k for k, node in enumerate(nodes) if delivers(Reach.of_row(row), node.node_id, places)}
            for k in _component(a, inside | {a}, edges):
                if row.type == "tombstone" and k != a:
                    # A node that never got the post may never get its tombstone either: both erase nothing there.
                    either[k][(row.author, row.id)] = row.version
                else:
                    want[k][(row.author, row.id)] = row.version
    return want, either


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_any_schedule_of_rounds_converges_inside_each_reach(scenario: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as mp:
        # Tiny pages, so paging and interrupted rounds are exercised with a handful of entries.
        mp.setattr(wire, "MAX_PAGE_ENTRIES", 2)
        root = Path(folder)
        nodes = [make_node(root, f"Dorpshuis {k}", f"Dorp {k}", *place).open()
                 for k, place in enumerate(scenario["places"])]  # type: ignore[arg-type]
        try:
            for i, j in scenario["edges"]:  # type: ignore[attr-defined]
                trust_directly(nodes[i], nodes[j])
                trust_directly(nodes[j], nodes[i])
            # Everyone trusts everyone's entries (as through introducers); pairings decide who talks.
            for x in nodes:
                for y in nodes:
                    if x is not y and Trust(x).peer(y.node_id) is None:
                        trust_directly(x, y)
            asyncio.run(_play(nodes, scenario))
            expected, either = _expected(nodes, scenario["edges"])  # type: ignore[arg-type]
            for k, node in enumerate(nodes):
                held = {e.key: e.version for e in node.store.entries(types=["request", "tombstone"])}
                for key, version in either[k].items():
                    assert held.pop(key, version) == version, f"node {k} shows a withdrawn post"
                assert held == expected[k], f"node {k}"
        finally:
            for node in nodes:
                node.close()
