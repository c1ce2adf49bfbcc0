"""Every screen fits: at 80x24 and 100x30, normal and large text, Dutch and English, every button shows
its whole label, nothing lies outside the screen, and the code on the code screen is in view.

What is checked is what the terminal would show: the screen's rendered lines, cut to each widget's
region. A label counts as whole when all its words appear there, in order; a word that wrapped
into a line the button has no room for is missing, and so is a word cut off at the edge.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static

from noticeboard.app.kiosk.app import KioskApp
from tests.app.conftest import kiosk
from tests.app.fixtures import KioskBoard
from tests.app.support import settle
from tests.app.test_snapshots import SCREENS

SIZES = ((80, 24), (100, 30))


def shown_lines(app: KioskApp) -> list[str]:
    """The screen as the terminal shows it, one string per line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def text_in(lines: list[str], region: Region) -> str:
    """What the screen shows inside a region."""
    return " ".join(line[region.x:region.right] for line in lines[region.y:region.bottom])


def words(text: str) -> list[str]:
    return re.findall(r"\w[\w'’/().,:-]*", text)


def whole(label: str, shown: str) -> bool:
    """Every word of the label shows, in order."""
    rest = " ".join(shown.split())
    for word in words(label):
        at = rest.find(word)
        if at < 0:
            return False
        rest = rest[at + len(word):]
    return True


def problems(app: KioskApp) -> list[str]:
    """Labels cut, elements out of view (the cards inside the board's list may scroll, the list may not)."""
    screen = app.screen
    lines = shown_lines(app)
    view = screen.region
    found: list[str] = []
    for widget in screen.query("*"):
        if not isinstance(widget, Button | Input | OptionList | Static) or not _shown(widget):
            continue
        region = widget.region
        if isinstance(widget, Static) and not isinstance(widget, Button) and not str(widget.render()).strip():
            continue
        if not view.contains_region(region) or region.height == 0:
            found.append(f"{_name(widget)} out of view at {region} (screen {view.size})")
            continue
        if isinstance(widget, Button) and not whole(str(widget.label), text_in(lines, region)):
            found.append(f"{_name(widget)} label cut: {str(widget.label)!r} shows as {text_in(lines, region)!r}")
    return found


def _shown(widget: Widget) -> bool:
    node: Any = widget
    while node is not None and isinstance(node, Widget):
        if not node.display or not node.visible:
            return False
        node = node.parent
    return True


def _name(widget: Widget) -> str:
    return f"{type(widget).__name__}#{widget.id}" if widget.id else type(widget).__name__


@pytest.mark.slow
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("language", ["nl", "en"])
async def test_every_screen_fits(language: str, large: bool, board: KioskBoard) -> None:
    app = kiosk(board, kiosk_mode=True, large=large, language=language)
    failures: list[str] = []
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(pilot)
        for name, steps in SCREENS.items():
            app.action_done()
            await pilot.resize_terminal(*SIZES[0])
            await settle(pilot)
            await steps(pilot, board)
            # Each screen at both sizes: the same screen, the terminal made bigger.
            for width, height in SIZES:
                await pilot.resize_terminal(width, height)
                await settle(pilot)
                where = f"{name} {width}x{height}"
                failures.extend(f"{where}: {p}" for p in problems(app))
                if name in ("done", "give_back_done"):
                    code = app.screen.query_one("#code", Static)
                    region = code.region.intersection(app.screen.region)
                    if not whole(str(code.render()), text_in(shown_lines(app), region)):
                        failures.append(f"{where}: the code is not in view")
    assert not failures, "\n".join(failures)
