"""Driving the kiosk in tests: wait for thread workers, type, read every widget's text."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Button, Input, OptionList, Static

from tests.helpers import settle as settle
from tests.helpers import type_text as type_text


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
