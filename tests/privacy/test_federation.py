"""Privacy across nodes: an erasure reaches every node in one round; a backup taken during sync restores and re-syncs."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from crypto import vault
from noticeboard.clock import utcnow
from noticeboard.contact import Contact
from noticeboard.node import Node, PostDraft, database_path
from noticeboard.privacy import backup, consent, person
from noticeboard.trust import Trust
from sync.client import sync_with
from sync.ingest import ingest
from sync.replication import Checkpoints
from tests.privacy.helpers import ANNA, BOUKE, NOW, data_key, post_for, sealed_rows
from tests.support import NodeDir
from tests.sync.helpers import Servers, line_node, pair_both, trust_directly


def _traces(nd: NodeDir) -> tuple[bytes, bytes]:
    """Every sealed value of a node, decrypted with its own key; and the raw bytes of its database files."""
    cipher = vault.RowCipher(data_key(nd.data_dir, nd.unlock))
    plain = b"\n".join(cipher.open(identity, blob) for _, identity, blob in sealed_rows(nd.data_dir))
    db = database_path(nd.data_dir)
    raw = b"".join(Path(str(db) + s).read_bytes() for s in ("", "-wal") if Path(str(db) + s).exists())
    return plain, raw


async def test_an_erasure_at_a_reaches_every_node_in_one_round(tmp_path: Path) -> None:
    dirs = {name: line_node(tmp_path, name) for name in "ABC"}
    nodes = {name: nd.open() for name, nd in dirs.items()}
    a, b, c = nodes["A"], nodes["B"], nodes["C"]
    servers = Servers()
    try:
        addr = {name: await servers.start(node) for name, node in nodes.items()}
        await pair_both(a, addr["A"], b, addr["B"])
        await pair_both(b, addr["B"], c, addr["C"])
        await pair_both(a, addr["A"], c, addr["C"])
        refs = [post_for(a, ANNA, reach_km=30), post_for(a, ANNA, category="vervoer", reach_km=30)]
        keep = post_for(a, BOUKE, category="tuin", reach_km=30)
        await sync_with(b, Trust(b).peer(a.node_id))
        await sync_with(c, Trust(c).peer(b.node_id))
        anna = [ANNA.name.encode(), ANNA.phone.encode(), ANNA.title.encode(), ANNA.text.encode()]
        held_before = {}
        for name in "BC":
            assert all(nodes[name].find(r).body["text"] == ANNA.text for r in refs)
            plain, _ = _traces(dirs[name])
            assert ANNA.title.encode() in plain
            held_before[name] = {blob for _, _, blob in sealed_rows(dirs[name].data_dir)}

        erased = person.erase(a, person.PersonQuery(contacts=(ANNA.phone,)), now=utcnow())
        assert erased.posts == 2
        # One round: B pulls from A, C pulls from B (the relay path).
        await sync_with(b, Trust(b).peer(a.node_id))
        await sync_with(c, Trust(c).peer(b.node_id))

        for name, node in nodes.items():
            for ref in refs:
                assert node.store.by_ref(ref) == [], (name, ref)
            assert node.find(keep).body["title"] == BOUKE.title
            plain, raw = _traces(dirs[name])
            for needle in anna:
                assert needle not in plain, (name, needle)
                assert needle not in raw, (name, needle)
            if name in held_before:
                for blob in held_before[name] - {blob for _, _, blob in sealed_rows(dirs[name].data_dir)}:
                    assert blob not in raw, name
        # Nothing waits to be sent: the changes feed of every node holds only tombstones for her posts.
        for node in nodes.values():
            for change in node.store.changes(0, 10_000):
                assert ANNA.title not in change.entry.canonical().decode()
    finally:
        await servers.stop_all()
        for node in nodes.values():
            node.close()


async def test_a_backup_taken_during_sync_restores_consistently_and_peers_resync(tmp_path: Path) -> None:
    a_dir, b_dir = line_node(tmp_path, "A"), line_node(tmp_path, "B")
    a, b = a_dir.open(), b_dir.open()
    servers = Servers()
    file = tmp_path / "a.bhb"
    try:
        addr_a, addr_b = await servers.start(a), await servers.start(b)
        await pair_both(a, addr_a, b, addr_b)
        for i in range(30):
            a.post(PostDraft("request", "boodschappen", f"Boodschappen {i}", "Brood en melk", reach_km=30),
                   contact=Contact.text(f"Bewoner {i}", f"06{i:08d}"), now=NOW)
        stop = threading.Event()
        written: list[str] = []

        def writer() -> None:
            with Node.open(a_dir.data_dir, a_dir.unlock) as other:
                while not stop.is_set():
                    made = other.post(PostDraft("offer", "klussen", f"Klus {len(written)}", "Kleine klussen",
                                                reach_km=30))
                    written.append(made.body["ref"])

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            rounds = [asyncio.create_task(sync_with(b, Trust(b).peer(a.node_id))) for _ in range(3)]
            await asyncio.to_thread(backup.write_backup, database_path(a_dir.data_dir), file, a_dir.unlock)
            mark = len(written)
            while len(written) < mark + 3:
                await asyncio.sleep(0.01)
            await asyncio.gather(*rounds)
        finally:
            stop.set()
            thread.join()
        await sync_with(b, Trust(b).peer(a.node_id))
        old_epoch = a.store.epoch
        await servers.stop_all()
        a.close()

        epoch = backup.restore_backup(file, database_path(a_dir.data_dir), a_dir.unlock)
        a = a_dir.open()
        assert a.store.epoch == epoch != old_epoch
        assert a.store.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(list(a.store.entries())) >= 31
        lost = [r for r in written if not a.store.by_ref(r)]
        assert len(lost) >= 3
        addr_a = await servers.start(a)
        Trust(b).set_address(a.node_id, addr_a)
        summary, _ = await sync_with(b, Trust(b).peer(a.node_id))
        assert summary.reconciled
        assert Checkpoints(b).get(a.node_id).pull_epoch == epoch
        # What A wrote after the backup comes back from B, which had it.
        assert all(a.store.by_ref(r) for r in lost)
    finally:
        await servers.stop_all()
        a.close()
        b.close()


async def test_erasing_a_helper_at_their_centre_erases_the_response_they_sent(tmp_path: Path) -> None:
    dirs = {name: line_node(tmp_path, name) for name in "AB"}
    a, b = dirs["A"].open(), dirs["B"].open()
    servers = Servers()
    try:
        addr_a, addr_b = await servers.start(a), await servers.start(b)
        await pair_both(a, addr_a, b, addr_b)
        ref = post_for(a, BOUKE, category="tuin", reach_km=30)
        await sync_with(b, Trust(b).peer(a.node_id))
        words = "Ik heb een heggenschaar, groet van Anna"
        message = b.respond(b.find(ref), name=ANNA.name, contact=ANNA.phone, message=words)
        assert message is not None
        consent.record_sent_response(b.store, message, name=ANNA.name, contact=ANNA.phone, now=utcnow())
        await sync_with(a, Trust(a).peer(b.node_id))
        assert a.take_in_messages() == 1
        assert a.store.responses()[0]["message"] == words
        exported = person.export(b, person.PersonQuery(contacts=(ANNA.phone,)), now=utcnow())
        assert exported["responses_sent"][0]["to_centre"] == [a.node_id]
        assert exported["responses_sent"][0]["name"] == ANNA.name

        person.erase(b, person.PersonQuery(contacts=(ANNA.phone,)), now=utcnow())
        await sync_with(a, Trust(a).peer(b.node_id))
        assert a.store.responses() == []
        assert a.take_in_messages() == 0
        for name, node in (("A", a), ("B", b)):
            assert node.store.get(*message.key).type == "tombstone"
            plain, raw = _traces(dirs[name])
            for needle in (ANNA.name.encode(), ANNA.phone.encode(), words.encode()):
                assert needle not in plain and needle not in raw, (name, needle)
    finally:
        await servers.stop_all()
        a.close()
        b.close()


def test_erasing_at_the_receiving_centre_drops_the_sealed_message_too(tmp_path: Path) -> None:
    a_dir, b_dir = line_node(tmp_path, "A"), line_node(tmp_path, "B")
    with a_dir.open() as a, b_dir.open() as b:
        trust_directly(a, b)
        trust_directly(b, a)
        ref = post_for(a, BOUKE, category="tuin", reach_km=30)
        ingest(b, [a.find(ref)], source="test")
        message = b.respond(b.find(ref), name=ANNA.name, contact=ANNA.phone, message="Tot zaterdag")
        ingest(a, [message], source="test")
        assert a.take_in_messages() == 1
        person.erase(a, person.PersonQuery(contacts=(ANNA.phone,)), now=utcnow())
        assert a.store.responses() == [] and a.store.get(*message.key) is None
        assert a.take_in_messages() == 0
