"""Attack 8 of issue 14: a paired peer hands its place (and our trust) to a node nobody paired here."""

from __future__ import annotations

from pathlib import Path

from crypto import signing
from crypto.encoding import b64u_encode
from crypto.identity import NodeKeys, fingerprint_code
from noticeboard import entry as entries
from noticeboard.clock import utcnow
from noticeboard.node import Node
from noticeboard.privacy import handover
from noticeboard.trust import Peer, PeerState, Trust
from sync.client import sync_with
from tests.support import run_noticeboard
from tests.sync.helpers import Servers, line_node, pair_both


def _push(source: Node, target: Node) -> Peer:
    """The target as the source paired it (a round from the source pushes to it)."""
    peer = Trust(source).peer(target.node_id)
    assert peer is not None
    return peer


async def test_a_hand_over_needs_the_new_keys_signature_and_is_shown_to_the_coordinator(tmp_path: Path) -> None:
    a_dir, b_dir, c_dir = (line_node(tmp_path, n) for n in "ABC")
    a, b, c = a_dir.open(), b_dir.open(), c_dir.open()
    servers = Servers()
    try:
        a_addr, b_addr = await servers.start(a), await servers.start(b)
        await pair_both(a, a_addr, b, b_addr)  # B is paired at A, as a plain peer (not an introducer)
        assert Trust(a).peer(b.node_id).state is PeerState.TRUSTED  # type: ignore[union-attr]
        now = utcnow()
        # 1. B names C (never paired at A) as its successor, signed by B alone.
        alone = entries.make(b.keys.signing_seed, b.node_id, "vouch",
                             {"subject": c.node_id, "successor": True, "name": "Dorpshuis B"}, now=now)
        # 2. ... and with a "co-signature" B made itself with some other key.
        forged = b64u_encode(signing.sign(NodeKeys.generate().signing_seed,
                                          entries.successor_statement(b.node_id, c.node_id)))
        faked = entries.make(b.keys.signing_seed, b.node_id, "vouch",
                             {"subject": c.node_id, "successor": True, "successor_sig": forged}, now=now)
        # 3. An ordinary vouch of a non-introducer.
        plain = entries.make(b.keys.signing_seed, b.node_id, "vouch", {"subject": c.node_id}, now=now)
        b.store.apply_many([alone, faked, plain], now=now)
        await sync_with(b, _push(b, a))
        assert a.store.get(b.node_id, alone.id) is not None  # it arrived ...
        view = Trust(a).view()
        assert not view.trusts(c.node_id) and Trust(a).peer(c.node_id) is None  # ... and changed nothing
        assert view.trusts(b.node_id) and Trust(a).peer(b.node_id).state is PeerState.TRUSTED  # type: ignore[union-attr]

        # 4. A real rotation at B (signed by both keys) is followed, and the coordinator is told.
        old_b = b.node_id
        done = handover.rotate_signing_key(b)
        await sync_with(a, Trust(a).peer(old_b))  # type: ignore[arg-type]  # A pulls the hand-over
        assert Trust(a).peer(done.new).state is PeerState.TRUSTED  # type: ignore[union-attr]
        assert Trust(a).peer(old_b).state is PeerState.BLOCKED  # type: ignore[union-attr]
        assert not Trust(a).view().trusts(c.node_id)
        a.close()
        shown = run_noticeboard("--data-dir", str(a_dir.data_dir), "--key-file", str(a_dir.key_file), "peers", "list")
        assert shown.returncode == 0, shown.stderr
        print(shown.stdout)
        new_code = fingerprint_code(signing.public_key(b.keys.signing_seed))
        assert f"nieuwe code {new_code}" in shown.stdout and "gaf op" in shown.stdout
    finally:
        await servers.stop_all()
        for node in (a, b, c):
            node.close()
