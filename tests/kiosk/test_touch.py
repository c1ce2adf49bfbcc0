"""Touch without a keyboard, in the Textual app itself (the same in a browser and in a terminal with a mouse):
the on-screen keyboard's capital and accent keys, every key whole and large at the page's smallest size
(80x26), and staff leaving by five taps and the PIN on the keypad. tests/kiosk/test_web.py does the same
things in a real browser.
"""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input

from noticeboard.app.kiosk.keys import KeysScreen
from noticeboard.app.kiosk.pin import ExitPinModal
from noticeboard.desk.exitpin import set_exit_pin
from noticeboard.i18n import t
from tests.app.conftest import kiosk
from tests.app.fixtures import KioskBoard
from tests.app.support import settle
from tests.kiosk.test_fit import problems

pytestmark = pytest.mark.slow

# The web page keeps at least 80x26 cells in the window (web.html): the touch bar takes two lines more.
PAGE = (80, 26)


async def _tap(pilot: object, *selectors: str) -> None:
    for selector in selectors:
        await pilot.click(selector)  # type: ignore[attr-defined]
        await settle(pilot)  # type: ignore[arg-type]


async def test_a_key_tapped_twice_at_once_types_twice(board: KioskBoard) -> None:
    """"33" in a wijzigcode: a second tap while the key still shows the first one counts too."""
    app = kiosk(board, kiosk_mode=True, touch=True)
    async with app.run_test(size=PAGE) as pilot:
        await settle(pilot)
        await _tap(pilot, "#choice-board", "#search")
        keys = app.screen
        assert isinstance(keys, KeysScreen)
        key = keys.query_one("#key-3-2", Button)
        key.active_effect_duration = 5.0  # the key shows the first tap all through the second
        await pilot.click("#key-3-2")
        assert key.has_class("-active")
        await pilot.click("#key-3-2")
        await settle(pilot)
        assert keys.query_one("#typed", Input).value.endswith("cc")


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
async def test_the_keyboard_types_a_capital_and_an_accent_for_one_letter_each(board: KioskBoard, large: bool) -> None:
    app = kiosk(board, kiosk_mode=True, touch=True, large=large)
    async with app.run_test(size=PAGE) as pilot:
        await settle(pilot)
        await _tap(pilot, "#choice-board", "#search")
        keys = app.screen
        assert isinstance(keys, KeysScreen)
        assert not problems(app), problems(app)
        for key in keys.query(Button):
            # 3 lines and 6 columns: at the web kiosk's 20 px (a 12x26 px cell) 72x78 px, over 9 mm on 23" full HD.
            assert key.region.height >= 3 and key.region.width >= 6, (key.id, key.region)

        def label(selector: str) -> str:
            return str(keys.query_one(selector, Button).label)

        # The search field's letters start small; the capital key holds for one letter, and the keys show it.
        assert label("#key-3-2") == "c"
        await _tap(pilot, "#key-shift")
        assert label("#key-3-2") == "C"
        await _tap(pilot, "#key-3-2", "#key-2-0", "#key-2-3")
        assert label("#key-3-2") == "c"
        # The accent key puts é ë è ... in the middle rows, for one letter.
        await _tap(pilot, "#key-accents")
        assert (label("#key-1-0"), label("#key-1-1")) == ("é", "ë")
        await _tap(pilot, "#key-1-0")
        assert label("#key-1-0") == "q"
        typed = keys.query_one("#typed", Input)
        assert typed.value == "Café"
        # As typed, the board searches (the field below follows each key); 'Verder' goes back to it.
        await _tap(pilot, "#key-erase", "#key-ok")
        assert not isinstance(app.screen, KeysScreen)
        assert app.screen.query_one("#search", Input).value == "Caf"


async def test_words_start_with_a_capital_and_the_capital_key_makes_one_more(board: KioskBoard) -> None:
    app = kiosk(board, kiosk_mode=True, touch=True)
    async with app.run_test(size=PAGE) as pilot:
        await settle(pilot)
        # 'Ik zoek hulp', boodschappen, the ready-made sentence, within days, 'Bel mij': the name field's keys.
        await _tap(pilot, "#choice-need", "#tile-boodschappen", "#say", "#when-days", "#call")
        keys = app.screen
        assert isinstance(keys, KeysScreen) and keys.target.id == "name"
        await _tap(pilot, "#key-1-2", "#key-shift", "#key-1-2", "#key-1-2")  # e, then a capital E, then e
        assert keys.query_one("#typed", Input).value == "EEe"


async def test_staff_leave_by_five_taps_on_the_welcome_and_the_pin_on_the_keypad(board: KioskBoard) -> None:
    set_exit_pin(board.node.store, "4321")
    app = kiosk(board, kiosk_mode=True, touch=True)
    async with app.run_test(size=PAGE) as pilot:
        await settle(pilot)
        # Four taps are nothing; a tap elsewhere does not count.
        await _tap(pilot, "#centre", "#centre", "#centre", "#centre")
        assert not isinstance(app.screen, KeysScreen | ExitPinModal)
        await _tap(pilot, "#centre")
        keys = app.screen
        assert isinstance(keys, KeysScreen)
        assert str(keys.query_one(".title").render()) == t("kiosk.pin.title")
        assert not keys.query("#key-shift"), "the PIN has a keypad, not a keyboard"
        await _tap(pilot, "#key-1-0", "#key-0-2", "#key-0-1", "#key-0-0")  # 4 3 2 1
        assert keys.query_one("#typed", Input).value == "4321"
        await _tap(pilot, "#key-ok")
        await settle(pilot)
        await pilot.pause(0.5)
        assert not app.is_running
