"""The encrypted store: highest version wins in any order, tombstones erase, nothing readable on disk."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crypto import vault
from crypto.encoding import b64u_decode
from crypto.identity import NodeKeys
from noticeboard import entry as entries
from noticeboard.contact import Contact
from noticeboard.entry import Entry
from noticeboard.store import BoardQuery, Locked, NotInitialised, Outcome, Store, Unlock
from noticeboard.store.migrations import all_migrations
from tests.foundation.fixtures import KEYS, NOW, request

FAST = vault.ScryptParams(n=2**10)
ID = "6f1c1d1e-5b7a-4c4e-9f51-2f1f2b9c0a11"


def new_store(path: Path, passphrase: str = "geheim wachtwoord") -> Store:
    return Store.create(path / "nb.db", Unlock(passphrase=passphrase), scrypt=FAST)


def db_files(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(path.glob("nb.db*")))


def state(store: Store) -> set[tuple[str, str, int, str, str]]:
    return {(e.author, e.id, e.version, e.type, e.sig) for e in store.entries()}


def versions() -> list[Entry]:
    """Versions 1-3 of one request, a same-version twin with other bytes, and a tombstone."""
    v1 = request(entry_id=ID, title="Heg knippen")
    v2 = entries.revise(KEYS.signing_seed, v1, dict(v1.body, status="matched"), now=NOW + dt.timedelta(minutes=1))
    twin = entries.revise(KEYS.signing_seed, v1, dict(v1.body, title="Heg snoeien"), now=NOW + dt.timedelta(minutes=2))
    stone = entries.tombstone(KEYS.signing_seed, v2, now=NOW + dt.timedelta(minutes=3))
    other = request(NodeKeys(b"\x01" * 32, b"\x02" * 32), entry_id=ID, ref="BH-0000")
    return [v1, v2, twin, stone, other]


def test_apply_keeps_the_highest_version(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    v1, v2, twin, _stone, other = versions()
    assert store.apply(v1, now=NOW) is Outcome.APPLIED
    assert store.apply(v1, now=NOW) is Outcome.SAME
    assert store.apply(v2, now=NOW) is Outcome.APPLIED
    assert store.apply(v1, now=NOW) is Outcome.OLDER
    assert store.get(*v1.key) == v2
    # Same (author, id) from another author is another entry.
    assert store.apply(other, now=NOW) is Outcome.APPLIED
    assert store.count() == 2
    winner = max(v2, twin, key=lambda e: b64u_decode(e.sig))
    store.apply(twin, now=NOW)
    assert store.get(*v1.key) == winner


@given(st.lists(st.sampled_from(range(5)), min_size=1, max_size=12), st.randoms(use_true_random=False))
@settings(max_examples=60)
def test_any_order_with_duplicates_gives_the_same_state(tmp_path_factory: pytest.TempPathFactory,
                                                        picks: list[int], rnd) -> None:
    pool = versions()
    chosen = [pool[i] for i in picks]
    root = tmp_path_factory.mktemp("prop")
    one, two = new_store(root / "a"), new_store(root / "b")
    for e in chosen:
        one.apply(e, now=NOW)
    shuffled = chosen[:]
    rnd.shuffle(shuffled)
    two.apply_many(shuffled + shuffled[:3], now=NOW)
    assert state(one) == state(two)
    # And the state is what "highest version, then highest signature" says.
    expected = {}
    for e in chosen:
        best = expected.get(e.key)
        if best is None or (e.version, b64u_decode(e.sig)) > (best.version, b64u_decode(best.sig)):
            expected[e.key] = e
    assert state(one) == {(e.author, e.id, e.version, e.type, e.sig) for e in expected.values()}
    one.close()
    two.close()


def test_nothing_readable_on_disk_and_tombstone_leaves_no_trace(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    post = request(title="Zwaluwstaartverbinding", text="Wie repareert mijn vogelhuisje zwaluwstaart?")
    store.apply(post, now=NOW)
    store.set_contact(post.author, post.id, Contact.text("Gerda", "0698765432"))
    old_sealed = store._conn.execute("SELECT sealed FROM entries").fetchone()[0]
    raw = db_files(tmp_path)
    assert b"Zwaluwstaart" not in raw and b"zwaluwstaart" not in raw and b"0698765432" not in raw
    assert b"Gerda" not in raw and b"BH-7K3Q" not in raw
    store.apply(entries.tombstone(KEYS.signing_seed, post, now=NOW), now=NOW)
    raw = db_files(tmp_path)
    assert old_sealed not in raw
    assert store.contact(post.author, post.id) is None
    assert store.get(*post.key).body == {"was": "request"}
    store.close()


def test_wrong_passphrase_changes_nothing_and_change_keeps_data(tmp_path: Path) -> None:
    store = new_store(tmp_path, "eerste wachtwoord")
    post = request()
    store.apply(post, now=NOW)
    store.close()
    before = hashlib.sha256((tmp_path / "nb.db").read_bytes()).hexdigest()
    with pytest.raises(Locked):
        Store.open(tmp_path / "nb.db", Unlock(passphrase="verkeerd"))
    assert hashlib.sha256((tmp_path / "nb.db").read_bytes()).hexdigest() == before
    store = Store.open(tmp_path / "nb.db", Unlock(passphrase="eerste wachtwoord"))
    store.set_passphrase(Unlock(passphrase="eerste wachtwoord"), "tweede wachtwoord", FAST)
    store.close()
    with pytest.raises(Locked):
        Store.open(tmp_path / "nb.db", Unlock(passphrase="eerste wachtwoord"))
    with Store.open(tmp_path / "nb.db", Unlock(passphrase="tweede wachtwoord")) as again:
        assert again.get(*post.key) == post


def test_key_file_unlock_and_removal_guard(tmp_path: Path) -> None:
    secret = vault.new_key_file_secret()
    store = Store.create(tmp_path / "nb.db", Unlock(key_file_secret=secret))
    assert store.unlock_methods() == ["keyfile"]
    with pytest.raises(Exception, match="no way to unlock"):
        store.set_key_file(Unlock(key_file_secret=secret), None)
    store.set_passphrase(Unlock(key_file_secret=secret), "nu ook een wachtwoord", FAST)
    store.set_key_file(Unlock(key_file_secret=secret), None)
    store.close()
    with pytest.raises(Locked):
        Store.open(tmp_path / "nb.db", Unlock(key_file_secret=secret))
    Store.open(tmp_path / "nb.db", Unlock(passphrase="nu ook een wachtwoord")).close()


def test_missing_store(tmp_path: Path) -> None:
    with pytest.raises(NotInitialised):
        Store.open(tmp_path / "none.db", Unlock(passphrase="x"))


def test_change_feed_epoch_and_expiry(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    epoch = store.epoch
    first = request()
    short = entries.make(KEYS.signing_seed, KEYS.node_id, "offer", dict(first.body, ref="BH-1111"), now=NOW,
                         expires=NOW + dt.timedelta(hours=1))
    store.apply_many([first, short], now=NOW)
    assert [c.seq for c in store.changes(0, 10)] == [1, 2]
    assert [c.entry for c in store.changes(1, 10)] == [short]
    assert store.purge_expired(NOW + dt.timedelta(hours=2)) == 1
    # A purge never hands out a sequence number twice.
    later = request(entry_id=ID, ref="BH-2222")
    store.apply(later, now=NOW)
    assert store.changes(2, 10)[0].seq == 3
    assert store.apply(short, now=NOW + dt.timedelta(hours=2)) is Outcome.EXPIRED
    assert store.new_epoch() != epoch


def test_held_entries_wait_for_their_time(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    future = request(now=NOW + dt.timedelta(days=1))
    store.hold(future)
    assert store.held_count() == 1 and store.count() == 0
    assert store.due_held(NOW) == []
    assert store.due_held(NOW + dt.timedelta(days=1)) == [future]
    assert store.held_count() == 0


def test_board_queries(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    other = NodeKeys(b"\x03" * 32, b"\x04" * 32)
    posts = [
        request(ref="BH-0001", title="Heg knippen", now=NOW - dt.timedelta(hours=3)),
        request(ref="BH-0002", title="Café bezoek", category="gezelschap", now=NOW - dt.timedelta(hours=2)),
        entries.make(other.signing_seed, other.node_id, "offer",
                     dict(request().body, ref="BH-0003", title="Ik help met de tuin",
                          place={"village": "Winsum", "lat_cdeg": 5333, "lon_cdeg": 652}),
                     now=NOW - dt.timedelta(hours=1)),
    ]
    store.apply_many(posts, now=NOW)
    found, total = store.board(now=NOW)
    assert [e.body["ref"] for e in found] == ["BH-0003", "BH-0002", "BH-0001"] and total == 3
    assert [e.body["ref"] for e in store.board(BoardQuery(kind="offer"), now=NOW)[0]] == ["BH-0003"]
    assert [e.body["ref"] for e in store.board(BoardQuery(category="gezelschap"), now=NOW)[0]] == ["BH-0002"]
    assert [e.body["ref"] for e in store.board(BoardQuery(text="cafe"), now=NOW)[0]] == ["BH-0002"]
    assert [e.body["ref"] for e in store.board(BoardQuery(village="winsum"), now=NOW)[0]] == ["BH-0003"]
    near = store.board(BoardQuery(near=(5332, 644), within_km=2), now=NOW)[0]
    assert {e.body["ref"] for e in near} == {"BH-0001", "BH-0002"}
    page, total = store.board(now=NOW, limit=1, offset=1)
    assert [e.body["ref"] for e in page] == ["BH-0002"] and total == 3
    assert store.by_ref("bh-0002")[0].body["title"] == "Café bezoek"
    # Another connection (the sync service in another process) adds a post: the board sees it.
    second = Store.open(store.path, Unlock(passphrase="geheim wachtwoord"))
    second.apply(request(ref="BH-0004", entry_id=ID), now=NOW)
    second.close()
    assert store.board(now=NOW)[1] == 4
    store.apply(entries.tombstone(KEYS.signing_seed, posts[0], now=NOW), now=NOW)
    assert store.board(now=NOW)[1] == 3


def test_migrations_are_numbered_without_gaps() -> None:
    numbers = [m.number for m in all_migrations()]
    assert numbers == list(range(1, len(numbers) + 1))


def test_a_board_built_newest_first_in_parts_answers_as_one_built_at_once(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    posts = [request(ref=f"BH-00{i:02d}", title=f"Klus {i}", now=NOW - dt.timedelta(minutes=i)) for i in range(7)]
    store.apply_many(posts, now=NOW)
    store.apply(entries.tombstone(KEYS.signing_seed, posts[2], now=NOW), now=NOW)
    # A first part only: the page answers from the newest rows while the rest waits.
    assert not store.backfill_board(3)
    partial = store.board(now=NOW, complete=False)[1]
    assert 0 < partial < 6 and not store.board_complete
    # A change arriving mid-build is taken in as well.
    new = request(ref="BH-0099", title="Nieuw", now=NOW)
    store.apply(new, now=NOW)
    while not store.backfill_board(3):
        pass
    assert store.board_complete
    found, total = store.board(now=NOW)
    fresh = new_store(tmp_path / "again")
    fresh.apply_many([*posts, entries.tombstone(KEYS.signing_seed, posts[2], now=NOW),
                      new], now=NOW)
    assert (found, total) == fresh.board(now=NOW) and total == 7
