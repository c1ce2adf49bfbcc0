"""Kiosk mode holds whatever happens: an unexpected error in a screen goes back to a fresh start screen.

Textual ends the app on any exception in a handler (and stops the message loop that raised it).
In kiosk mode the app, its screens and dialogs catch what their handlers raise and hand it to
``KioskApp.recover``; what reaches ``App._handle_exception`` by other ways (timers, widgets,
callbacks) goes there too. The log gets the error's kind and where it happened, never its message
or local values: those may hold what a resident typed.

``NOTICEBOARD_KIOSK_FAULT=<action>`` (off by default, for tests of the real terminal only) makes
that screen action raise, e.g. ``board`` for "3 Bekijk het prikbord" on the start screen.
"""

from __future__ import annotations

import os
import traceback
from typing import Any, Protocol

from textual.message import Message

FAULT_ENV = "NOTICEBOARD_KIOSK_FAULT"


class InjectedFault(RuntimeError):
    """Raised by the test-only fault hook."""


class Recovers(Protocol):
    """What a resilient message pump needs from its app."""

    def recover(self, error: Exception, during: str = "") -> bool:
        """Take the error; False when the app should end as Textual would (outside kiosk mode)."""
        ...


def where(error: BaseException) -> str:
    """The error's kind and the frames it passed through: file, line and function only."""
    frames = traceback.extract_tb(error.__traceback__)[-6:]
    path = " < ".join(f"{os.path.basename(f.filename)}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(error).__name__} at {path or '?'}"


def check_injected_fault(action: str) -> None:
    """The test-only hook: raise when this action is the one named in the environment."""
    wanted = os.environ.get(FAULT_ENV)
    if wanted and wanted == action:
        raise InjectedFault(action)


class Resilient:
    """Mixin for the app, screens and dialogs: a handler's exception goes to the app's recover."""

    app: Any

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except Exception as error:
            # Textual would break this message loop and end the app; in kiosk mode we start afresh.
            if not self.app.recover(error, f"{type(self).__name__} handling {type(message).__name__}"):
                raise
