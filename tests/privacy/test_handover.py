"""Signing-key rotation: peers follow the signed hand-over without re-pairing and refuse the retired key."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from crypto import signing
from crypto.encoding import b64u_encode
from crypto.identity import NodeKeys
from noticeboard import entry as entries
from noticeboard.entry import EntryError
from noticeboard.node import PostDraft
from noticeboard.privacy import consent, handover
from noticeboard.trust import PeerState, Trust
from sync.client import sync_with
from sync.ingest import ingest
from tests.privacy.helpers import ANNA, post_for
from tests.sync.helpers import Servers, line_node, pair_both, trust_directly


def test_the_successor_field_is_validated() -> None:
    keys, other = NodeKeys.generate(), NodeKeys.generate()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    made = entries.make(keys.signing_seed, keys.node_id, "vouch", {"subject": other.node_id, "successor": True}, now=now)
    assert handover.is_handover(made)
    with pytest.raises(EntryError):
        entries.make(keys.signing_seed, keys.node_id, "vouch", {"subject": other.node_id, "successor": False}, now=now)
    with pytest.raises(EntryError):
        entries.make(keys.signing_seed, keys.node_id, "vouch", {"subject": other.node_id, "successor": "yes"}, now=now)


async def test_peers_accept_the_new_key_without_pairing_and_refuse_the_retired_one(tmp_path: Path) -> None:
    a_dir, b_dir = line_node(tmp_path, "A"), line_node(tmp_path, "B")
    a, b = a_dir.open(), b_dir.open()
    servers = Servers()
    try:
        a_addr, b_addr = await servers.start(a), await servers.start(b)
        await pair_both(a, a_addr, b, b_addr)
        ref = post_for(a, ANNA, reach_km=30)
        before = a.find(ref)
        consent.record(a.store, consent.post_subject(*before.key), ["store_contact"], now=dt.datetime.now(dt.UTC))
        await sync_with(b, Trust(b).peer(a.node_id))
        assert b.find(ref).author == a.node_id
        old_id, old_seed = a.node_id, a.keys.signing_seed
        old_code = a.fingerprint_code

        done = handover.rotate_signing_key(a)
        assert (done.old, done.new) == (old_id, a.node_id) and done.reissued >= 2  # the post and the vouch for B
        assert a.fingerprint_code != old_code
        moved = a.find(ref)
        assert moved.author == a.node_id and moved.id == before.id and moved.body == before.body
        assert a.store.contact(*moved.key) == {"name": ANNA.name, "contact": ANNA.phone}
        assert consent.has(a.store, consent.post_subject(*moved.key), "store_contact")
        assert handover.retired_keys(a)[0]["key"] == old_id
        assert a.store.secret("privacy.handover_pending") is None

        # One round pulled by B: it reads the hand-over and follows it.
        await sync_with(b, Trust(b).peer(old_id))
        trust = Trust(b)
        assert trust.peer(old_id).state is PeerState.BLOCKED
        assert trust.peer(a.node_id).state is PeerState.TRUSTED and trust.peer(a.node_id).address == a_addr
        assert b.find(ref).author == a.node_id
        assert list(b.store.entries(author=old_id)) == []
        assert b.node_profile(a.node_id) is not None

        # New entries of the centre arrive, in rounds started by either side, with no new pairing.
        fresh = a.post(PostDraft("request", "vervoer", "Naar de huisarts", "Donderdag om tien uur", reach_km=30))
        await sync_with(a, Trust(a).peer(b.node_id))
        assert b.store.get(*fresh.key) is not None
        later = a.post(PostDraft("request", "tuin", "Gras maaien", "Het gras is hoog", reach_km=30))
        await sync_with(b, Trust(b).peer(a.node_id))
        assert b.store.get(*later.key) is not None

        # Anything signed with the retired key after the hand-over is refused.
        now = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=1)
        forged = entries.make(old_seed, old_id, "request", dict(before.body, ref="BH-ZZZZ", title="Vals"), now=now)
        report = ingest(b, [forged], source="test")
        assert report.applied == 0 and report.refused["blocked"] == 1
        assert b.store.by_ref("BH-ZZZZ") == []
    finally:
        await servers.stop_all()
        a.close()
        b.close()


def test_a_handover_cut_short_is_finished(tmp_path: Path) -> None:
    a_dir = line_node(tmp_path, "A")
    with a_dir.open() as a:
        ref = post_for(a, ANNA)
        done = handover.rotate_signing_key(a)
        # Simulate the process dying after the local switch: the prepared entries are still pending.
        prepared = [done.vouch]
        a.store.put_secret(handover.PENDING, json.dumps([e.canonical().decode() for e in prepared]).encode())
    with a_dir.open() as a:
        assert handover.finish_handover(a)
        assert not handover.finish_handover(a)
        assert a.find(ref).author == a.node_id == done.new


def test_rotate_signing_from_the_command_line(tmp_path: Path) -> None:
    a_dir = line_node(tmp_path, "A")
    with a_dir.open() as a:
        old = a.node_id
    result = a_dir.cli("--lang", "en", "keys", "rotate-signing")
    assert result.code == 0, result.err
    with a_dir.open() as a:
        assert a.node_id != old and a.fingerprint_code in result.out
        assert a.profile_entry().author == a.node_id


def test_a_handover_cannot_redirect_another_known_peer(tmp_path: Path) -> None:
    a_dir, b_dir, c_dir = line_node(tmp_path, "A"), line_node(tmp_path, "B"), line_node(tmp_path, "C")
    with a_dir.open() as a, b_dir.open() as b, c_dir.open() as c:
        trust_directly(b, a, address="127.0.0.1:1111")
        trust_directly(b, c, address="127.0.0.1:3333")
        before_c = Trust(b).peer(c.node_id)
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        # A "hands over" to C's key, even with C's signature: A retires, but C's record (address,
        # pinned certificate) stays C's. Without C's signature nothing happens (tests/security/test_trust.py).
        cosign = b64u_encode(signing.sign(c.keys.signing_seed, entries.successor_statement(a.node_id, c.node_id)))
        hostile = entries.make(a.keys.signing_seed, a.node_id, "vouch",
                               {"subject": c.node_id, "successor": True, "successor_sig": cosign}, now=now)
        ingest(b, [hostile], source=a.node_id)
        trust = Trust(b)
        assert trust.peer(a.node_id).state is PeerState.BLOCKED
        assert trust.peer(c.node_id) == before_c
