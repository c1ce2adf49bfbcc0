"""Helpers for the staff screen tests: a pinned clock and waiting for thread workers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual.app import App
from textual.widgets import DataTable

from tests.desk.fixtures import T0
from tests.helpers import settle as settle
from tests.helpers import type_text as type_text


@dataclass
class Clock:
    """A clock tests move by hand."""

    now: dt.datetime = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, delta: dt.timedelta) -> None:
        """Move the clock on."""
        self.now += delta


def table_rows(app: App[None], selector: str = "DataTable") -> list[list[str]]:
    """The cells of a table on the current screen, as text."""
    table = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def login(pilot, number: str, secret: str) -> None:  # type: ignore[no-untyped-def]
    """Log in at the staff login screen: a volunteer's number and PIN, or nothing and the passphrase."""
    await settle(pilot)
    await type_text(pilot, number)
    await pilot.press("enter")
    await type_text(pilot, secret)
    await pilot.press("enter")
    await settle(pilot)
