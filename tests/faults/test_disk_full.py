"""Disk full while a node writes: a clear sentence, nothing corrupted, and it resumes when space returns.

The node lives on a real small filesystem the test mounts (a size-limited tmpfs, as root); the
disk is filled with a file until the kernel says ENOSPC, leaving a little room so the sync starts
and runs out halfway. If mounting is impossible the test says so and uses SQLite's
``max_page_count`` on the node's own connection instead.
"""

from __future__ import annotations

import asyncio
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from noticeboard.clock import utcnow
from noticeboard.i18n import t
from noticeboard.store import DiskFull
from sync.ingest import ingest
from tests.faults.helpers import ROOT, child_env, db_of, integrity, keys_of, many_requests
from tests.service.helpers import centre
from tests.service.running import EXE
from tests.sync.helpers import Servers, trust_directly

DISK_MB = 24
LEFT_FREE = 1536 * 1024


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path | None]:
    """A tmpfs of DISK_MB mounted in tmp_path (None if this machine does not let us mount)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m,mode=0700", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        print(f"cannot mount a small filesystem ({done.stderr.strip()}); using SQLite's max_page_count instead")
        yield None
        return
    print(f"node on a {DISK_MB} MiB tmpfs mounted at {mount}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk: Path, leave: int) -> Path:
    """Write a file until the disk is full, then give back ``leave`` bytes; return the file."""
    filler = disk / "filler"
    chunk = b"\0" * 65536
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(chunk)
                handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


async def _cli(*args: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(str(EXE), *args, cwd=ROOT, env=child_env(),
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(proc.communicate(), 120)
    return proc.returncode or 0, out.decode()


async def test_disk_full_during_sync_says_so_corrupts_nothing_and_resumes(
        tmp_path: Path, servers: Servers, small_disk: Path | None) -> None:
    source = centre(tmp_path, "Buurthuis Ezinge", 644).open()
    made = many_requests(source, 4000, now=utcnow())
    source.store.apply_many(made, now=utcnow())
    address = await servers.start(source)
    home = small_disk or tmp_path
    target = centre(home, "Dorpshuis Garnwerd", 650)
    with target.open() as node:
        trust_directly(node, source, address=address)
        trust_directly(source, node)
    db = db_of(target.data_dir)
    want = {(e.id, e.version) for e in made}
    try:
        if small_disk is None:
            pytest.fail("the CLI check needs a real small filesystem: run the fault suite as root")
        filler = fill(small_disk, LEFT_FREE)
        code, out = await _cli("--data-dir", str(target.data_dir), "--key-file", str(target.key_file),
                               "sync", address)
        print("CLI said:", out.strip())
        assert code != 0, out
        assert "Traceback" not in out
        assert out.strip() == t("error.disk_full", lang="nl")
        assert integrity(db) == "ok"
        got = keys_of(db, source.node_id)
        assert got < want
        print(f"disk full after {len(got)} of {len(want)} entries")
        filler.unlink()
        code, out = await _cli("--data-dir", str(target.data_dir), "--key-file", str(target.key_file),
                               "sync", address)
        assert code == 0, out
        assert keys_of(db, source.node_id) == want and integrity(db) == "ok"
        with target.open() as node:
            assert sum(1 for e in node.store.entries(types=["request"]) if e.author == source.node_id) == len(want)
    finally:
        source.close()


def test_a_running_node_whose_disk_fills_refuses_the_write_and_writes_again_once_there_is_room(
        tmp_path: Path, small_disk: Path | None) -> None:
    source = centre(tmp_path, "Buurthuis Ezinge", 644).open()
    made = many_requests(source, 3000, now=utcnow())
    target = centre(small_disk or tmp_path, "Dorpshuis Garnwerd", 650)
    db = db_of(target.data_dir)
    with target.open() as node:
        trust_directly(node, source)
        pages = [[e.canonical() for e in made[i : i + 500]] for i in range(0, len(made), 500)]
        ingest(node, pages[0], source="faults")
        if small_disk is not None:
            filler = fill(small_disk, 64 * 1024)
        else:
            # No mount here: SQLite's own limit on this connection stands in for the full disk.
            pages_now = node.store.db.conn.execute("PRAGMA page_count").fetchone()[0]
            node.store.db.conn.execute(f"PRAGMA max_page_count = {pages_now + 8}")
        with pytest.raises(DiskFull):
            for page in pages[1:]:
                ingest(node, page, source="faults")
        assert integrity(db) == "ok"
        kept = keys_of(db, source.node_id)
        assert {(e.id, e.version) for e in made[:500]} <= kept
        if small_disk is not None:
            filler.unlink()
        else:
            node.store.db.conn.execute("PRAGMA max_page_count = 1073741823")
        # The same open node, no restart: the failed transaction did not stay open.
        for page in pages[1:]:
            ingest(node, page, source="faults")
        assert node.store.count(["request"]) == len(made)
    assert keys_of(db, source.node_id) == {(e.id, e.version) for e in made} and integrity(db) == "ok"
    print(f"{'tmpfs' if small_disk else 'max_page_count'}: full after {len(kept)} of {len(made)}, then all in")
    source.close()
