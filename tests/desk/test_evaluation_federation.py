"""Acceptance 1 (issue 18): two paired centres with done matches; after one sync over TLS,
``noticeboard evaluation --csv`` at each lists both centres' months, equal to each centre's own
``noticeboard stats``, with every cell below 5 suppressed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from pathlib import Path

import pytest

from noticeboard import entry as entries
from noticeboard.clock import utcnow
from noticeboard.desk.evaluation import FROM_DESK
from noticeboard.desk.evaluation_report import CSV_COLUMNS
from noticeboard.entry import STATS_COUNTS
from noticeboard.trust import Trust
from sync.client import sync_with
from tests.desk.evaluation_support import Work, do_month
from tests.desk.fixtures import PASSPHRASE, make_desk_node, populate
from tests.support import NodeDir
from tests.sync.helpers import Servers, pair_both

COORDINATOR = {"NOTICEBOARD_PASSPHRASE": PASSPHRASE}


def own_stats(centre: NodeDir) -> dict[tuple[str, str], list[int | str]]:
    """(month, category) -> the cells the centre's own ``noticeboard stats --csv`` gives, summed and suppressed."""
    result = centre.cli("stats", "--csv", env=COORDINATOR)
    assert result.code == 0, result.err
    sums: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATS_COUNTS, 0))
    for row in csv.DictReader(io.StringIO(result.out)):
        if row["month"] == "*":
            continue
        cells = sums[(row["month"], row["category"])]
        for name, sources in FROM_DESK.items():
            cells[name] += sum(int(row[s]) for s in sources)
    return {key: [entries.suppressed(cells[n]) for n in STATS_COUNTS] for key, cells in sums.items()}


def evaluation_csv(centre: NodeDir) -> list[dict[str, str]]:
    """The rows of ``noticeboard evaluation --csv`` at this centre (no login: public figures only)."""
    result = centre.cli("evaluation", "--csv")
    assert result.code == 0, result.err
    table = list(csv.DictReader(io.StringIO(result.out)))
    assert table and tuple(table[0]) == CSV_COLUMNS
    return table


@pytest.mark.slow
async def test_after_one_sync_each_centre_lists_both_centres_months_equal_to_their_own_stats(tmp_path: Path) -> None:
    start = utcnow() - dt.timedelta(days=2)
    wierde = make_desk_node(tmp_path / "a")
    winsum = make_desk_node(tmp_path / "b", "Dorpshuis Winsum", "Winsum", 5333, 652)
    for centre, category, work in ((wierde, "boodschappen", Work()), (winsum, "tuin", Work(done=7, helped=3))):
        node = centre.open()
        try:
            do_month(populate(node, now=start), start, category, work)
        finally:
            node.close()
    assert wierde.cli("evaluation", "variant", "--place", "village", env=COORDINATOR).code == 0
    assert winsum.cli("evaluation", "variant", "--place", "city", "--matching", "mixed", env=COORDINATOR).code == 0
    for centre in (wierde, winsum):
        published = centre.cli("evaluation", "publish", env=COORDINATOR)
        assert published.code == 0 and "ondertekend" in published.out, published.err
    # A volunteer may not sign for the centre.
    assert wierde.cli("evaluation", "publish", "--as", "1", env={"NOTICEBOARD_PIN": "4711"}).code != 0

    a, b = wierde.open(), winsum.open()
    servers = Servers()
    try:
        await pair_both(a, await servers.start(a), b, await servers.start(b))
        peer = Trust(a).peer(b.node_id)
        assert peer is not None
        await sync_with(a, peer)                    # one round: A pulls B's entries and pushes its own
        ids = {a.node_id: "Dorpshuis De Wierde", b.node_id: "Dorpshuis Winsum"}
    finally:
        await servers.stop_all()
        a.close()
        b.close()

    truth = {"Dorpshuis De Wierde": own_stats(wierde), "Dorpshuis Winsum": own_stats(winsum)}
    for centre in (wierde, winsum):
        table = evaluation_csv(centre)
        assert {r["node"]: r["centre"] for r in table} == ids
        listed = {name: {(r["month"], r["category"]): [int(c) if c.isdigit() else c for c in
                                                       (r[n] for n in STATS_COUNTS)]
                         for r in table if r["centre"] == name and r["category"] != "*"} for name in truth}
        assert listed == truth
        cells = [r[n] for r in table for n in (*STATS_COUNTS, "residents_helped", "gave_and_got")]
        assert "<5" in cells
        assert all(c in ("", "0", "<5") or int(c) >= 5 for c in cells)
        places = {r["centre"]: (r["place"], r["matching"]) for r in table}
        assert places == {"Dorpshuis De Wierde": ("village", "desk"), "Dorpshuis Winsum": ("city", "mixed")}
