"""Snapshot tests of every kiosk screen in Dutch and English, normal and high contrast.

Terminal size, wall clock, idle clock and reference codes are pinned (see fixtures.py and conftest.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.app.conftest import kiosk
from tests.app.fixtures import SIZE, KioskBoard
from tests.app.support import settle, type_text

Steps = Callable[[Pilot[Any], KioskBoard], Awaitable[None]]


def keys(*pressed: str) -> Steps:
    """Press keys one by one, letting workers finish after each."""
    async def run(pilot: Pilot[Any], board: KioskBoard) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
    return run


async def _mine(pilot: Pilot[Any], board: KioskBoard) -> None:
    await keys("4")(pilot, board)
    await type_text(pilot, board.local_ref)
    await pilot.press("enter")
    await settle(pilot)


async def _mine_sure(pilot: Pilot[Any], board: KioskBoard) -> None:
    await _mine(pilot, board)
    await pilot.press("ctrl+w")
    await settle(pilot)


async def _help(pilot: Pilot[Any], board: KioskBoard) -> None:
    await keys("3", "enter", "1")(pilot, board)
    await type_text(pilot, "Sanne")
    await settle(pilot)


SCREENS: dict[str, Steps] = {
    "start": keys(),
    "category": keys("1"),
    "category_more": keys("2", "9"),
    "what": keys("1", "3"),
    "when": keys("1", "3", "1"),
    "what_own": keys("1", "3", "2"),
    "contact": keys("1", "3", "1", "2"),
    "contact_call": keys("1", "3", "1", "2", "1"),
    "check": keys("1", "3", "1", "2", "2"),
    "done": keys("1", "3", "1", "2", "2", "1"),
    "give_back": keys("1", "3", "1", "2", "2", "1", "2"),
    "board": keys("3"),
    "board_filtered": keys("3", "1", "3", "3"),
    "detail": keys("3", "enter"),
    "help": _help,
    "mine": _mine,
    "mine_sure": _mine_sure,
    "exit_pin": keys("f12"),
}


@pytest.mark.parametrize("contrast", [False, True], ids=["normal", "contrast"])
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(screen: str, language: str, contrast: bool, board: KioskBoard, snap_compare: Any) -> None:
    app = kiosk(board, language=language, contrast=contrast, kiosk_mode=True)

    async def run_before(pilot: Pilot[Any]) -> None:
        await SCREENS[screen](pilot, board)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("screen", ["start", "category"])
def test_larger_text_layout(screen: str, board: KioskBoard, snap_compare: Any) -> None:
    app = kiosk(board, large=True)

    async def run_before(pilot: Pilot[Any]) -> None:
        await SCREENS[screen](pilot, board)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
