"""Wording for what it is: a ready-made sentence in the reader's language, offer wording, 'gisteren'."""

from __future__ import annotations

import datetime as dt

from noticeboard.app.kiosk.board import DetailScreen
from noticeboard.app.kiosk.cards import ago
from noticeboard.app.kiosk.post import DoneScreen
from noticeboard.clock import format_time
from noticeboard.i18n import set_language
from tests.app.conftest import kiosk
from tests.app.fixtures import KioskBoard
from tests.app.support import screen_text, settle, type_text


async def test_an_english_ready_made_request_reads_dutch_on_a_dutch_kiosk(board: KioskBoard) -> None:
    app = kiosk(board, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1", "1", "1", "2", "1")  # groceries, ready-made, soon, come back, post
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
        made = app.screen.post
    assert made.body["title"] == "Who can do my shopping?"
    for language, title, when in (("nl", "Wie doet boodschappen voor mij?", "Binnen 1 of 2 dagen"),
                                  ("en", "Who can do my shopping?", "Within 1 or 2 days")):
        app = kiosk(board, language=language)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("3", "5")
            await settle(pilot)
            await type_text(pilot, str(made.body["ref"]))
            await pilot.press("enter", "enter")
            await settle(pilot)
            assert isinstance(app.screen, DetailScreen) and app.screen.post.key == made.key
            shown = screen_text(app)
            assert title in shown and when in shown, language


async def test_an_offer_is_accepted_with_dit_wil_ik_graag(board: KioskBoard) -> None:
    app = kiosk(board, language="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3", "5")
        await settle(pilot)
        await type_text(pilot, "tablet")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.post.type == "offer"
        assert "1  Dit wil ik graag" in screen_text(app) and "Ik kan helpen" not in screen_text(app)
        await pilot.press("1")
        await settle(pilot)
        assert "Fijn dat u wilt helpen" not in screen_text(app)


def test_a_day_ago_is_gisteren() -> None:
    set_language("nl")
    now = dt.datetime(2026, 11, 3, 11, 0, tzinfo=dt.UTC)
    assert ago(format_time(now - dt.timedelta(hours=33)), now) == "gisteren"
    assert ago(format_time(now - dt.timedelta(hours=2)), now) == "2 uur geleden"
    assert ago(format_time(now - dt.timedelta(days=3)), now) == "3 dagen geleden"
