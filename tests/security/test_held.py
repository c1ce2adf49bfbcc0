"""Attack 9 of issue 14: entries dated far ahead, held for ever, even after their author is blocked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from noticeboard import entry as entries
from noticeboard.clock import utcnow
from sync.bundle import export_bundle
from tests.service.helpers import centre, node_id, pair
from tests.support import NodeDir, run_noticeboard


def held(nd: NodeDir) -> int:
    with nd.open() as node:
        return node.store.held_count()


def cli(nd: NodeDir, *args: str) -> str:
    done = run_noticeboard("--data-dir", str(nd.data_dir), "--key-file", str(nd.key_file), *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_far_future_entries_are_refused_and_held_ones_go_with_their_author(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    pair(a, b)
    now = utcnow()
    body = {"category": "boodschappen", "title": "Boodschappen", "text": "", "place": {
        "village": "Garnwerd", "lat_cdeg": 5332, "lon_cdeg": 650}, "reach_km": 30, "status": "open",
        "ref": "BH-2222", "lang": "nl"}
    with b.open() as node:
        far = entries.make(node.keys.signing_seed, node.node_id, "request", dict(body, ref="BH-3333"),
                           now=dt.datetime(9998, 1, 1, tzinfo=dt.UTC))
        soon = entries.make(node.keys.signing_seed, node.node_id, "request", body, now=now + dt.timedelta(days=2))
        node.store.apply(far, now=far.updated_at)
        node.store.apply(soon, now=soon.updated_at)
        export_bundle(node, tmp_path / "b.bundle", recipients=[], mark=False)
    out = cli(a, "bundle", "import", str(tmp_path / "b.bundle"))
    print(out)
    assert held(a) == 1  # two days ahead waits; year 9998 is refused
    with a.open() as node:
        assert node.store.get(node_id(b), far.id) is None and node.store.get(node_id(b), soon.id) is None
    cli(a, "peers", "block", node_id(b))
    assert held(a) == 0  # blocking its author takes the held entry too
