"""Unblock undoes block: after block, unblock, pairing again and a sync, the centre's posts show again."""

from __future__ import annotations

from pathlib import Path

from noticeboard.acts import centres
from noticeboard.acts.actor import Actor
from noticeboard.clock import utcnow
from noticeboard.node import Node
from noticeboard.store import BoardQuery
from noticeboard.trust import PeerState, Trust
from sync.client import pair, sync_with
from tests.sync.helpers import Servers, line_node, pair_both, post


def board_titles(node: Node) -> set[str]:
    posts, _ = node.store.board(BoardQuery(), now=utcnow())
    return {str(e.body["title"]) for e in posts}


async def round_with(node: Node, other: Node) -> None:
    peer = Trust(node).peer(other.node_id)
    assert peer is not None and peer.trusted
    await sync_with(node, peer)


async def test_block_unblock_pair_again_and_sync_shows_the_posts_again(tmp_path: Path, servers: Servers) -> None:
    a, b = line_node(tmp_path, "A").open(), line_node(tmp_path, "B").open()
    try:
        a_addr, b_addr = await servers.start(a), await servers.start(b)
        await pair_both(a, a_addr, b, b_addr)
        post(b, "Tuinhulp gezocht")
        await round_with(a, b)
        assert "Tuinhulp gezocht" in board_titles(a)

        coordinator = Actor.coordinator()
        centres.block_centre(a, coordinator, b.node_id, "stuurt reclame", now=utcnow())
        assert "Tuinhulp gezocht" not in board_titles(a)
        assert not list(a.store.entries(author=b.node_id))

        centres.unblock_centre(a, coordinator, b.node_id, "was een vergissing", now=utcnow())
        assert Trust(a).peer(b.node_id).state is PeerState.SEEN  # type: ignore[union-attr]
        # Pairing again is a person's decision: the code is compared once more.
        await pair(a, b_addr, b.fingerprint_code)
        await round_with(a, b)
        assert "Tuinhulp gezocht" in board_titles(a), "the centre's posts show again after unblock and re-pair"
        assert b.node_id not in centres.blocked_centres(a)
    finally:
        a.close()
        b.close()
