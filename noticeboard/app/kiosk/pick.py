"""A pick list: one screen of numbered choices (1-8, 9 for more, 0 for 'alles'), for the board's filters."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.widgets import Footer, Static

from noticeboard.app.kiosk.base import Choice, KioskScreen
from noticeboard.app.kiosk.context import KioskContext
from noticeboard.i18n import t

PER_PAGE = 8


class PickScreen(KioskScreen):
    """Choices as numbered tiles; picking one goes back with it (0: no filter, Escape: unchanged)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(str(n), f"pick({n})", show=False, id=f"kiosk.pick.{n}") for n in range(1, PER_PAGE + 1)],
        Binding("9", "more", "kiosk.key.more", id="kiosk.pick.more"),
        Binding("0", "pick(0)", "kiosk.board.all", id="kiosk.pick.all"),
    ]

    def __init__(self, ctx: KioskContext, title: str, options: list[tuple[str, Any]], chosen: Any,
                 answer: Any) -> None:
        super().__init__(ctx)
        self.title_text = title
        self.options = options
        self.chosen = chosen
        self.answer = answer
        self.page = 0

    def compose(self) -> ComposeResult:
        """The question and the tiles of the first page."""
        yield Static(self.title_text, classes="title")
        yield Grid(id="tiles", classes="picks")
        yield Footer(show_command_palette=False)

    async def on_mount(self) -> None:
        """Show the first page."""
        await self.show_page()

    def _page(self) -> list[tuple[str, Any]]:
        return self.options[self.page * PER_PAGE:(self.page + 1) * PER_PAGE]

    async def show_page(self) -> None:
        """This page's choices, numbered 1-8; 9 for the others; 0 for all."""
        grid = self.query_one("#tiles", Grid)
        await grid.remove_children()
        tiles = [Choice(str(n), ("✓ " if value == self.chosen else "") + label, f"pick({n})", id=f"pick-{n}",
                        classes="tile")
                 for n, (label, value) in enumerate(self._page(), 1)]
        if len(self.options) > PER_PAGE:
            more = t("kiosk.category.first" if (self.page + 1) * PER_PAGE >= len(self.options) else
                     "kiosk.category.more")
            tiles.append(Choice("9", more, "more", id="pick-more", classes="tile more"))
        tiles.append(Choice("0", ("✓ " if self.chosen is None else "") + t("kiosk.board.all_of"), "pick(0)",
                            id="pick-all", classes="tile more"))
        await grid.mount_all(tiles)

    def action_pick(self, n: int) -> None:
        """Back to the board with this choice (0: all)."""
        if n == 0:
            self.dismiss_with(None)
            return
        page = self._page()
        if 1 <= n <= len(page):
            self.dismiss_with(page[n - 1][1])

    def dismiss_with(self, value: Any) -> None:
        """Hand the choice to the board, then go back to it."""
        self.app.pop_screen()
        self.answer(value)

    async def action_more(self) -> None:
        """The next page of choices, round to the first."""
        if len(self.options) > PER_PAGE:
            self.page = (self.page + 1) % ((len(self.options) + PER_PAGE - 1) // PER_PAGE)
            await self.show_page()
