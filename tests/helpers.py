"""Small helpers more than one test area needs: a free loopback port, seeded codes, driving a Textual app."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import random
import secrets
import socket
import sys
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

# Modules that make the short random codes people read (BH-..., K-..., M-...), loaded before seeding.
CODE_MAKERS = ("noticeboard.refcode", "noticeboard.desk.cards", "noticeboard.desk.matches")
# Keys Pilot names differently from the character they type.
_KEY_NAMES = {" ": "space", "-": "minus", "@": "at", ".": "full_stop"}


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _SeededSecrets:
    """The secrets module with a seeded choice(): everything else stays the real thing."""

    def __init__(self, rng: random.Random) -> None:
        self.choice = rng.choice

    def __getattr__(self, name: str) -> Any:
        return getattr(secrets, name)


def seed_codes(monkeypatch: pytest.MonkeyPatch, seed: int = 7) -> None:
    """Make the reference, card and match codes repeatable for this test only.

    Only our own modules see the seeded choice (one generator shared by all, in call order: in them
    ``secrets.choice`` makes codes); their keys and tokens, and every other module's use of ``secrets``
    (crypto, libraries), stay cryptographically random.
    """
    seeded = _SeededSecrets(random.Random(seed))
    for name in CODE_MAKERS:
        if importlib.util.find_spec(name) is not None:  # moved modules are found by the scan below
            importlib.import_module(name)
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in ("noticeboard", "sync") and getattr(module, "secrets", None) is secrets:
            monkeypatch.setattr(module, "secrets", seeded)


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
    await pilot.press(*[_KEY_NAMES.get(c, c) for c in text])
