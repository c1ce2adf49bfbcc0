"""The one translation layer: every sentence a person reads, in Dutch first and English.

Texts live in ``texts_*.py`` modules of this package (one per area, so features never edit
a shared file), each with ``TEXTS = {key: (dutch, english)}``. ``t(key, **values)`` picks
the current language. A test fails when a key used in the code lacks either language.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from functools import cache

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
_current = {"lang": ""}


@cache
def catalog() -> dict[str, tuple[str, str]]:
    """All texts of all areas, merged; a key defined twice is an error."""
    merged: dict[str, tuple[str, str]] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("texts_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            for key, pair in module.TEXTS.items():
                if key in merged:
                    raise RuntimeError(f"text key {key!r} is defined twice")
                merged[key] = pair
    return merged


def current_language() -> str:
    """The language in use: set explicitly, else NOTICEBOARD_LANG, else Dutch."""
    lang = _current["lang"] or os.environ.get("NOTICEBOARD_LANG", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    """Switch the language for everything shown from now on."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    _current["lang"] = lang


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The text for key in the current (or given) language, with values filled in."""
    pair = catalog()[key]
    text = pair[1] if (lang or current_language()) == "en" else pair[0]
    return text.format(**values) if values else text
