"""Trust decisions as other parts of the program see them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from crypto import vault
from noticeboard.clock import utcnow
from noticeboard.demo import VILLAGES, build_demo
from noticeboard.node import Node
from noticeboard.store import Unlock
from sync.trust import PeerState, Trust
from tests.sync.helpers import line_node, trust_directly


def test_demo_neighbours_are_trusted_and_their_posts_stay_on_the_board(tmp_path: Path) -> None:
    now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
    key_file = build_demo(tmp_path / "demo", now=now)
    with Node.open(tmp_path / "demo", Unlock(key_file_secret=vault.read_key_file(key_file))) as node:
        peers = Trust(node).peers()
        assert sorted(p.name for p in peers) == sorted(f"Dorpshuis {v}" for v in VILLAGES)
        assert all(p.state is PeerState.TRUSTED for p in peers)
        view = Trust(node).view()
        assert all(view.trusts(author) for author in {e.author for e in node.store.entries(types=["request"])})
        posts, total = node.store.board(now=now)
        assert total == 14 and {p.body["place"]["village"] for p in posts} >= set(VILLAGES)


def test_vouches_are_renewed_before_they_expire(tmp_path: Path) -> None:
    a = line_node(tmp_path, "A").open()
    b = line_node(tmp_path, "B").open()
    trust_directly(a, b)
    peer = Trust(a).peer(b.node_id)
    assert peer is not None and peer.vouch_id
    first = a.store.get(a.node_id, peer.vouch_id)
    assert first is not None
    assert Trust(a).renew_vouches(now=utcnow()) == 0
    later = first.expires_at - dt.timedelta(days=10)
    assert Trust(a).renew_vouches(now=later) == 1
    renewed = a.store.get(a.node_id, peer.vouch_id)
    assert renewed is not None and renewed.version == 2 and renewed.expires_at > first.expires_at
    assert renewed.body == first.body
