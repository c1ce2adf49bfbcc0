"""A small federation with variants (issue 18, part 4): the evaluation report, made from the entries alone,
equals the sum of what each centre really did, with every suppressed cell as a bound.

Fourteen villages with a kind of place, a matching mode, a reciprocity mode and a back-up each do a
month of real desk work (intake, matches done, feedback, referrals, withdrawals) of a size drawn per
village. A region node pairs every village and every village takes it as introducer, as
bench/federation.py sets a region up; rounds run through the real replication and ingest code
(in-process transport). The region's report, and a village's (which knows the others only through
the introducer), then count what the simulation itself tallied: exactly where no cell was below 5,
and between the bounds where some were.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from noticeboard.clock import utcnow
from noticeboard.desk import evaluation, reciprocity, safeguarding
from noticeboard.desk import evaluation_report as report
from noticeboard.entry import VARIANT
from noticeboard.node import Node
from noticeboard.trust import PeerState, Trust
from sync.replication import LocalTransport, run_round
from tests.desk.evaluation_support import Work, do_month
from tests.desk.fixtures import make_desk_node, populate
from tests.support import make_node

VILLAGES = 14
SEED = 18
DAY = 86400


def _trust(node: Node, other: Node) -> None:
    node.store.apply(other.profile_entry(), now=utcnow())
    Trust(node).pair(other.profile_entry(), "")


async def _round(here: Node, there: Node) -> None:
    # In the first pass a village may be offered a neighbour's entry before the region's vouch for
    # that neighbour reached it ("untrusted"); trust widening resets the checkpoints, so the second
    # pass fetches it. The report below checks that everything arrived.
    await run_round(here, there.node_id, LocalTransport(there, here.node_id))


@pytest.mark.slow
async def test_the_regions_report_from_the_entries_alone_equals_the_sum_of_what_each_centre_did(
        tmp_path: Path) -> None:
    rng = random.Random(SEED)
    start = utcnow().replace(microsecond=0) - dt.timedelta(days=2)
    region = make_node(tmp_path / "region", "Regio Noord", "Groningen", 5322, 657).open()
    villages: list[Node] = []
    truth: dict[str, dict[str, int]] = {}
    variants: dict[str, tuple[str, str, str, str]] = {}
    try:
        for i in range(VILLAGES):
            centre = make_desk_node(tmp_path / f"v{i}", f"Dorpshuis {i:02d}", f"Dorp {i:02d}",
                                    5300 + rng.randrange(0, 40), 620 + rng.randrange(0, 80)).open()
            villages.append(centre)
            desk = populate(centre, now=start)
            place, matching = rng.choice(VARIANT["place"][:3]), rng.choice(VARIANT["matching"])
            mode, backup = rng.choice(VARIANT["reciprocity"]), rng.random() < 0.5
            evaluation.set_variant(centre.store, desk.coordinator, place=place, matching=matching, now=start)
            reciprocity.set_mode(centre.store, desk.coordinator, mode, now=start)
            if backup:
                safeguarding.set_referral_contacts(centre, desk.coordinator, [{"name": "Wijkteam",
                                                                              "phone": "0594-123456"}], now=start)
            done = rng.randrange(0, 9)
            work = Work(done=done, helped=rng.randrange(0, done + 1), open=rng.randrange(0, 3),
                        referred=rng.randrange(0, 3), withdrawn_at_desk=rng.randrange(0, 2),
                        withdrawn_by_cli=rng.randrange(0, 2))
            said = do_month(desk, start, rng.choice(["boodschappen", "tuin"]), work)
            truth[centre.node_id] = said
            variants[centre.node_id] = (matching, mode, "professional" if backup else "none", place)
            assert evaluation.publish(centre, now=utcnow())
            _trust(region, centre)
            _trust(centre, region)
            Trust(centre).set_state(region.node_id, PeerState.INTRODUCER)
        # Every village sends its figures to the region, then fetches what the region holds.
        for _ in range(2):
            for centre in villages:
                await _round(centre, region)

        kinds: set[bool] = set()
        for at, reader in (("region", region), ("village", villages[0])):
            found = report.collect(reader.store)
            assert {g.rows[0].node for g in found.centres()} == set(truth), at
            for group in found.centres():
                real = truth[group.rows[0].node]
                for stage in ("requests", "matched", "done", "helped", "referred", "withdrawn"):
                    bound = group.count(stage)
                    kinds.add(bound.exact)
                    assert bound.lo <= real[stage] <= bound.hi, (at, stage, bound, real[stage])
                    if real[stage] == 0 or real[stage] >= 5:
                        assert bound.exact, (at, stage)
                row = group.rows[0]
                assert (row.variant["matching"], row.variant["reciprocity"], row.variant["backup"],
                        row.place) == variants[row.node]
            # Grouped by variant and by kind of place, the sums hold every centre once.
            for groups in (found.by_variant(), found.by_place()):
                for stage in ("requests", "done", "helped"):
                    total = sum(real[stage] for real in truth.values())
                    low = sum(g.count(stage).lo for g in groups)
                    high = sum(g.count(stage).hi for g in groups)
                    assert low <= total <= high, (at, stage)
                    assert sum(g.centres for g in groups) >= VILLAGES
            html = report.to_html(found, now=utcnow())
            assert html.count('<svg class="chart') == 5
        assert kinds == {True, False}, "the drawn work has both exact and suppressed counts"
    finally:
        region.close()
        for centre in villages:
            centre.close()
