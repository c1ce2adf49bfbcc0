"""Trust decisions as other parts of the program see them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from crypto import signing, vault
from crypto.encoding import b64u_encode
from noticeboard.clock import utcnow
from noticeboard.demo import VILLAGES, build_demo
from noticeboard.node import Node
from noticeboard.store import Unlock
from noticeboard.trust import PeerState, Trust
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


def _changes(node: Node) -> int:
    with node.store.read() as conn:
        return conn.total_changes


def test_reading_trust_never_writes_and_ingest_takes_the_handover(tmp_path: Path) -> None:
    from crypto.identity import NodeKeys
    from noticeboard import entry as entries
    from sync.ingest import ingest

    a_dir = line_node(tmp_path, "A")
    with a_dir.open() as a, line_node(tmp_path, "B").open() as b:
        trust_directly(b, a, address="127.0.0.1:1111")
        successor = NodeKeys.generate()
        now = utcnow().replace(microsecond=0)
        cosign = b64u_encode(signing.sign(successor.signing_seed,
                                          entries.successor_statement(a.node_id, successor.node_id)))
        handing = entries.make(a.keys.signing_seed, a.node_id, "vouch",
                               {"subject": successor.node_id, "successor": True, "successor_sig": cosign}, now=now)
        # Stored as if it had just arrived, but no ingest ran over it yet.
        b.store.apply(handing, now=now)
        before = _changes(b)
        view = Trust(b).view()
        assert _changes(b) == before
        assert view.trusts(a.node_id) and not view.trusts(successor.node_id)
        assert Trust(b).peer(a.node_id).state is PeerState.TRUSTED
        assert Trust(b).peer(successor.node_id) is None

        # Where entries are applied, the hand-over is taken: the successor steps in, the old key is blocked.
        ingest(b, [handing], source=a.node_id)
        _assert_handed_over(b, a.node_id, successor.node_id)

    # The same when the hand-over arrives in the batch itself (taken right after the vouches are admitted).
    with a_dir.open() as a, line_node(tmp_path, "C").open() as c:
        trust_directly(c, a, address="127.0.0.1:1111")
        report = ingest(c, [handing], source=a.node_id)
        assert report.applied == 1
        _assert_handed_over(c, a.node_id, successor.node_id)


def _assert_handed_over(node: Node, old: str, new: str) -> None:
    trust = Trust(node)
    assert trust.peer(old).state is PeerState.BLOCKED
    taken = trust.peer(new)
    assert taken is not None and taken.state is PeerState.TRUSTED and taken.address == "127.0.0.1:1111"
    assert trust.view().trusts(new) and trust.view().refusal(old) == "blocked"
