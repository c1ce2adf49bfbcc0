"""Store.write() nests in one thread: the outermost block commits or rolls back everything inside it."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from crypto import vault
from noticeboard.store import Store, Unlock
from tests.foundation.fixtures import NOW, request

FAST = vault.ScryptParams(n=2**10)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    created = Store.create(tmp_path / "nb.db", Unlock(passphrase="geheim wachtwoord"), scrypt=FAST)
    yield created
    created.close()


def metas(store: Store) -> dict[str, str | None]:
    return {key: store.meta(key) for key in ("a", "b", "c")}


def other_connection_sees(store: Store, key: str) -> str | None:
    conn = sqlite3.connect(store.path)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def test_inner_writes_join_the_outer_transaction(store: Store) -> None:
    with store.write():
        store.set_meta("a", "1")
        with store.write() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES ('b', '2')")
            assert store.in_write
        # Nothing is committed until the outermost block ends: another connection sees none of it.
        assert other_connection_sees(store, "a") is None
        assert other_connection_sees(store, "b") is None
    assert not store.in_write
    assert other_connection_sees(store, "a") == "1"
    assert metas(store) == {"a": "1", "b": "2", "c": None}


def test_a_failure_anywhere_rolls_back_the_whole_act(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write():
        store.set_meta("a", "1")
        store.set_meta("b", "2")
        raise RuntimeError("the audit line could not be written")
    assert metas(store) == {"a": None, "b": None, "c": None}
    # The store still takes writes afterwards.
    store.set_meta("c", "3")
    assert store.meta("c") == "3"


def test_an_inner_failure_the_caller_catches_undoes_only_the_inner_part(store: Store) -> None:
    with store.write():
        store.set_meta("a", "1")
        with pytest.raises(ValueError), store.write():
            store.set_meta("b", "2")
            raise ValueError("refused")
        store.set_meta("c", "3")
    assert metas(store) == {"a": "1", "b": None, "c": "3"}


def test_a_checkpoint_asked_for_inside_runs_after_the_commit(store: Store) -> None:
    post = request()
    store.apply(post, now=NOW)
    from noticeboard import entry as entries
    from tests.foundation.fixtures import KEYS
    stone = entries.tombstone(KEYS.signing_seed, post, now=NOW)
    wal = Path(f"{store.path}-wal")
    with store.write():
        # apply_many erases and asks for a checkpoint; inside a transaction it must wait.
        store.apply(stone, now=NOW)
        assert store.in_write
    # After the commit the WAL was folded in and emptied (TRUNCATE).
    assert wal.stat().st_size == 0
    assert store.get(*post.key).type == "tombstone"


def test_another_thread_waits_for_the_outer_transaction(store: Store) -> None:
    seen: list[str | None] = []
    started = threading.Event()

    def other() -> None:
        started.set()
        with store.write():
            seen.append(store.meta("a"))

    with store.write():
        store.set_meta("a", "1")
        thread = threading.Thread(target=other)
        thread.start()
        started.wait()
        thread.join(timeout=0.2)
        # The other thread does not join our transaction: it is still waiting for the lock.
        assert thread.is_alive()
    thread.join(timeout=5)
    assert seen == ["1"]
