"""The one taxonomy of help: codes, Dutch and English labels, pictograms, and what is not buurthulp."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """One kind of help, as residents see it on a tile."""

    code: str
    nl: str
    en: str
    icon: str
    # Help at someone's home or driving them needs a screened helper (see the desk issue).
    needs_screening: bool = False

    def label(self, lang: str) -> str:
        """The plain label in the given language (Dutch when unknown)."""
        return self.en if lang == "en" else self.nl


CATEGORIES: tuple[Category, ...] = (
    Category("boodschappen", "Boodschappen en medicijnen ophalen",
             "Groceries and picking up medicine", "🛒"),
    Category("vervoer", "Vervoer en begeleiding", "Transport and going along", "🚗", True),
    Category("klussen", "Kleine klussen in en om huis", "Small jobs and repairs", "🔧", True),
    Category("tuin", "Tuin", "Garden", "🌷"),
    Category("gezelschap", "Gezelschap en koffiebezoek", "Company and a coffee visit", "☕", True),
    Category("contact", "Bellen en contact op afstand", "A phone call and keeping in touch", "📞"),
    Category("taal", "Taal oefenen", "Language practice", "💬"),
    Category("digitaal", "Computer en telefoon", "Computer and phone", "💻"),
    Category("administratie", "Post en formulieren", "Letters and forms", "✉"),
    Category("huisdieren", "Huisdieren", "Pets", "🐕"),
    Category("huishouden", "Licht huishouden", "Light housework", "🧹", True),
    Category("lenen", "Lenen en delen", "Lending and sharing", "🤝"),
    Category("kinderen", "Kinderen en huiswerk", "Children and homework", "🎒", True),
    Category("samen", "Samen doen", "Doing things together", "🚶"),
    Category("mantelzorg", "Mantelzorg ontlasten", "A break for carers", "🫖", True),
    Category("overig", "Overig", "Other", "➕"),
)

BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}

# Asked for sometimes, but not buurthulp: these get a friendly referral instead of a category.
NOT_BUURTHULP: tuple[str, ...] = ("personal_care", "medical", "money", "professional")

URGENCY = ("days", "week", "any")
WHERE = ("home", "outside", "phone")
COSTS = ("none", "materials")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SLOTS = ("morning", "afternoon", "evening")


def category(code: str) -> Category:
    """Return the category for a code; raises KeyError for unknown codes."""
    return BY_CODE[code]
