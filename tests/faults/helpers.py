"""What the fault tests share: many signed entries, read-only looks at a database, child processes."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from noticeboard import entry as entries
from noticeboard.entry import Entry
from noticeboard.node import Node
from tests.helpers import free_port as free_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def many_requests(node: Node, count: int, *, now: dt.datetime, title: str = "Lamp ophangen") -> list[Entry]:
    """``count`` signed requests of ``node`` at its own place (not stored)."""
    body = {"category": "klussen", "title": title, "text": "", "reach_km": 30, "status": "open",
            "ref": "BH-7K3Q", "lang": "nl", "place": node.profile().place.to_wire()}
    return [entries.make(node.keys.signing_seed, node.node_id, "request", body, now=now) for _ in range(count)]


def db_of(data_dir: Path) -> Path:
    """The database file of a node folder."""
    return data_dir / "noticeboard.db"


def keys_of(db: Path, author: str, kind: str = "request") -> set[tuple[str, int]]:
    """(id, version) of one author's entries of a type, read as another process would (committed data only)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return {(r[0], r[1]) for r in conn.execute("SELECT id, version FROM entries WHERE author = ? AND type = ?",
                                                   (author, kind))}
    finally:
        conn.close()


def integrity(db: Path) -> str:
    """SQLite's own check of the whole file ("ok" when sound)."""
    conn = sqlite3.connect(db, timeout=10)
    try:
        return "; ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process: this checkout importable, Dutch, no node settings of the machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTICEBOARD_")}
    env.update({"PYTHONPATH": str(ROOT), "NOTICEBOARD_LANG": "nl", **extra})
    return env


def start_child(module: str, *args: str, **extra_env: str) -> subprocess.Popen[str]:
    """Run ``python -m module args`` with its output piped to us."""
    return subprocess.Popen([PYTHON, "-m", module, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=child_env(**extra_env), cwd=ROOT)
