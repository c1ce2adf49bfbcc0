"""Key files, the passphrase, and data-key rotation (including kill -9 in the middle, several times)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crypto import vault
from noticeboard.contact import Contact
from noticeboard.desk import intake, matches, stats
from noticeboard.geo import Place
from noticeboard.node import Node, PostDraft, Profile, database_path
from noticeboard.privacy import rekey
from noticeboard.privacy.errors import AllUnlocksNeeded, NodeBusy
from noticeboard.store import Locked, Unlock
from tests.desk.fixtures import PASSPHRASE as DESK_PASSPHRASE
from tests.desk.fixtures import T0, make_desk_node
from tests.privacy.helpers import ANNA, BOUKE, data_key, file_digest, opens_with, post_for, sealed_rows
from tests.privacy.village import live_a_year
from tests.support import FAST_SCRYPT, NodeDir, make_node, run_cli

PASS = "correct horse battery"


def _node_with_both(tmp_path: Path) -> tuple[Path, Path]:
    data_dir = tmp_path / "both"
    data_dir.mkdir()
    key_file = data_dir / "node.key"
    vault.write_key_file(key_file, vault.new_key_file_secret())
    unlock = Unlock(PASS, vault.read_key_file(key_file))
    Node.create(data_dir, unlock, Profile("Dorpshuis", Place("Ezinge", 5332, 644)), scrypt=FAST_SCRYPT).close()
    return data_dir, key_file


def test_keyfile_add_and_remove_keep_the_passphrase_working(tmp_path: Path) -> None:
    data_dir = tmp_path / "pass"
    Node.create(data_dir, Unlock(PASS), Profile("Dorpshuis", Place("Ezinge", 5332, 644)), scrypt=FAST_SCRYPT).close()
    env = {"NOTICEBOARD_PASSPHRASE": PASS}
    new_key = tmp_path / "usb" / "node.key"
    added = run_cli("--data-dir", str(data_dir), "keyfile", "add", str(new_key), env=env)
    assert added.code == 0, added.err
    assert oct(new_key.stat().st_mode & 0o777) == "0o600"
    assert run_cli("--data-dir", str(data_dir), "--key-file", str(new_key), "whoami").code == 0
    removed = run_cli("--data-dir", str(data_dir), "keyfile", "remove", env=env)
    assert removed.code == 0, removed.err
    locked = run_cli("--data-dir", str(data_dir), "--key-file", str(new_key), "whoami")
    assert locked.code == 3
    assert run_cli("--data-dir", str(data_dir), "whoami", env=env).code == 0
    changed = run_cli("--data-dir", str(data_dir), "passphrase",
                      env={**env, "NOTICEBOARD_NEW_PASSPHRASE": "another good passphrase"})
    assert changed.code == 0
    assert run_cli("--data-dir", str(data_dir), "whoami", env={"NOTICEBOARD_PASSPHRASE": "another good passphrase"}).code == 0


def test_the_last_unlock_cannot_be_removed_and_wrong_keys_change_nothing(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    db = database_path(nd.data_dir)
    before = file_digest(db)
    result = nd.cli("--lang", "en", "keyfile", "remove")
    assert result.code != 0 and result.err.strip().startswith("Then nobody could open the noticeboard")
    wrong = tmp_path / "wrong.key"
    vault.write_key_file(wrong, vault.new_key_file_secret())
    for args in (("keyfile", "remove"), ("keyfile", "add", str(tmp_path / "new.key")), ("keys", "rotate-data")):
        result = run_cli("--lang", "nl", "--data-dir", str(nd.data_dir), "--key-file", str(wrong), *args)
        assert result.code == 3, args
        assert result.err.count("\n") == 1 and "klopt niet" in result.err
    assert not (tmp_path / "new.key").exists()
    assert file_digest(db) == before


def test_rotation_reencrypts_every_sealed_row_and_keeps_everything_readable(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    with nd.open() as node:
        refs = [post_for(node, ANNA), post_for(node, BOUKE)]
        node.respond(node.find(refs[0]), name="Cor", contact="0655555555", message="Ik kan dinsdag")
    old_key = data_key(nd.data_dir, nd.unlock)
    assert opens_with(old_key, sealed_rows(nd.data_dir)) == len(sealed_rows(nd.data_dir))
    result = nd.cli("keys", "rotate-data")
    assert result.code == 0, result.err
    rows = sealed_rows(nd.data_dir)
    new_key = data_key(nd.data_dir, nd.unlock)
    assert new_key != old_key
    assert opens_with(old_key, rows) == 0
    assert opens_with(new_key, rows) == len(rows) >= 7
    with nd.open() as node:
        post = node.find(refs[0])  # the reference-code tag was recomputed under the new key
        assert node.store.contact(post.author, post.id) == Contact.text(ANNA.name, ANNA.phone)
        assert node.store.responses(post.author, post.id)[0]["name"] == "Cor"
        assert node.keys.node_id == node.profile_entry().author


def test_rotation_needs_every_unlock_method_and_refuses_while_open(tmp_path: Path) -> None:
    data_dir, key_file = _node_with_both(tmp_path)
    db = database_path(data_dir)
    secret = vault.read_key_file(key_file)
    with pytest.raises(AllUnlocksNeeded):
        rekey.rotate_data_key(db, Unlock(key_file_secret=secret))
    with pytest.raises(Locked):
        rekey.rotate_data_key(db, Unlock("wrong passphrase", secret))
    with Node.open(data_dir, Unlock(PASS)) as node:
        node.store.count()
        with pytest.raises(NodeBusy):
            rekey.rotate_data_key(db, Unlock(PASS, secret))
    rekey.rotate_data_key(db, Unlock(PASS, secret))
    for unlock in (Unlock(PASS), Unlock(key_file_secret=secret)):
        with Node.open(data_dir, unlock) as node:
            assert node.profile().name == "Dorpshuis"


def _many_posts(nd: NodeDir, count: int, extra_contacts: int = 0) -> list[str]:
    refs = []
    with nd.open() as node:
        for i in range(count):
            draft = PostDraft("request", "tuin", f"Tuin {i}", f"Onkruid wieden nummer {i}", name="Wim")
            made = node.post(draft, contact=Contact.text(f"Wim {i}", f"06{i:08d}"))
            refs.append(str(made.body["ref"]))
        # Many more sealed rows in one transaction, so a rotation takes long enough to be killed mid-way.
        store, me = node.store, node.node_id
        with store.write() as conn:
            ver = store.next_ver()
            conn.executemany("INSERT INTO contacts(author, id, sealed, ver) VALUES (?,?,?,?)", [
                (me, f"extra-{i}", store.seal_json(f"contact|{me}|extra-{i}", {"contact": f"05{i:08d}"}, ver=ver), ver)
                for i in range(extra_contacts)])
    return refs


def _rotate_child(nd: NodeDir) -> subprocess.Popen[str]:
    exe = Path(sys.executable).with_name("noticeboard")
    return subprocess.Popen([str(exe), "--data-dir", str(nd.data_dir), "--key-file", str(nd.key_file),
                             "--lang", "en", "keys", "rotate-data", "--batch", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_rotation_killed_several_times_resumes_and_ends_with_no_row_under_the_old_key(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    refs = _many_posts(nd, 300, extra_contacts=8000)
    old_key = data_key(nd.data_dir, nd.unlock)
    for kill_after in (3, 8, 5):
        child = _rotate_child(nd)
        assert child.stdout is not None
        seen = 0
        for line in child.stdout:
            if line.startswith("Re-encrypted"):
                seen += 1
            if seen == kill_after:
                os.kill(child.pid, signal.SIGKILL)
                break
        child.wait(timeout=60)
        child.stdout.close()
        child.stderr.close() if child.stderr else None
        assert child.returncode == -signal.SIGKILL
        conn = sqlite3.connect(database_path(nd.data_dir))
        assert rekey.pending(conn)
        conn.close()
        assert "a key change is unfinished" in nd.cli("--lang", "en", "privacy").out
        # Cut short, the node still opens and reads everything under the old key.
        assert data_key(nd.data_dir, nd.unlock) == old_key
        with nd.open() as node:
            assert node.find(refs[-1]).body["title"] == "Tuin 299"
    child = _rotate_child(nd)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert "Interrupted key change finished" in out
    rows = sealed_rows(nd.data_dir)
    new_key = data_key(nd.data_dir, nd.unlock)
    assert opens_with(old_key, rows) == 0
    assert opens_with(new_key, rows) == len(rows) >= 8600
    with nd.open() as node:
        for i, ref in enumerate(refs):
            post = node.find(ref)
            assert node.store.contact(post.author, post.id) == Contact.text(f"Wim {i}", f"06{i:08d}")
        assert node.store.contact(node.node_id, "extra-7999") == Contact.text("", "0500007999")
    conn = sqlite3.connect(database_path(nd.data_dir))
    assert not rekey.pending(conn)
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'privacy_rekey%'").fetchone()[0] == 0
    conn.close()


def test_rotation_keeps_desk_statistics_and_repeat_pairs(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    later = T0 + dt.timedelta(days=20)
    with nd.open() as node:
        history = live_a_year(node)
        v = history.village
        before = stats.to_csv(stats.compute(node, now=later))
    with pytest.raises(AllUnlocksNeeded):
        rekey.rotate_data_key(database_path(nd.data_dir), nd.unlock)
    rekey.rotate_data_key(database_path(nd.data_dir), Unlock(DESK_PASSPHRASE, vault.read_key_file(nd.key_file)))
    with nd.open() as node:
        assert stats.to_csv(stats.compute(node, now=later)) == before
        tags = {r[0] for r in node.store.db.conn.execute("SELECT pair FROM desk_events WHERE pair != ''")}
        assert matches.pair_tag(node, v.ans.id, v.bram.id) in tags
        # Ans and Bram again: counted as a repeat pair, across the rotation.
        made = intake.intake(node, v.volunteer, v.ans.id, PostDraft("request", "boodschappen", "Weer boodschappen"),
                             now=T0 + dt.timedelta(days=10))
        again = matches.propose(node, v.volunteer, made.body["ref"], "person", v.bram.id, now=T0 + dt.timedelta(days=10))
        matches.agree(node, v.volunteer, again.id, "resident", now=T0 + dt.timedelta(days=10))
        matches.agree(node, v.volunteer, again.id, "helper", now=T0 + dt.timedelta(days=10))
        matches.done(node, v.volunteer, again.id, now=T0 + dt.timedelta(days=11))
        assert stats.compute(node, now=later)[-1].counts["repeat_pairs"] == 1


def test_rotation_refuses_when_a_table_is_not_in_the_register(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    conn = sqlite3.connect(database_path(nd.data_dir))
    conn.execute("CREATE TABLE stray (id TEXT, sealed BLOB)")
    conn.commit()
    conn.close()
    before = file_digest(database_path(nd.data_dir))
    result = nd.cli("--lang", "en", "keys", "rotate-data")
    assert result.code != 0
    assert result.err.strip() == ("This noticeboard holds data the key change does not know (table stray). "
                                  "Nothing was changed. Update the program.")
    assert file_digest(database_path(nd.data_dir)) == before
