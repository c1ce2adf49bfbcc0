"""Driving the kiosk in tests: wait for thread workers, type, read every widget's text."""

from __future__ import annotations

import contextlib

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList, Static
from textual.worker import WorkerCancelled


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker finished and the UI took in what they posted."""
    app: App[None] = pilot.app
    for _ in range(3):
        for worker in list(app.workers):
            # A newer exclusive worker cancels the older one on purpose (a key pressed twice); that is settled too.
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
        await pilot.pause()


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type text key by key."""
    await pilot.press(*[{" ": "space", "-": "minus", "@": "at", ".": "full_stop"}.get(c, c) for c in text])


def screen_text(app: App[None]) -> str:
    """Everything the widgets of every screen on the stack hold: labels, inputs, list options."""
    parts: list[str] = []
    for screen in app.screen_stack:
        for widget in screen.query("*"):
            if isinstance(widget, Input):
                parts.append(widget.value)
            elif isinstance(widget, Button):
                parts.append(str(widget.label))
            elif isinstance(widget, OptionList):
                parts.extend(str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count))
            elif isinstance(widget, Static):
                parts.append(str(widget.render()))
    return "\n".join(parts)
