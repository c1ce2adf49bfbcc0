"""Small staff dialogs shared by several screens."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Input, Label

from noticeboard.app.staff.base import StaffModal
from noticeboard.app.staff.context import StaffContext
from noticeboard.desk import cards
from noticeboard.i18n import t


def if_given(act: Callable[[str], object]) -> Callable[[str | None], None]:
    """A modal's callback that acts only on an answer (a cancelled modal gives None or nothing)."""
    def given(text: str | None) -> None:
        if text:
            act(text)
    return given


class ReasonModal(StaffModal):
    """Ask one short question, e.g. the reason of a moderation act (it goes into the audit log)."""

    def __init__(self, ctx: StaffContext, question: str, *, required: bool = True) -> None:
        super().__init__(ctx)
        self.question = question
        self.required = required

    def compose(self) -> ComposeResult:
        """One question, one field."""
        with Vertical(classes="staff-dialog"):
            yield Label(self.question)
            yield Input(id="reason")
        yield Footer()

    @on(Input.Submitted)
    def done(self, event: Input.Submitted) -> None:
        """Hand the answer back (a reason may not be empty)."""
        if event.value.strip() or not self.required:
            self.dismiss(event.value.strip())


CARD_FIELDS = ("first_name", "phone", "address", "village", "languages", "skills", "days", "slots", "preferences",
               "notes")
FLAGS = ("is_helper", "same_helper")


class CardFormModal(StaffModal):
    """A new card or changes to one; Enter goes to the next field, Ctrl+S saves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "staff.card.save", id="staff.card.save", priority=True),
    ]

    def __init__(self, ctx: StaffContext, values: dict[str, str] | None = None) -> None:
        super().__init__(ctx)
        self.values = values or {"languages": "nl", "is_helper": "n", "same_helper": "n"}

    def compose(self) -> ComposeResult:
        """One field a line, lists comma-separated, yes/no as j/n."""
        with VerticalScroll(classes="staff-dialog"):
            for name in (*CARD_FIELDS, *FLAGS):
                yield Label(t(f"staff.card.{name}"))
                yield Input(self.values.get(name, ""), id=name)
        yield Footer()

    def on_mount(self) -> None:
        """Start in the first name."""
        super().on_mount()
        self.query_one("#first_name", Input).focus()

    @on(Input.Submitted)
    def next_field(self) -> None:
        """Enter: the next field."""
        self.focus_next()

    def action_save(self) -> None:
        """Hand the values back."""
        self.dismiss({name: self.query_one(f"#{name}", Input).value.strip() for name in (*CARD_FIELDS, *FLAGS)})


def person_values(person: cards.Person) -> dict[str, str]:
    """A card as the form's texts."""
    return {"first_name": person.first_name, "phone": person.phone, "address": person.address,
            "village": person.village, "languages": ",".join(person.languages), "skills": ",".join(person.skills),
            "days": ",".join(person.days), "slots": ",".join(person.slots), "preferences": person.preferences,
            "notes": person.notes, "is_helper": "j" if person.is_helper else "n",
            "same_helper": "j" if person.same_helper else "n"}


def apply_values(person: cards.Person, values: dict[str, str]) -> cards.Person:
    """The form's texts onto a card (checked by the desk when saved)."""
    def listed(name: str) -> list[str]:
        return [v.strip() for v in values.get(name, "").split(",") if v.strip()]

    person.first_name, person.phone = values.get("first_name", ""), values.get("phone", "")
    person.address, person.village = values.get("address", ""), values.get("village", "")
    person.languages = listed("languages") or ["nl"]
    person.skills, person.days, person.slots = listed("skills"), listed("days"), listed("slots")
    person.preferences, person.notes = values.get("preferences", ""), values.get("notes", "")
    person.is_helper = values.get("is_helper", "n").lower() in ("j", "ja", "y", "yes")
    person.same_helper = values.get("same_helper", "n").lower() in ("j", "ja", "y", "yes")
    return person
