"""The ingest pipeline: each check refuses with its reason, good entries always get through."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
from pathlib import Path

from crypto.canonical import canonical_bytes
from noticeboard import entry as entries
from noticeboard.clock import utcnow
from noticeboard.node import Node, PostDraft
from noticeboard.trust import PeerState, Trust
from sync import verifier
from sync.ingest import Ingest, ingest, release_held, verify_entry
from tests.sync.helpers import line_node, post, trust_directly


def _pair(tmp_path: Path) -> tuple[Node, Node]:
    a = line_node(tmp_path, "A").open()
    b = line_node(tmp_path, "B").open()
    trust_directly(b, a)
    return a, b


def test_good_entries_apply_and_bad_ones_are_counted_by_reason(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    refs = [post(a, f"Klus {i}") for i in range(3)]
    raw = [e.canonical() for e in a.store.entries(types=["request"])]
    forged = json.loads(raw[0])
    forged["body"]["title"] = "Veranderd"
    # The forgery in canonical form (else it is refused before its signature is looked at), and a
    # good entry spelled with spaces, which only its canonical bytes may be.
    raw_bad = [canonical_bytes(forged), b"{not json", b"x" * 20000, json.dumps({"v": 1}).encode(),
               json.dumps(json.loads(raw[1])).encode()]
    report = ingest(b, [*raw_bad[:2], raw[0], raw_bad[2], raw[1], raw_bad[3], raw[2], raw_bad[4]], source=a.node_id)
    assert report.applied == 3
    assert report.refused == {"bad_signature": 1, "malformed": 1, "too_large": 1, "schema": 1, "not_canonical": 1}
    assert sorted(e.body["ref"] for e in b.store.entries(types=["request"])) == sorted(refs)
    assert Trust(b).refusals()[a.node_id]["bad_signature"] == 1
    again = ingest(b, raw, source=a.node_id)
    assert (again.applied, again.unchanged) == (0, 3)


def test_untrusted_blocked_out_of_reach_and_expired_are_refused(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    c = line_node(tmp_path, "C").open()
    post(c, "Van een vreemde")
    post(a, "Te klein bereik", reach_km=5)
    now = utcnow()
    old = entries.make(a.keys.signing_seed, a.node_id, "request",
                       a.store.by_ref(post(a, "Oud"))[0].body, now=now - dt.timedelta(days=20),
                       expires=now - dt.timedelta(days=1) + dt.timedelta(seconds=1))
    report = ingest(b, [e.canonical() for e in [*a.store.entries(), *c.store.entries(), old]],
                    source="bundle", now=now + dt.timedelta(seconds=2))
    assert report.refused["untrusted"] == 2  # C's profile and its request
    assert report.refused["out_of_reach"] == 1
    assert report.refused["expired"] == 1
    Trust(b).block(a.node_id)
    assert b.store.count(["request"]) == 0
    post(a, "Na de blokkade")
    blocked = ingest(b, [e.canonical() for e in a.store.entries()], source=a.node_id)
    assert blocked.applied == 0 and blocked.refused["blocked"] == len(list(a.store.entries()))


def test_future_entries_are_held_until_their_time(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    now = utcnow()
    draft = PostDraft("request", "tuin", "Gras maaien", "Het gras is te lang.", reach_km=30)
    future = a.post(draft, now=now + dt.timedelta(hours=1))
    report = ingest(b, [future.canonical()], source=a.node_id, now=now)
    assert report.held == 1 and b.store.get(*future.key) is None
    assert release_held(b, now=now + dt.timedelta(hours=2)).applied == 1
    assert b.store.get(*future.key) == future


def test_introducer_vouch_trusts_and_its_revocation_stops_new_entries(tmp_path: Path) -> None:
    a = line_node(tmp_path, "A").open()
    b = line_node(tmp_path, "B").open()
    c = line_node(tmp_path, "C").open()
    trust_directly(b, a)
    trust_directly(c, b, state=PeerState.INTRODUCER)
    post(a, "Eerste", reach_km=40)
    refused = ingest(c, [e.canonical() for e in a.store.entries()], source="test")
    assert refused.refused["untrusted"] == 2
    vouches = [e.canonical() for e in b.store.entries(types=["vouch", "node"])]
    report = Ingest(c).run([*vouches, *[e.canonical() for e in a.store.entries()]], source=b.node_id)
    assert report.refused.get("untrusted", 0) == 0
    assert c.store.count(["request"]) == 1
    Trust(b).block(a.node_id)
    revocation = [e.canonical() for e in b.store.entries(types=["tombstone"], author=b.node_id)]
    post(a, "Tweede", reach_km=40)
    after = ingest(c, [*revocation, *[e.canonical() for e in a.store.entries(types=["request"])]], source=b.node_id)
    assert after.refused["untrusted"] == 1 and after.unchanged == 1  # the first one is kept, the new one refused
    assert c.store.count(["request"]) == 1
    Trust(c).block(a.node_id)
    assert Trust(c).view().refusal(a.node_id) == "blocked"


def test_large_batch_verifies_in_parallel_and_applies_once(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    now = utcnow()
    body = a.store.by_ref(post(a, "Basis"))[0].body
    made = [entries.make(a.keys.signing_seed, a.node_id, "request", dict(body, title=f"Klus {i}"), now=now)
            for i in range(300)]
    raw = [e.canonical() for e in made]
    raw[150] = raw[150].replace(b"Klus 150", b"Klus 151")
    report = ingest(b, raw, source=a.node_id, now=now)
    assert report.applied == 299 and report.refused == {"bad_signature": 1}


def test_fast_signature_check_agrees_with_the_full_one(tmp_path: Path) -> None:
    a = line_node(tmp_path, "A").open()
    post(a, "Controle")
    for entry in a.store.entries():
        wire_form = entries.decode(entry.canonical())
        assert verify_entry(wire_form) and wire_form.verify()
        changed = json.loads(entry.canonical())
        changed["version"] += 1
        tampered = entries.validate(changed)
        assert not verify_entry(tampered) and not tampered.verify()
        other_sig = dict(json.loads(entry.canonical()), sig="A" * 86)
        assert not verify_entry(entries.validate(other_sig))


def test_a_local_block_beats_an_introducers_live_vouch(tmp_path: Path) -> None:
    a = line_node(tmp_path, "A").open()
    b = line_node(tmp_path, "B").open()
    c = line_node(tmp_path, "C").open()
    trust_directly(b, a)
    trust_directly(c, b, state=PeerState.INTRODUCER)
    ref = post(a, "Eerste", reach_km=40)
    ingest(c, [e.canonical() for e in [*b.store.entries(types=["vouch"]), *a.store.entries()]], source=b.node_id)
    assert c.store.by_ref(ref) and Trust(c).view().trusts(a.node_id)
    Trust(c).block(a.node_id)
    assert b.store.get(b.node_id, Trust(b).peer(a.node_id).vouch_id) is not None  # type: ignore[union-attr]
    assert Trust(c).view().refusal(a.node_id) == "blocked"
    assert not c.store.by_ref(ref)
    again = ingest(c, [e.canonical() for e in [*b.store.entries(types=["vouch"]), *a.store.entries()]],
                   source=b.node_id)
    assert again.applied == 0 and again.refused["blocked"] >= 2


def test_a_batch_larger_than_a_page_is_taken_page_by_page_with_the_same_outcome(tmp_path: Path) -> None:
    import sync.ingest as pipeline

    a, b = _pair(tmp_path)
    c = line_node(tmp_path, "C").open()
    body = a.post(PostDraft("request", "klussen", "Basis", "tekst", reach_km=30)).body
    now = utcnow()
    made = [entries.make(a.keys.signing_seed, a.node_id, "request", dict(body, title=f"Klus {i}"), now=now)
            for i in range(pipeline.PAGE + 40)]
    stranger = entries.make(c.keys.signing_seed, c.node_id, "request", dict(body, title="Vreemd"), now=now)
    forged = json.loads(made[5].canonical())
    forged["body"]["title"] = "Veranderd"
    # A later copy of an entry of the first page, in the second: stored once, counted unchanged.
    raw = [e.canonical() for e in made] + [made[3].canonical(), stranger.canonical(),
                                           json.dumps(forged, sort_keys=True, separators=(",", ":")).encode()]
    raw[5] = raw.pop()
    report = ingest(b, raw, source=a.node_id)
    assert report.received == len(raw)
    assert (report.applied, report.unchanged) == (pipeline.PAGE + 39, 1)
    assert report.refused == {"bad_signature": 1, "untrusted": 1}
    assert b.store.count(types=["request"]) == pipeline.PAGE + 39


def _many(author: Node, count: int) -> list[bytes]:
    """count signed requests of one author as a peer sends them; every 97th with its title altered
    after signing (still canonical JSON, so only the signature check can refuse it)."""
    now = utcnow()
    body = author.store.by_ref(post(author, "Basis"))[0].body
    raw = [entries.make(author.keys.signing_seed, author.node_id, "request", dict(body, title=f"Klus {i:04}"),
                        now=now).canonical() for i in range(count)]
    return [r.replace(b'"Klus ', b'"Klas ') if i % 97 == 0 else r for i, r in enumerate(raw)]


def test_worker_processes_give_the_verdicts_of_the_in_process_check(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    c = line_node(tmp_path, "C").open()
    trust_directly(c, a)
    raw = _many(a, 700)
    in_workers = ingest(b, raw, source=a.node_id)
    assert verifier.worker_pids(), "a batch this size is checked in the worker processes"
    here = ingest(c, raw, source=a.node_id, parallel=False)
    assert (in_workers.applied, in_workers.refused) == (here.applied, here.refused) == (692, {"bad_signature": 8})
    assert {e.canonical() for e in b.store.entries(types=["request"])} == \
        {e.canonical() for e in c.store.entries(types=["request"])}


def test_a_killed_worker_costs_only_time_and_shutdown_ends_the_workers(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    raw = _many(a, 600)
    assert ingest(b, raw[:300], source=a.node_id).applied == 300 - 4
    pids = verifier.worker_pids()
    assert pids
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    report = ingest(b, raw[300:], source=a.node_id)
    assert (report.applied, report.refused) == (300 - 3, {"bad_signature": 3})
    again = verifier.worker_pids()
    assert again and not set(again) & set(pids)
    verifier.shutdown()
    assert verifier.worker_pids() == []
    # Waited for, not left as zombies.
    assert not any(Path(f"/proc/{pid}").exists() for pid in [*pids, *again])
