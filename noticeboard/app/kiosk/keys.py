"""On-screen keys: a keypad for numbers, a keyboard for words, so that no field needs a real keyboard.

A tap (or mouse click) on a field opens them on a screen of their own, over the screen of the field; what is
tapped goes into the field as it is typed (search as you type still works), and "Verder" is Enter in the
field. A real keyboard works on that screen too; the keys themselves never take the focus.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal
from textual.widgets import Button, Footer, Input, Static

from noticeboard.app.kiosk.base import KioskScreen
from noticeboard.i18n import t

# A phone number; a code of digits (the wijzigcode); words (first letter a capital); letters and digits as they are.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "phone": ("123", "456", "789", "+0-"),
    "digits": ("123", "456", "789", "0"),
    "words": ("1234567890", "qwertyuiop", "asdfghjkl-", "zxcvbnm,.?"),
    "letters": ("1234567890", "qwertyuiop", "asdfghjkl-", "zxcvbnm,.@"),
}


class Field(Input):
    """A field a resident can fill by taps: a tap (or click) opens the on-screen keys of its layout."""

    def __init__(self, *args: Any, keys: str = "words", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = keys

    def on_click(self, event: events.Click) -> None:
        """A tap on the field: the keys for it."""
        open_keys(self)


def open_keys(field: Input) -> None:
    """The on-screen keys for this field, over its screen (once: a second tap while they are up does nothing)."""
    if isinstance(field.app.screen, KeysScreen):
        return
    field.app.push_screen(KeysScreen(field.screen.ctx, field))  # type: ignore[attr-defined]


class Key(Button):
    """One key: never focused, so the cursor stays in the field."""

    def __init__(self, label: str, char: str, *, id: str | None = None, classes: str = "key") -> None:
        super().__init__(label, id=id, classes=classes)
        self.char = char
        self.can_focus = False


class KeysScreen(KioskScreen):
    """The field at the top, big keys below it; 'Verder' hands the text back as Enter would."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "ok", "kiosk.keys.ok", show=False, id="kiosk.keys.ok"),
    ]

    def __init__(self, ctx: Any, target: Input) -> None:
        super().__init__(ctx)
        self.target = target
        self.layout_name = getattr(target, "keys", "digits" if target.password else "words")

    def compose(self) -> ComposeResult:
        """What the field asks, the text so far, the keys, and space, erase and 'Verder'."""
        yield Static(self.target.placeholder or t("kiosk.keys.title"), classes="title")
        yield Input(self.target.value, id="typed", password=self.target.password, max_length=self.target.max_length or 0,
                    restrict=self.target.restrict)
        rows = LAYOUTS[self.layout_name]
        grid = Grid(id="keys", classes=f"keys-{len(rows[0])}")
        with grid:
            for row in rows:
                for char in row:
                    yield Key(char, char, id=f"key-{ord(char)}")
        with Horizontal(id="keys-row"):
            if len(rows[0]) > 3:
                yield Key(t("kiosk.keys.space"), " ", id="key-space", classes="key wide")
            yield Key(f"⌫  {t('kiosk.keys.erase')}", "", id="key-erase", classes="key wide")
            yield Key(f"✓  {t('kiosk.keys.ok')}", "\n", id="key-ok", classes="key wide ok")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        """The cursor at the end of what is there."""
        typed = self.query_one("#typed", Input)
        typed.focus()
        typed.cursor_position = len(typed.value)

    @on(Button.Pressed, ".key")
    def tapped(self, event: Button.Pressed) -> None:
        """A key: its character, erase, or 'Verder'."""
        event.stop()
        key = event.button
        assert isinstance(key, Key)
        typed = self.query_one("#typed", Input)
        if key.char == "\n":
            self.action_ok()
            return
        if not key.char:
            typed.action_delete_left()
            return
        char = key.char
        if self.layout_name == "words" and not typed.value[:typed.cursor_position].strip():
            char = char.upper()
        typed.insert_text_at_cursor(char)

    @on(Input.Changed, "#typed")
    def mirror(self, event: Input.Changed) -> None:
        """The field below follows, so what depends on it (search as you type, the checks) sees each key."""
        event.stop()
        self.target.value = event.value

    @on(Input.Submitted, "#typed")
    def submitted(self, event: Input.Submitted) -> None:
        """Enter on a real keyboard: as 'Verder'."""
        event.stop()
        self.action_ok()

    def action_ok(self) -> None:
        """Back to the field's screen, and Enter in the field (its screen checks the text and goes on)."""
        target = self.target
        target.value = self.query_one("#typed", Input).value
        self.app.pop_screen()
        target.focus()
        target.post_message(Input.Submitted(target, target.value))

    def action_back(self) -> None:
        """Back to the field, what was typed kept in it."""
        self.app.pop_screen()
        self.target.focus()
