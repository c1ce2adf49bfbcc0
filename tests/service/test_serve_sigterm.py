"""Acceptance: `noticeboard serve` stops within 5 s on SIGTERM, even mid-sync, loses nothing, and resumes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from noticeboard import entry as entries
from noticeboard.clock import utcnow
from tests.helpers import free_port
from tests.service.helpers import centre, node_id, pair
from tests.service.running import serve, wait_until, write_config

MANY = 6000


def _keys_of(db: Path, author: str) -> set[tuple[str, int]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return {(r[0], r[1]) for r in conn.execute("SELECT id, version FROM entries WHERE author = ?", (author,))}
    finally:
        conn.close()


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def test_sigterm_mid_sync_stops_quickly_loses_nothing_and_restart_resumes(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    port_a, port_b = free_port(), free_port()
    pair(a, b, address_of_b=f"127.0.0.1:{port_b}", address_of_a=f"127.0.0.1:{port_a}")
    now = utcnow()
    with a.open() as node:
        body = {"category": "klussen", "title": "Lamp ophangen", "text": "", "reach_km": 30, "status": "open",
                "ref": "BH-7K3Q", "lang": "nl", "place": node.profile().place.to_wire()}
        node.store.apply_many([entries.make(node.keys.signing_seed, node.node_id, "request", body, now=now)
                               for _ in range(MANY)], now=now)
    a_id = node_id(a)
    want = _keys_of(a.data_dir / "noticeboard.db", a_id)
    db_b = b.data_dir / "noticeboard.db"

    write_config(a, listen="127.0.0.1", port=port_a, interval=30)
    write_config(b, listen="127.0.0.1", port=port_b, interval=30, extra=f'static_peers = ["127.0.0.1:{port_a}"]\n')
    served_a = serve(a, None, tmp_path / "a.log", "--no-discovery")
    served_b = None
    try:
        served_b = serve(b, None, tmp_path / "b.log", "--no-discovery")
        wait_until(lambda: len(_keys_of(db_b, a_id)) > 0, 30, "the first entries to arrive at B", every=0.01)
        took = served_b.stop()
        had = len(_keys_of(db_b, a_id))
        print(f"SIGTERM with {had} of {len(want)} entries at B; stopped in {took:.2f} s")
        assert took < 5
        assert served_b.proc.returncode == 0, served_b.logs()
        assert _integrity(db_b) == "ok"
        assert _keys_of(db_b, a_id) <= want

        served_b = serve(b, None, tmp_path / "b2.log", "--no-discovery")
        took = wait_until(lambda: _keys_of(db_b, a_id) == want, 60, "every entry of A at B after restart")
        print(f"after restart B had all {len(want)} entries in {took:.2f} s")
    finally:
        for served in (served_a, served_b):
            if served is not None and served.proc.poll() is None:
                served.stop()
    assert served_a.proc.returncode == 0
    assert "event=serve_stopped" in served_a.logs()
