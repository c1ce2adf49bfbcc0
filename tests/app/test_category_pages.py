"""Every category of the taxonomy can be chosen at the kiosk, on either page of tiles ("9 Meer onderwerpen")."""

from __future__ import annotations

import pytest

from noticeboard.app.kiosk.post import TILES_PER_PAGE, CategoryScreen, WhatScreen
from noticeboard.app.kiosk.start import StartScreen
from noticeboard.categories import CATEGORIES
from tests.app.conftest import kiosk
from tests.app.fixtures import KioskBoard
from tests.app.support import settle


@pytest.mark.parametrize("index", range(len(CATEGORIES)))
async def test_every_category_can_be_chosen_with_number_keys(board: KioskBoard, index: int) -> None:
    app = kiosk(board)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, CategoryScreen)
        page, slot = divmod(index, TILES_PER_PAGE)
        for _ in range(page):
            await pilot.press("9")  # crashed with DuplicateIds before the old tiles were awaited away
            await settle(pilot)
        await pilot.press(str(slot + 1))
        await settle(pilot)
        assert isinstance(app.screen, WhatScreen)
        assert app.screen.draft.category == CATEGORIES[index].code
    assert app.return_code in (None, 0)


async def test_more_topics_goes_round_both_pages_and_back(board: KioskBoard) -> None:
    app = kiosk(board)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        for _ in range(5):
            await pilot.press("9")
            await settle(pilot)
            assert isinstance(app.screen, CategoryScreen)
        assert app.is_running
