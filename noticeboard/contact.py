"""How the person behind a local post can be reached: a typed value, kept sealed, never in an entry.

Three ways exist: a first name and a phone number (the kiosk, the desk intake), "I will
come back here" (the kiosk), and a name with a free-text contact (the command line). They
are stored in the shapes the store has always held, and :meth:`Contact.from_stored` reads
every one of them, so old rows and new rows are the same value.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Way(StrEnum):
    """How a person can be reached."""

    PHONE = "phone"
    COME_BACK = "come_back"
    TEXT = "text"


@dataclass(frozen=True)
class Contact:
    """One way to reach a person; ``card`` links a desk-entered post to its card in the card index."""

    way: Way
    name: str = ""
    reach: str = ""
    card: str | None = None

    @classmethod
    def phone(cls, name: str, phone: str, *, card: str | None = None) -> Contact:
        """A first name and a phone number."""
        return cls(Way.PHONE, name.strip(), phone.strip(), card)

    @classmethod
    def come_back(cls, place: str = "kiosk") -> Contact:
        """No details: the person comes back to ``place`` to hear how it went."""
        return cls(Way.COME_BACK, "", place)

    @classmethod
    def text(cls, name: str, contact: str) -> Contact:
        """A name and whatever contact was typed (a phone number or an e-mail address)."""
        return cls(Way.TEXT, name.strip(), contact.strip())

    @property
    def personal(self) -> bool:
        """Whether this holds details about a person (and so needs their consent to be kept)."""
        return bool(self.name or (self.way is not Way.COME_BACK and self.reach))

    @property
    def phone_number(self) -> str:
        """The number or typed contact to call or write, or ``""`` when the person comes back."""
        return "" if self.way is Way.COME_BACK else self.reach

    def shared(self) -> dict[str, str]:
        """What a match hands to the other side: the name and how to reach them."""
        if self.way is Way.COME_BACK:
            return {}
        key = "phone" if self.way is Way.PHONE else "contact"
        return {"name": self.name, key: self.reach}

    def to_stored(self) -> dict[str, str]:
        """The sealed row's value, in the shape readers of older rows expect."""
        if self.way is Way.COME_BACK:
            return {"come_back": self.reach}
        stored = self.shared()
        if self.card:
            stored["person"] = self.card
        return stored

    @classmethod
    def from_stored(cls, value: dict[str, Any]) -> Contact:
        """Read any stored shape: ``{name, phone[, person]}``, ``{come_back}`` or ``{contact, name}``."""
        card = str(value["person"]) if value.get("person") else None
        if "come_back" in value:
            return cls.come_back(str(value["come_back"]))
        if "phone" in value:
            return cls.phone(str(value.get("name") or ""), str(value["phone"] or ""), card=card)
        return cls(Way.TEXT, str(value.get("name") or "").strip(), str(value.get("contact") or "").strip(), card)
