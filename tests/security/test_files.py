"""Attacks 1 and 2 of issue 14: a hostile drop folder or target path (real links, a real FIFO, real big files)."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from sync.bundle import export_bundle
from sync.dropfolder import DropFolder, own_name
from tests.service.helpers import centre, has_entry, node_id, pair, post
from tests.service.running import serve, wait_until, write_config
from tests.support import make_node, run_noticeboard

INTERVAL = 2.0


def plant_links(target: Path, victim: Path) -> None:
    """A link at the target and at every partial name the program ever used for it."""
    for name in (target.name, f".{target.name}.partial", f"{target.name}.partial"):
        (target.parent / name).symlink_to(victim)


def test_a_link_planted_at_the_own_bundle_or_its_partial_never_writes_through(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    pair(a, b)
    wanted = post(a, "Boodschappen halen")
    shared = tmp_path / "shared"
    shared.mkdir()
    database = a.data_dir / "noticeboard.db"
    with a.open() as node:
        name = own_name(node)
        plant_links(shared / name, database)
        wrote, count = DropFolder(node, shared).write_out()
    assert wrote and count >= 1
    assert database.read_bytes()[:16] == b"SQLite format 3\x00"  # still a database, not a bundle
    assert stat.S_ISREG(os.lstat(shared / name).st_mode)
    with b.open() as node:
        DropFolder(node, shared).scan_in()
    assert has_entry(b, node_id(a), wanted)
    with a.open() as node:
        assert node.store.get(node_id(a), wanted) is not None  # the node still opens and holds its post


def test_export_backup_and_privacy_export_replace_a_planted_link_and_leave_its_target(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("belangrijk", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for name, args in (("export.bundle", ("bundle", "export")), ("backup.bhb", ("backup",)),
                       ("inzage.json", ("privacy", "export", "BH-0000-0000", "--out"))):
        target = out / name
        plant_links(target, victim)
        result = nd.cli(*args, str(target))
        assert victim.read_text(encoding="utf-8") == "belangrijk", name
        if result.code == 0:
            assert stat.S_ISREG(os.lstat(target).st_mode), name
            assert target.stat().st_size > 0, name


def test_bundle_import_of_a_fifo_or_a_huge_file_is_refused_at_once(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    fifo = tmp_path / "pipe.bundle"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.bundle"
    with open(huge, "wb") as handle:
        handle.truncate(3 * 1024**3)
    for path in (fifo, huge, Path("/dev/zero")):
        started = time.monotonic()
        done = run_noticeboard("--data-dir", str(nd.data_dir), "--key-file", str(nd.key_file), "bundle", "import",
                               str(path), timeout=30)
        assert done.returncode != 0, path
        assert time.monotonic() - started < 20, path
        assert "Traceback" not in done.stderr, done.stderr


def test_the_data_folder_is_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        nd = make_node(tmp_path)
        wanted = post(nd, "Boodschappen halen")  # the database and its journal files exist now
    finally:
        os.umask(old)
    assert has_entry(nd, node_id(nd), wanted)
    assert stat.S_IMODE(os.stat(nd.data_dir).st_mode) == 0o700
    for entry in nd.data_dir.iterdir():
        assert stat.S_IMODE(os.lstat(entry).st_mode) & 0o077 == 0, entry.name


def _write_hostile_folder(folder: Path, victim: Path) -> None:
    (folder / "link.bundle").symlink_to(victim)
    os.mkfifo(folder / "pipe.bundle")
    (folder / "zero.bundle").symlink_to("/dev/zero")
    with open(folder / "sparse.bundle", "wb") as handle:
        handle.truncate(3 * 1024**3)
    (folder / "infinity.bundle").write_bytes(
        b'{"bundle":"buurthulp-bundle","v":1,"from":"x","created":"x","epoch":"x","since":Infinity,'
        b'"upto":1,"count":0,"for":[]}\n')
    (folder / "deep.bundle").write_bytes(b"[" * 200_000 + b"]" * 200_000 + b"\n")


def _rss_peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_acceptance_3_a_hostile_drop_folder_does_not_stop_the_service(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    pair(a, b)
    shared = tmp_path / "stick"
    shared.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("niet aankomen", encoding="utf-8")
    _write_hostile_folder(shared, victim)
    write_config(a, listen="127.0.0.1", interval=INTERVAL, extra=f'drop_folder = "{shared}"\n')
    served = serve(a, None, tmp_path / "a.log", "--no-discovery")
    try:
        wanted = post(b, "Heg knippen")
        with b.open() as node:
            export_bundle(node, shared / "garnwerd.bundle", recipients=[], mark=False)
        placed = time.monotonic()
        wait_until(lambda: has_entry(a, node_id(b), wanted), INTERVAL + 2, "the good bundle to be taken in")
        print(f"good bundle taken in after {time.monotonic() - placed:.2f} s beside the hostile files")
        peak = _rss_peak_kib(served.proc.pid)
        print(f"service peak RSS {peak / 1024:.0f} MiB")
        assert peak < 200 * 1024
    finally:
        took = served.stop()
    print(f"stopped {took:.2f} s after SIGTERM")
    assert took < 5
    assert victim.read_text(encoding="utf-8") == "niet aankomen"
    left = sorted(p.name for p in shared.iterdir())
    for name in ("link", "pipe", "zero", "sparse", "infinity", "deep"):
        assert f"{name}.bundle.refused" in left, left
    logs = served.logs()
    assert "refused a file reason=" in logs
    assert "Traceback" not in logs
