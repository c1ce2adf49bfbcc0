"""The check screen before posting, and the code screen that stays until a deliberate choice."""

from __future__ import annotations

from textual.widgets import Input

from noticeboard.app.kiosk.post import CheckScreen, ContactScreen, DoneScreen, ReturnScreen, WhatScreen
from noticeboard.app.kiosk.start import StartScreen
from tests.app.conftest import FakeIdle, kiosk
from tests.app.fixtures import KioskBoard
from tests.app.support import screen_text, settle, type_text


async def test_enter_twice_after_the_phone_never_skips_the_check_or_the_code(board: KioskBoard) -> None:
    posts_before = board.node.store.count(types=["request", "offer"])
    app = kiosk(board, language="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1", "1", "1", "1")
        await type_text(pilot, "Gerda")
        await pilot.press("enter")
        await type_text(pilot, "0612345678")
        await pilot.press("enter", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CheckScreen), "Enter posts nothing on the check screen"
        assert board.node.store.count(types=["request", "offer"]) == posts_before
        await pilot.press("2")  # Aanpassen: back, with what was typed
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.query_one("#phone", Input).value == "0612345678"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("1")  # Plaatsen
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
        code = str(app.screen.post.body["ref"])
        await pilot.press("enter", "enter", "tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen) and code in screen_text(app)
        assert "4 Mijn vraag" in screen_text(app)


async def test_the_code_screen_outlasts_a_short_idle_time_for_a_minute(board: KioskBoard) -> None:
    idle = FakeIdle()
    app = kiosk(board, idle, idle_seconds=20, language="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1", "1", "1", "2", "1")
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
        for _ in range(5):
            idle.now += 11  # 55 s without a key: longer than the idle time, shorter than the hold
            app.forget_if_idle()
            await settle(pilot)
            assert isinstance(app.screen, DoneScreen)
        idle.now += 6
        app.forget_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)


async def test_the_offer_in_return_is_a_second_post_with_its_own_code(board: KioskBoard) -> None:
    app = kiosk(board, language="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1", "1", "1", "2", "1")
        await settle(pilot)
        first = app.screen
        assert isinstance(first, DoneScreen)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ReturnScreen)
        assert "tweede bericht" in screen_text(app) and "eigen code" in screen_text(app)
        await pilot.press("1")
        await settle(pilot)
        second = app.screen
        assert isinstance(second, DoneScreen) and second.post.type == "offer"
        assert second.post.body["ref"] != first.post.body["ref"]
        assert "Iets terugdoen" not in screen_text(app)


async def test_own_words_are_refused_next_to_the_field_with_the_limit_and_kept(board: KioskBoard) -> None:
    app = kiosk(board, language="nl", large=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1", "2")
        await pilot.press("enter")
        await settle(pilot)
        assert "Typ eerst wat u zoekt" in screen_text(app)
        long = "Wie helpt mij " + "heel erg " * 10
        own = app.screen.query_one("#own", Input)
        own.value = long
        await settle(pilot)
        assert "maximaal 80 tekens" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WhatScreen) and app.screen.phase == "what"
        assert own.value == long
        own.value = "Bel mij op 0612345678"
        await pilot.press("enter")
        await settle(pilot)
        assert "geen telefoonnummer of e-mail" in screen_text(app) and own.value == "Bel mij op 0612345678"
        own.value = "Wie helpt mij met de heg?"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.phase == "when"


async def test_a_phone_like_123_is_refused_next_to_the_field(board: KioskBoard) -> None:
    app = kiosk(board, language="en", large=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1", "1", "1", "1")
        await type_text(pilot, "Gerda")
        await pilot.press("enter")
        await type_text(pilot, "123")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert "This is not a phone number" in screen_text(app)
        assert app.screen.query_one("#phone", Input).value == "123"


async def test_escape_goes_back_one_step_inside_a_screen(board: KioskBoard) -> None:
    app = kiosk(board, language="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1", "1")
        await settle(pilot)
        what = app.screen
        assert isinstance(what, WhatScreen) and what.phase == "when"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is what and what.phase == "what" and "Kies een zin" in screen_text(app)
        await pilot.press("1", "1", "1")  # the sentence, 'when', 'call me'
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        await type_text(pilot, "Gerda")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen) and app.screen.query_one("#options").display
        assert not app.screen.query_one("#fields").display
        await pilot.press("1")
        await settle(pilot)
        assert app.screen.query_one("#name", Input).value == "Gerda"
