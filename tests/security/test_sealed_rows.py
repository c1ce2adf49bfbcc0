"""Issue 14, attack 9: flags and health notes named their post in clear; an old ciphertext put back opened.

Every sealed local row now binds a write counter (its ``ver`` column) into its associated data,
and ``desk_flags`` / ``health_notes`` find their rows by the post's keyed tag. Migration 6
converts a database written before (checked here on a real schema-5 file).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from crypto import vault
from noticeboard.desk import audit, cards, safeguarding
from noticeboard.privacy import consent
from noticeboard.privacy.register import by_table
from noticeboard.store import Damaged, Store, rowkeys
from noticeboard.store.rowkeys import ref_key, ref_tag, row_ad
from noticeboard.store.store import open_data_key, read_wrappers
from tests.desk.fixtures import PASSPHRASE, T0, make_desk_node, populate
from tests.privacy.village import live_a_year

CLEAR_TABLES = ("desk_flags", "health_notes", "desk_audit")


def clear_values(db: Path, table: str) -> list[bytes]:
    """Every column of every row of a table but its sealed one, as the file holds them."""
    conn = sqlite3.connect(db)
    try:
        cursor = conn.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        conn.close()
    return [v if isinstance(v, bytes) else str(v).encode()
            for row in rows for name, v in zip(names, row, strict=True) if name != "sealed" and v is not None]


def test_flag_health_and_audit_rows_name_no_post_in_the_file(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    with nd.open() as node:
        history = live_a_year(node)
        posts = [e for e in node.store.entries(types=("request", "offer", "tombstone"))]
        coordinator = history.village.coordinator
        # Still found and shown through their owners.
        flagged = safeguarding.flagged(node, coordinator, now=T0)
        assert [f.ref for f in flagged] == [history.piotr_ref]
        ans_open = node.find(history.ans_open_ref)
        assert consent.health(node.store, *ans_open.key) == "Ans is slechtziend"
        node.store.checkpoint()
    db = nd.data_dir / Store.FILENAME
    secrets_of_posts = {e.author.encode() for e in posts} | {e.id.encode() for e in posts}
    refs = {history.ans_ref, history.piotr_ref, history.anna_ref, history.ans_open_ref}
    for table in CLEAR_TABLES:
        values = clear_values(db, table)
        assert values, table
        for value in values:
            assert not any(s in value for s in secrets_of_posts), (table, value)
            assert not any(r.encode() in value for r in refs), (table, value)
    raw = b"".join(path.read_bytes() for path in nd.data_dir.glob("noticeboard.db*"))
    assert not any(r.encode() in raw for r in refs)


def test_an_old_ciphertext_put_back_into_a_row_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    with nd.open() as node:
        village = populate(node)
        pid = village.ans.id
        person = cards.load(node.store, pid)
        person.phone = "0594-999999"
        db = nd.data_dir / Store.FILENAME
        with sqlite3.connect(db) as raw:
            old_sealed, old_ver = raw.execute("SELECT sealed, ver FROM desk_people WHERE id = ?", (pid,)).fetchone()
        cards.save(node.store, village.coordinator, person, now=T0)
        assert cards.load(node.store, pid).phone == "0594-999999"
    # The attacker with the file (not the key) puts the older card back, ciphertext only.
    with sqlite3.connect(db) as raw:
        new_ver = raw.execute("SELECT ver FROM desk_people WHERE id = ?", (pid,)).fetchone()[0]
        assert new_ver > old_ver
        raw.execute("UPDATE desk_people SET sealed = ? WHERE id = ?", (old_sealed, pid))
    raw.close()
    with nd.open() as node, pytest.raises(Damaged):
        cards.load(node.store, pid)
    done = nd.cli("person", "show", pid, env={"NOTICEBOARD_PASSPHRASE": PASSPHRASE, "NOTICEBOARD_LANG": "nl"})
    assert done.code == 1
    assert "Een deel van de gegevens is beschadigd" in done.err and "Traceback" not in done.err + done.out
    # The same holds for a kept contact and a secret (the exit PIN hash among them).
    with nd.open() as node:
        store = node.store
        me = node.node_id
        from noticeboard.contact import Contact

        store.set_contact(me, "x1", Contact.text("Ans", "0594-111111"))
        with sqlite3.connect(db) as raw:
            old = raw.execute("SELECT sealed FROM contacts WHERE id = 'x1'").fetchone()[0]
        store.set_contact(me, "x1", Contact.text("Ans", "0594-222222"))
        with sqlite3.connect(db) as raw:
            raw.execute("UPDATE contacts SET sealed = ? WHERE id = 'x1'", (old,))
        with pytest.raises(Damaged):
            store.contact(me, "x1")


def _downgrade_to_schema_5(db: Path, data_key: bytes, me: str) -> dict[str, str]:
    """Rewrite a fresh node's file the way the program before migration 6 left it, with one row of each kind."""
    cipher = vault.RowCipher(data_key)

    def seal(row_id: str, value: object) -> bytes:
        return cipher.seal(row_ad(row_id, None), json.dumps(value).encode())

    conn = sqlite3.connect(db, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        for table in ("secrets", "contacts", "responses", "desk_accounts", "desk_people", "desk_matches", "desk_audit",
                      "consents", "post_owners"):
            # The rows there are: sealed again without their counter, and the column dropped.
            (sealed_column,) = by_table()[table].sealed
            for row in conn.execute(f"SELECT rowid AS _rowid, * FROM {table}").fetchall():
                values = dict(row)
                if values["sealed"] is None:
                    continue
                plain = cipher.open(sealed_column.identity(values), values["sealed"])
                conn.execute(f"UPDATE {table} SET sealed = ? WHERE rowid = ?",
                             (cipher.seal(row_ad(sealed_column.base(values), None), plain), values["_rowid"]))
            conn.execute(f"ALTER TABLE {table} DROP COLUMN ver")
        conn.execute("DROP TABLE desk_flags")
        conn.execute("CREATE TABLE desk_flags (author TEXT, id TEXT, at INTEGER, by TEXT, sealed BLOB, "
                     "PRIMARY KEY (author, id))")
        conn.execute("DROP TABLE health_notes")
        conn.execute("CREATE TABLE health_notes (author TEXT, id TEXT, created INTEGER, sealed BLOB, "
                     "PRIMARY KEY (author, id))")
        conn.execute("INSERT INTO desk_flags VALUES (?,?,?,?,?)", (me, "held-0123456789abcdef", 1, "coordinator",
                     seal(f"flag|{me}|held-0123456789abcdef",
                          {"reason": "zorgen", "ref": "BH-7K3Q", "body": {"ref": "BH-7K3Q", "title": "Hulp"}})))
        conn.execute("INSERT INTO health_notes VALUES (?,?,?,?)", (me, "p1", 1,
                     seal(f"health|{me}|p1", {"details": "slechtziend"})))
        seq = int(conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM desk_audit").fetchone()[0])
        conn.execute("INSERT INTO desk_audit VALUES (?,?,?,?,?,?)", (seq, 1, "coordinator", "flag", "BH-7K3Q",
                     seal(f"audit|{seq}", {"reason": "zorgen"})))
        conn.execute("INSERT INTO desk_people VALUES (?,?,?,?,?,?,?)", ("K-AB12", 1, 1, 1, 0, None,
                     seal("person|K-AB12", {"first_name": "Ans"})))
        conn.execute("INSERT INTO contacts VALUES (?,?,?)", (me, "p1", seal(f"contact|{me}|p1", {"n": "Ans"})))
        conn.execute("INSERT INTO secrets VALUES (?,?)", ("probe", cipher.seal(b"secret|probe", b"geheim")))
        exit_pin = json.dumps({"salt": "00" * 16, "n": 2**14, "r": 8, "p": 1, "hash": "11" * 32})
        conn.execute("INSERT INTO meta VALUES ('kiosk_exit_pin', ?)", (exit_pin,))
        conn.execute("DELETE FROM meta WHERE key = 'row_ver'")
        conn.execute("PRAGMA user_version = 5")
    finally:
        conn.close()
    return {"exit_pin": exit_pin}


def test_migration_6_converts_a_schema_5_file_and_keeps_every_row_readable(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    with nd.open() as node:
        me = node.node_id
    db = nd.data_dir / Store.FILENAME
    with sqlite3.connect(db) as conn:
        data_key = open_data_key(read_wrappers(conn), nd.unlock)
    conn.close()
    kept = _downgrade_to_schema_5(db, data_key, me)
    with nd.open() as node:
        store = node.store
        assert store.secret("probe") == b"geheim"
        assert store.secret("kiosk_exit_pin") == kept["exit_pin"].encode() and store.meta("kiosk_exit_pin") is None
        assert store.contact(me, "p1") is not None
        coordinator = populate(node).coordinator
        assert [f.ref for f in safeguarding.all_flagged(node)] == ["BH-7K3Q"]
        assert safeguarding.flagged_by_ref(node, "BH-7K3Q") is not None
        lines = audit.read(store, coordinator, now=T0, act="flag")
        assert [(r.subject, r.details) for r in lines] == [("BH-7K3Q", {"reason": "zorgen"})]
        assert cards.load(store, "K-AB12").first_name == "Ans"
    tag = ref_tag(ref_key(data_key), "BH-7K3Q").hex()
    for table in CLEAR_TABLES:
        for value in clear_values(db, table):
            assert me.encode() not in value and b"BH-7K3Q" not in value and value != b"p1", (table, value)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM desk_audit WHERE subject = ?", (f"ref:{tag}",)).fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(*) FROM health_notes").fetchone()[0] == 1
        assert conn.execute("PRAGMA user_version").fetchone()[0] >= 6
    conn.close()
    raw = b"".join(path.read_bytes() for path in nd.data_dir.glob("noticeboard.db*"))
    assert b"BH-7K3Q" not in raw and b'"hash": "' + b"11" * 32 not in raw


def test_health_notes_follow_a_post_to_the_successor_key(tmp_path: Path) -> None:
    from noticeboard.privacy import handover

    nd = make_desk_node(tmp_path)
    with nd.open() as node:
        history = live_a_year(node)
        before = node.find(history.ans_open_ref)
        handover.rotate_signing_key(node, now=T0 + dt.timedelta(days=6))
        after = node.find(history.ans_open_ref)
        assert after.author != before.author and after.id == before.id
        assert consent.health(node.store, *after.key) == "Ans is slechtziend"
        assert consent.health(node.store, *before.key) is None
        assert [f.ref for f in safeguarding.flagged(node, history.village.coordinator, now=T0)] == [history.piotr_ref]


def test_the_store_s_ref_tagger_makes_the_tags_of_ref_tag() -> None:
    for key in (bytes(32), bytes(range(32)), b"k" * 64, b"long" * 40):
        tagger = rowkeys.RefTagger(key)
        for ref in ("BH-7K3Q", "bh-7k3q", "", "POST-" + "ab" * 40, "é€"):
            assert tagger(ref) == rowkeys.ref_tag(key, ref)
