"""kill -9 of a node at random points during ingest and during sync (10 times each).

After every kill: SQLite's integrity check is ok and nothing the node had committed is gone
(what the ingest child reported, what another process could already read during sync).
After all kills the next ingest and the next sync complete.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

from noticeboard.clock import utcnow
from tests.faults.helpers import db_of, free_port, integrity, keys_of, many_requests, start_child
from tests.service.helpers import centre, pair
from tests.service.running import EXE, serve, write_config
from tests.support import run_noticeboard
from tests.sync.helpers import trust_directly

KILLS = 10


def _rng() -> random.Random:
    seed = int(os.environ.get("FAULT_SEED", str(random.randrange(2**32))))
    print(f"FAULT_SEED={seed}")
    return random.Random(seed)


def _kill(proc: subprocess.Popen[str]) -> str:
    """SIGKILL and reap; return what it had printed."""
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    return out


def test_kill_9_during_ingest_keeps_every_committed_batch(tmp_path: Path) -> None:
    rng = _rng()
    source, target = centre(tmp_path, "Buurthuis Ezinge", 644), centre(tmp_path, "Dorpshuis Garnwerd", 650)
    with source.open() as a, target.open() as b:
        trust_directly(b, a)
        made = many_requests(a, 4000, now=utcnow())
        author = a.node_id
    lines = tmp_path / "entries.ndjson"
    lines.write_bytes(b"\n".join(e.canonical() for e in made) + b"\n")
    ids = [(e.id, e.version) for e in made]
    db = db_of(target.data_dir)
    kills = 0
    started = time.monotonic()
    while kills < KILLS:
        child = start_child("tests.faults.ingest_child", str(target.data_dir), str(target.key_file), str(lines), "100")
        assert child.stdout is not None
        first = child.stdout.readline()
        assert first.startswith("committed"), first + child.stderr.read() if child.stderr else first
        # Batches already in are quick: the kill lands anywhere in the first 60 % of the file.
        for _ in range(rng.randrange(24)):
            child.stdout.readline()
        time.sleep(rng.uniform(0, 0.06))
        if child.poll() is not None:
            child.communicate(timeout=30)
            break  # it finished first: everything is in; the checks below still hold
        printed = first + _kill(child)
        kills += 1
        reported = max(int(line.split()[1]) for line in printed.splitlines() if line.startswith("committed"))
        assert integrity(db) == "ok"
        have = keys_of(db, author)
        lost = [k for k in ids[:reported] if k not in have]
        assert not lost, f"kill {kills}: {len(lost)} of {reported} committed entries are gone"
        print(f"kill {kills}: {reported} reported committed, {len(have)} present")
    assert kills == KILLS, f"only {kills} kills landed: ingest finished too soon"
    done = start_child("tests.faults.ingest_child", str(target.data_dir), str(target.key_file), str(lines), "100")
    _, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    assert keys_of(db, author) == set(ids) and integrity(db) == "ok"
    print(f"{KILLS} kills during ingest and a full ingest in {time.monotonic() - started:.1f} s")


def test_kill_9_during_sync_keeps_what_was_committed_and_the_next_sync_completes(tmp_path: Path) -> None:
    rng = _rng()
    a, b = centre(tmp_path, "Buurthuis Ezinge", 644), centre(tmp_path, "Dorpshuis Garnwerd", 650)
    port_a = free_port()
    pair(a, b, address_of_a=f"127.0.0.1:{port_a}")
    want: set[tuple[str, int]] = set()

    def top_up() -> str:
        """Give A 5,000 more entries (also while it serves: another process may write its database)."""
        with a.open() as node:
            made = many_requests(node, 5000, now=utcnow())
            node.store.apply_many(made, now=utcnow())
            want.update((e.id, e.version) for e in made)
            return node.node_id

    author = top_up()
    db = db_of(b.data_dir)
    write_config(a, listen="127.0.0.1", port=port_a, interval=3600)
    served = serve(a, None, tmp_path / "a.log", "--no-discovery")
    argv = [str(EXE), "--data-dir", str(b.data_dir), "--key-file", str(b.key_file), "sync", f"127.0.0.1:{port_a}"]
    started = time.monotonic()
    kills = 0
    try:
        while kills < KILLS:
            before = keys_of(db, author)
            child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 60
            # Wait until this round has committed something new, so the kill lands inside the sync.
            while child.poll() is None and len(keys_of(db, author)) == len(before):
                assert time.monotonic() < deadline, "the sync child took in nothing within 60 s"
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.1))
            seen = keys_of(db, author)
            if child.poll() is not None:
                out, err = child.communicate(timeout=30)
                assert child.returncode == 0, out + err
                assert keys_of(db, author) == want, "a sync that ended well left entries behind"
                top_up()  # it finished before the kill: more to sync, and try again
                continue
            _kill(child)
            kills += 1
            assert integrity(db) == "ok"
            after = keys_of(db, author)
            assert seen <= after, f"kill {kills}: {len(seen - after)} committed entries are gone"
            assert after <= want
            print(f"kill {kills}: {len(seen)} seen before the kill, {len(after)} present after")
        result = run_noticeboard("--data-dir", str(b.data_dir), "--key-file", str(b.key_file), "sync",
                                 f"127.0.0.1:{port_a}", timeout=120)
        assert result.returncode == 0, result.stderr
        assert keys_of(db, author) == want and integrity(db) == "ok"
        print(f"{KILLS} kills during sync and a complete sync of {len(want)} entries "
              f"in {time.monotonic() - started:.1f} s")
    finally:
        served.stop()
