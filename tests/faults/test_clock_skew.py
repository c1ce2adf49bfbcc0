"""A centre whose clock is a day off is told so clearly, and does not poison the others.

The skewed centre is a child process running the real CLI with its wall clock moved (time-machine
in that process only); the honest centres are real TLS servers in this process on the real clock.
Entries it wrote while its clock was ahead are held where they arrive (store.hold), shown and passed
on nowhere, and applied once their time comes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from noticeboard.clock import utcnow
from noticeboard.i18n import t, tn
from noticeboard.node import PostDraft
from noticeboard.trust import Trust
from sync.client import sync_with
from sync.ingest import release_held
from tests.faults.helpers import PYTHON, ROOT, child_env
from tests.service.helpers import centre
from tests.support import NodeDir
from tests.sync.helpers import Servers, trust_directly

DAY = 24 * 3600


async def _skewed(nd: NodeDir, offset_s: int, *args: str) -> tuple[int, str]:
    """Run ``noticeboard ARGS`` for a centre with its clock offset_s seconds off; (exit code, all output)."""
    proc = await asyncio.create_subprocess_exec(
        PYTHON, "-m", "tests.faults.skewed_child", str(offset_s), "--data-dir", str(nd.data_dir),
        "--key-file", str(nd.key_file), *args, cwd=ROOT, env=child_env(),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(proc.communicate(), 120)
    return proc.returncode or 0, out.decode()


@pytest.mark.parametrize("offset_s", [DAY, -DAY], ids=["a_day_ahead", "a_day_behind"])
async def test_a_centre_with_its_clock_a_day_off_is_told_so(tmp_path: Path, servers: Servers, offset_s: int) -> None:
    skewed_dir = centre(tmp_path, "Buurthuis Scheef", 644)
    honest = centre(tmp_path, "Buurthuis Ezinge", 647).open()
    try:
        address = await servers.start(honest)
        with skewed_dir.open() as skewed:
            trust_directly(skewed, honest, address=address)
            trust_directly(honest, skewed)
            skewed_id = skewed.node_id
            skewed.post(PostDraft("request", "klussen", "Lamp ophangen", "Wie helpt?", reach_km=30),
                        now=utcnow() + dt.timedelta(seconds=offset_s))
        code, out = await _skewed(skewed_dir, offset_s, "sync", address)
        assert code != 0
        # The refusal names the clock, the 5-minute limit, which way and by how much (from the answer's Date).
        way = "sync.error.clock_ahead" if offset_s > 0 else "sync.error.clock_behind"
        assert t("sync.error.clock", lang="nl") in out and "stale" not in out, out
        a_day = tn("sync.amount.hours", 24, lang="nl", minutes=tn("sync.amount.minutes", 0, lang="nl"))
        assert t(way, lang="nl", amount=a_day) in out, out
        assert honest.store.count(types=["request"]) == 0 and honest.store.held_count() == 0, \
            "a refused round still brought entries"
        code, out = await _skewed(skewed_dir, offset_s, "doctor")
        assert tn("doctor.clock.peer_differs", round(offset_s / 60), lang="nl") in out, out
        assert Trust(honest).peer(skewed_id) is not None
    finally:
        honest.close()


async def test_entries_from_the_future_are_held_not_passed_on_and_applied_when_due(
        tmp_path: Path, servers: Servers) -> None:
    skewed, hub, other = (centre(tmp_path, name, lon).open() for name, lon in
                          (("Buurthuis Scheef", 644), ("Buurthuis Ezinge", 647), ("Dorpshuis Garnwerd", 650)))
    try:
        hub_addr = await servers.start(hub)
        for node in (skewed, other):
            trust_directly(node, hub, address=hub_addr)
            trust_directly(hub, node)
        trust_directly(other, skewed)  # so "not passed on" is the hub's doing, not a refusal at `other`
        tomorrow = utcnow() + dt.timedelta(days=1)
        # Written while its clock ran a day ahead; then its clock is set right and it syncs.
        future = skewed.post(PostDraft("request", "boodschappen", "Boodschappen halen", "Wie helpt?", reach_km=30),
                             now=tomorrow)
        summary, _ = await sync_with(skewed, Trust(skewed).peer(hub.node_id))  # type: ignore[arg-type]
        assert summary.complete
        assert hub.store.held_count() == 1
        assert hub.store.get(skewed.node_id, future.id) is None, "an entry from the future was applied"
        summary, _ = await sync_with(other, Trust(other).peer(hub.node_id))  # type: ignore[arg-type]
        assert other.store.get(skewed.node_id, future.id) is None and other.store.held_count() == 0, \
            "the hub passed on an entry it holds"
        # An hour early it still waits; once its time has come it is applied and travels on.
        assert release_held(hub, now=tomorrow - dt.timedelta(hours=1)).applied == 0
        assert hub.store.held_count() == 1
        assert release_held(hub, now=tomorrow + dt.timedelta(minutes=1)).applied == 1
        assert hub.store.held_count() == 0 and hub.store.get(skewed.node_id, future.id) is not None
        summary, _ = await sync_with(other, Trust(other).peer(hub.node_id),  # type: ignore[arg-type]
                                     now=tomorrow + dt.timedelta(minutes=2))
        assert other.store.get(skewed.node_id, future.id) is not None, (summary, other.store.held_count())
    finally:
        for node in (skewed, hub, other):
            node.close()
