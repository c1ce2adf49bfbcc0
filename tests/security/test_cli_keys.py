"""Issue 14: a node key can begin with "-" (base64url), which argparse read as an option.

Every command that takes a node key must take one copied from ``noticeboard peers list``
(its first 10 characters) or whole, whatever its first characters, without ``--`` before it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crypto import signing
from crypto.encoding import b64u_encode
from noticeboard import entry as entries
from noticeboard.clock import utcnow
from noticeboard.trust import PeerState, Trust
from tests.desk.fixtures import PASSPHRASE, make_desk_node
from tests.support import NodeDir

COORDINATOR = {"NOTICEBOARD_PASSPHRASE": PASSPHRASE}


def seed_with_key_starting(prefix: str) -> tuple[bytes, str]:
    """A signing seed whose node key starts with prefix (1 in 64 per "-": found in a few thousand tries)."""
    while True:
        seed = signing.new_signing_seed()
        key = b64u_encode(signing.public_key(seed))
        if key.startswith(prefix) and not key.startswith(prefix + "-"):
            return seed, key


def add_centre(nd: NodeDir, prefix: str, name: str) -> str:
    """A paired centre whose key starts with prefix."""
    seed, key = seed_with_key_starting(prefix)
    with nd.open() as node:
        body = {**node.profile_entry().body, "name": name}
        profile = entries.make(seed, key, "node", body, now=utcnow())
        node.store.apply(profile, now=utcnow())
        Trust(node).pair(profile, "127.0.0.1:9")
    return key


def state_of(nd: NodeDir, key: str) -> PeerState:
    with nd.open() as node:
        peer = Trust(node).peer(key)
    assert peer is not None
    return peer.state


def ok(nd: NodeDir, *args: str, env: dict[str, str] | None = None) -> str:
    done = nd.cli(*args, env=env)
    assert done.code == 0, (args, done.err)
    return done.out


def test_keys_beginning_with_a_dash_work_in_every_command_without_a_double_dash(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    one = add_centre(nd, "-", "Dorpshuis Min")
    two = add_centre(nd, "--", "Dorpshuis Dubbel")
    listed = ok(nd, "peers", "list")
    # Before any block: a block erases the centre's profile, which a sealed bundle needs.
    bundle = tmp_path / "uit.bundle"
    ok(nd, "bundle", "export", str(bundle), "--for", one, "--for", two[:10], env=COORDINATOR)
    assert bundle.stat().st_size > 0
    for key in (one, two):
        start = key[:10]
        assert start in listed
        # The start as listed, and the whole key, each before and after the other options.
        ok(nd, "peers", "block", start, "--reason", "spam")
        assert state_of(nd, key) is PeerState.BLOCKED
        ok(nd, "peers", "unblock", "--reason", "vergissing", start)
        ok(nd, "peers", "trust", key)
        ok(nd, "peers", "introducer", start)
        ok(nd, "peers", "introducer", start, "--off")
        assert state_of(nd, key) is PeerState.TRUSTED
        ok(nd, "block", key, "--reason", "spam", env=COORDINATOR)
        assert state_of(nd, key) is PeerState.BLOCKED
        ok(nd, "unblock", "--reason", "vergissing", start, env=COORDINATOR)
        ok(nd, "peers", "trust", start)
        assert state_of(nd, key) is PeerState.TRUSTED
    # Options are still options: an unknown one is refused as before, a known one taken.
    with pytest.raises(SystemExit) as refused:
        nd.cli("peers", "block", one[:10], "--reden", "spam")
    assert refused.value.code == 2
    assert nd.cli("peers", "list", "--verbose").code == 0
