"""Helpers for the staff screen tests: a pinned clock and waiting for thread workers."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable
from textual.worker import WorkerCancelled

from tests.desk.fixtures import T0


@dataclass
class Clock:
    """A clock tests move by hand."""

    now: dt.datetime = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, delta: dt.timedelta) -> None:
        """Move the clock on."""
        self.now += delta


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
    await pilot.press(*[{" ": "space", "-": "minus"}.get(c, c) for c in text])


def table_rows(app: App[None], selector: str = "DataTable") -> list[list[str]]:
    """The cells of a table on the current screen, as text."""
    table = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
