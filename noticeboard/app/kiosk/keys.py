"""On-screen keys: a keypad for numbers, a keyboard for words, so that no field needs a real keyboard.

A tap (or mouse click) on a field opens them on a screen of their own, over the screen of the field; what is
tapped goes into the field as it is typed (search as you type still works), and "Verder" is Enter in the
field. A real keyboard works on that screen too; the keys themselves never take the focus.

The keyboard has a capital key and a key for the letters with accents (é, ë, ï, ...): each holds for one
letter, as on a phone, and the keys show what they will type while it holds.
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
# The accent key puts these in place of the two middle rows of a keyboard, for one letter (Dutch first).
ACCENT_ROWS = ("éëèêïíóöüú", "áàäâçñôòûù")


class Field(Input):
    """A field a resident can fill by taps: a tap (or click) opens the on-screen keys of its layout."""

    def __init__(self, *args: Any, keys: str = "words", title: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = keys
        # What the keys' screen asks (else the field's placeholder).
        self.title = title

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

    async def _on_click(self, event: events.Click) -> None:
        # Textual's Button ignores a click while it still shows the last one (0.2 s): a resident
        # tapping "33" of a wijzigcode quickly would lose the second 3. Every tap on a key types.
        event.stop()
        self.press()

    def show(self, char: str) -> None:
        """Type (and show) this character from now on."""
        self.char = char
        self.label = char


class KeysScreen(KioskScreen):
    """The field at the top, big keys below it; 'Verder' hands the text back as Enter would."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "ok", "kiosk.keys.ok", show=False, id="kiosk.keys.ok"),
    ]

    def __init__(self, ctx: Any, target: Input) -> None:
        super().__init__(ctx)
        self.target = target
        self.layout_name = getattr(target, "keys", "digits" if target.password else "words")
        # One letter in capitals, or one from the accent rows; both go back after that letter.
        self.shift = False
        self.accents = False

    def compose(self) -> ComposeResult:
        """What the field asks, the text so far, the keys, and space, erase and 'Verder'."""
        yield Static(getattr(self.target, "title", "") or self.target.placeholder or t("kiosk.keys.title"),
                     classes="title")
        yield Input(self.target.value, id="typed", password=self.target.password, max_length=self.target.max_length or 0,
                    restrict=self.target.restrict)
        rows = LAYOUTS[self.layout_name]
        grid = Grid(id="keys", classes=f"keys-{len(rows[0])}")
        with grid:
            for r, row in enumerate(rows):
                for c, char in enumerate(row):
                    yield Key(char, char, id=f"key-{r}-{c}")
        with Horizontal(id="keys-row"):
            if self.keyboard:
                yield Key(f"⇧  {t('kiosk.keys.shift')}", "", id="key-shift", classes="key wide mode")
                yield Key(t("kiosk.keys.accents"), "", id="key-accents", classes="key wide mode")
                yield Key(t("kiosk.keys.space"), " ", id="key-space", classes="key wide")
            yield Key(f"⌫  {t('kiosk.keys.erase')}", "", id="key-erase", classes="key wide")
            yield Key(f"✓  {t('kiosk.keys.ok')}", "\n", id="key-ok", classes="key wide ok")
        yield Footer(show_command_palette=False)

    @property
    def keyboard(self) -> bool:
        """Letters (not a keypad of digits): then there are capitals, accents and a space."""
        return len(LAYOUTS[self.layout_name][0]) > 3

    def on_mount(self) -> None:
        """The cursor at the end of what is there."""
        typed = self.query_one("#typed", Input)
        typed.focus()
        typed.cursor_position = len(typed.value)
        self.show_keys()

    def show_keys(self) -> None:
        """Every key shows what it types now: capitals while the capital key holds, accents while that one does."""
        if not self.keyboard:
            return
        rows = list(LAYOUTS[self.layout_name])
        if self.accents:
            rows[1:3] = ACCENT_ROWS
        capital = self.shift or (self.layout_name == "words" and not self._before_cursor().strip())
        for r, row in enumerate(rows):
            for c, char in enumerate(row):
                self.query_one(f"#key-{r}-{c}", Key).show(char.upper() if capital else char)
        self.query_one("#key-shift", Key).set_class(self.shift, "-on")
        self.query_one("#key-accents", Key).set_class(self.accents, "-on")

    def _before_cursor(self) -> str:
        typed = self.query_one("#typed", Input)
        return typed.value[:typed.cursor_position]

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
        if key.id == "key-shift":
            self.shift = not self.shift
        elif key.id == "key-accents":
            self.accents = not self.accents
        elif not key.char:
            typed.action_delete_left()
        else:
            # What the key shows is what it types (a capital at the start of words, or while shift holds).
            typed.insert_text_at_cursor(key.char)
            self.shift = self.accents = False
        self.show_keys()

    @on(Input.Changed, "#typed")
    def mirror(self, event: Input.Changed) -> None:
        """The field below follows, so what depends on it (search as you type, the checks) sees each key."""
        event.stop()
        self.target.value = event.value
        self.show_keys()

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
