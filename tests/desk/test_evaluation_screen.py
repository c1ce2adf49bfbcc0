"""The coordinator's evaluation screen (menu 0): fits 80x24 and 100x30, sets the variant, shares the figures."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from crypto.identity import NodeKeys
from noticeboard.app.staff.app import StaffApp
from noticeboard.app.staff.context import StaffContext
from noticeboard.app.staff.home import StaffHomeScreen
from noticeboard.demo import demo_stats
from noticeboard.desk import audit, evaluation
from noticeboard.entry import make, stats_id
from noticeboard.geo import Place
from noticeboard.node import Profile
from tests.desk.evaluation_support import do_month
from tests.desk.fixtures import PASSPHRASE, PIN, T0, Village
from tests.desk.staff_support import Clock, login, settle

pytestmark = pytest.mark.slow


def _neighbours(village: Village) -> None:
    """Two other centres' signed profiles and figures, as a sync would have brought them."""
    for name in ("Winsum", "Baflo"):
        keys = NodeKeys.generate()
        profile = Profile(f"Dorpshuis {name}", Place(name, 5333, 652))
        store = village.node.store
        store.apply(make(keys.signing_seed, keys.node_id, "node", profile.body(keys, b"\0" * 32), now=T0), now=T0)
        store.apply(make(keys.signing_seed, keys.node_id, "stats", demo_stats(name, "2026-02"), now=T0,
                         entry_id=stats_id("2026-02")), now=T0)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_evaluation_screen_fits_and_shows_every_centre(village: Village, size: tuple[int, int]) -> None:
    do_month(village, T0.replace(day=1))
    evaluation.publish(village.node, now=T0)
    _neighbours(village)
    app = StaffApp(village.node, StaffContext(village.node, clock=Clock(T0)))
    async with app.run_test(size=size) as pilot:
        await login(pilot, "", PASSPHRASE)
        await pilot.press("0")
        await settle(pilot)
        tables = str(app.screen.query_one("#tables", Static).render())
        charts = str(app.screen.query_one("#charts", Static).render())
        for name in ("Dorpshuis De Wierde", "Dorpshuis Winsum", "Dorpshuis Baflo"):
            assert name in tables
        assert "platteland" in tables and "dorp" in tables and "gevraagd" in charts and "▇" in charts
        inner = size[0] - 4
        assert max(len(line) for line in (tables + "\n" + charts).splitlines()) <= inner
        # Kind of place: not given -> city; matching: from the work -> desk.
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert "stad" in str(app.screen.query_one("#variant", Static).render())
        setting = evaluation.variant_setting(village.node.store)
        assert (setting.place, setting.matching) == ("city", "desk")
        await pilot.press("d")
        await settle(pilot)
    assert evaluation.published(village.node.store, village.node.node_id, "2026-03").body["variant"]["place"] == "city"
    acts = [line.act for line in audit.read(village.node.store, village.coordinator, now=T0)]
    assert acts.count("stats_variant") == 2 and "stats_publish" in acts


async def test_volunteers_do_not_see_the_evaluation(village: Village) -> None:
    app = StaffApp(village.node, StaffContext(village.node, clock=Clock(T0)))
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, str(village.volunteer_number), PIN)
        assert isinstance(app.screen, StaffHomeScreen)
        assert not app.screen.query("#menu-evaluation")
        await pilot.press("0")
        await settle(pilot)
        assert isinstance(app.screen, StaffHomeScreen)
