"""Backup and restore: consistent while a writer runs, new epoch, damaged or wrong-key files refused."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from crypto import vault
from noticeboard.contact import Contact
from noticeboard.node import Node, PostDraft, database_path
from noticeboard.privacy import backup
from noticeboard.privacy.errors import BackupDamaged, NodeBusy, NotABackup
from noticeboard.store import Locked, Unlock
from tests.privacy.helpers import ANNA, BOUKE, NOW, file_digest, post_for
from tests.support import make_node


def _fill(node: Node) -> list[str]:
    return [post_for(node, ANNA), post_for(node, BOUKE, category="tuin")]


def test_backup_while_a_writer_runs_restores_to_a_consistent_node_in_a_new_epoch(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    with nd.open() as node:
        refs = _fill(node)
        epoch_before = node.store.epoch
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        # A second connection writing posts with contacts, as the sync service or kiosk would.
        with Node.open(nd.data_dir, nd.unlock) as other:
            while not stop.is_set():
                draft = PostDraft("offer", "klussen", f"Klus {len(written)}", "Ik help met kleine klussen.")
                other.post(draft, contact=Contact.text("Helper", "0611111111"))
                written.append(1)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:
            threading.Event().wait(0.01)
        files = [tmp_path / f"b{i}.bhb" for i in range(3)]
        for target in files:
            backup.write_backup(database_path(nd.data_dir), target, nd.unlock)
    finally:
        stop.set()
        thread.join()
    assert len(written) >= 20
    for index, file in enumerate(files):
        restored_dir = tmp_path / f"restored{index}"
        epoch = backup.restore_backup(file, database_path(restored_dir), nd.unlock)
        assert epoch != epoch_before
        with Node.open(restored_dir, nd.unlock) as node:
            assert node.store.epoch == epoch
            entries = list(node.store.entries())  # every row decrypts
            seqs = [row[0] for row in node.store.db.conn.execute("SELECT seq FROM entries")]
            assert node.store.last_seq >= max(seqs)
            assert node.store.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            for ref in refs:
                post = node.find(ref)
                assert node.store.contact(post.author, post.id) is not None
            assert len(entries) >= 3 + 20 * (index == 0)


def test_restore_replaces_the_live_node_and_starts_a_new_epoch(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    with nd.open() as node:
        ref = post_for(node, ANNA)
        old_epoch = node.store.epoch
    file = tmp_path / "node.bhb"
    backup.write_backup(database_path(nd.data_dir), file, nd.unlock)
    with nd.open() as node:
        node.withdraw(ref, now=NOW)
    epoch = backup.restore_backup(file, database_path(nd.data_dir), nd.unlock)
    with nd.open() as node:
        assert node.find(ref).type == "request"
        assert node.store.epoch == epoch != old_epoch
    assert not Path(str(database_path(nd.data_dir)) + backup.RESTORE_SUFFIX).exists()


@pytest.mark.parametrize("damage", ["flip", "truncate", "extend", "header"])
def test_a_damaged_backup_is_refused_and_nothing_is_overwritten(tmp_path: Path, damage: str) -> None:
    nd = make_node(tmp_path)
    with nd.open() as node:
        _fill(node)
    file = tmp_path / "node.bhb"
    backup.write_backup(database_path(nd.data_dir), file, nd.unlock)
    data = bytearray(file.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    elif damage == "truncate":
        del data[-100:]
    elif damage == "extend":
        data += b"\0" * 10
    else:
        data[len(backup.MAGIC) + 10] ^= 0x20
    file.write_bytes(bytes(data))
    before = file_digest(database_path(nd.data_dir))
    with pytest.raises(BackupDamaged):
        backup.restore_backup(file, database_path(nd.data_dir), nd.unlock)
    assert file_digest(database_path(nd.data_dir)) == before
    result = nd.cli("--lang", "en", "restore", str(file))
    assert result.code != 0
    assert result.err.strip() == "The backup is damaged or incomplete. Nothing was restored; your data has not changed."
    assert file_digest(database_path(nd.data_dir)) == before


def test_wrong_key_and_foreign_files_are_refused_with_one_line(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    file = tmp_path / "node.bhb"
    backup.write_backup(database_path(nd.data_dir), file, nd.unlock)
    other_key = tmp_path / "other.key"
    vault.write_key_file(other_key, vault.new_key_file_secret())
    wrong = Unlock(key_file_secret=vault.read_key_file(other_key))
    before = file_digest(database_path(nd.data_dir))
    with pytest.raises(Locked):
        backup.restore_backup(file, database_path(nd.data_dir), wrong)
    with pytest.raises(Locked):
        backup.write_backup(database_path(nd.data_dir), tmp_path / "x.bhb", wrong)
    assert not (tmp_path / "x.bhb").exists()
    for args in (("restore", str(file)), ("backup", str(tmp_path / "y.bhb"))):
        result = nd.cli("--key-file", str(other_key), *args)
        assert result.code == 3
        assert result.err.count("\n") == 1 and "klopt niet" in result.err
    assert not (tmp_path / "y.bhb").exists()
    assert file_digest(database_path(nd.data_dir)) == before
    (tmp_path / "note.txt").write_text("boodschappenlijst")
    with pytest.raises(NotABackup):
        backup.restore_backup(tmp_path / "note.txt", database_path(nd.data_dir), nd.unlock)
    assert file_digest(database_path(nd.data_dir)) == before


def test_restore_refuses_while_the_node_is_open_elsewhere(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    file = tmp_path / "node.bhb"
    backup.write_backup(database_path(nd.data_dir), file, nd.unlock)
    with nd.open() as node:
        node.store.count()
        with pytest.raises(NodeBusy):
            backup.restore_backup(file, database_path(nd.data_dir), nd.unlock)
        assert list(node.store.entries())


def test_backup_file_holds_no_clear_text(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    with nd.open() as node:
        _fill(node)
    file = tmp_path / "node.bhb"
    assert nd.cli("backup", str(file)).code == 0
    data = file.read_bytes()
    for needle in (ANNA.name, ANNA.phone, "Zwierstra", "CREATE TABLE", "Ezinge"):
        assert needle.encode() not in data
    check = nd.cli("restore", "--check", str(file))
    assert check.code == 0 and "is heel" in check.out
    conn = sqlite3.connect(":memory:")
    conn.deserialize(backup.decrypt_backup(file, nd.unlock))
    assert conn.execute("SELECT COUNT(*) FROM contacts").fetchone()[0] == 2


def test_a_backup_to_a_missing_folder_says_so_in_one_line(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    result = nd.cli("--lang", "en", "backup", str(tmp_path / "no-such-stick" / "b.bhb"))
    assert result.code == 1
    assert result.err.startswith("Cannot write to") and result.err.count("\n") == 1
    assert not (tmp_path / "no-such-stick").exists()
