"""The one translation layer: every sentence a person reads, in Dutch first and English.

Texts live in gettext catalogues, one per language: ``locale/<lang>/LC_MESSAGES/noticeboard.po``
(the source, edited by hand) and the ``.mo`` next to it (compiled from it by Babel with
``./dev texts``; committed, so running needs only the standard library). The message id is
the text's key (``desk.reason.load``); for the command line's help it is the English help.
``t(key, **values)`` gives a text, ``tn(key, n, **values)`` a text that shows a number, in
the right plural form of the language. A language is a folder under ``locale/``: adding one
is adding its ``.po`` (and compiling it). Tests fail when a key used in the code lacks a
language or a plural form.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

DOMAIN = "noticeboard"
LOCALE_DIR = Path(__file__).with_name("locale")
DEFAULT_LANGUAGE = "nl"
_current = {"lang": ""}


@cache
def languages() -> tuple[str, ...]:
    """The languages that have a compiled catalogue, Dutch first."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return tuple(sorted(found, key=lambda lang: lang != DEFAULT_LANGUAGE))


def __getattr__(name: str) -> object:
    # LANGUAGES reads the locale folder when first asked for, not at import.
    if name == "LANGUAGES":
        return languages()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    """The compiled catalogue of one language; a text it lacks comes from the Dutch one."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as fp:
        found = gettext.GNUTranslations(fp)
    if lang != DEFAULT_LANGUAGE:
        found.add_fallback(translations(DEFAULT_LANGUAGE))
    return found


def _raw(lang: str) -> dict[str | tuple[str, int], str]:
    # gettext answers a missing id with the id itself; only the parsed catalogue tells them apart.
    catalogue: dict[str | tuple[str, int], str] = translations(lang)._catalog  # type: ignore[attr-defined]
    return catalogue


def _has(lang: str, msgid: object) -> bool:
    """Whether lang, or Dutch (its fallback), has the text (a key, or (key, form) for a counted one)."""
    return msgid in _raw(lang) or msgid in _raw(DEFAULT_LANGUAGE)


@cache
def catalog() -> dict[str, tuple[str, str]]:
    """Every key with its Dutch and English text; for a counted text, its plural forms ("2 dorpen")."""
    merged: dict[str, tuple[str, str]] = {}
    for key in _keys(DEFAULT_LANGUAGE) | _keys("en"):
        merged[key] = (_any_form(DEFAULT_LANGUAGE, key), _any_form("en", key))
    return merged


def plural_keys() -> frozenset[str]:
    """The keys of counted texts (to be shown with tn)."""
    return frozenset(k[0] for k in _raw(DEFAULT_LANGUAGE) if isinstance(k, tuple))


def _keys(lang: str) -> set[str]:
    return {k[0] if isinstance(k, tuple) else k for k in _raw(lang)} - {""}


def _any_form(lang: str, key: str) -> str:
    trans = translations(lang)
    return trans.ngettext(key, key, 2) if _has(lang, (key, 0)) else trans.gettext(key)


def current_language() -> str:
    """The language in use: set explicitly, else NOTICEBOARD_LANG, else Dutch."""
    lang = _current["lang"] or os.environ.get("NOTICEBOARD_LANG", DEFAULT_LANGUAGE)
    return lang if lang in languages() else DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    """Switch the language for everything shown from now on."""
    if lang not in languages():
        raise ValueError(f"language must be one of {', '.join(languages())}")
    _current["lang"] = lang


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The text for key in the current (or given) language, with values filled in.

    A counted text takes its plural form from ``values["n"]``: that is how texts chosen at run time
    (match reasons, doctor findings, errors carrying their values) get it; a call site that knows
    its text is counted says so with ``tn``.
    """
    lang = lang or current_language()
    if _has(lang, (key, 0)):
        count = values.pop("n", None)
        if not isinstance(count, int):
            raise TypeError(f"{key} is a counted text: give its number as n")
        return tn(key, count, lang, **values)
    if not _has(lang, key):
        raise KeyError(key)
    text = translations(lang).gettext(key)
    return text.format(**values) if values else text


def tn(key: str, n: int, lang: str | None = None, **values: object) -> str:
    """The counted text for key in the plural form that n takes ("1 dorp", "2 dorpen"); {n} is n."""
    lang = lang or current_language()
    if not _has(lang, (key, 0)):
        raise KeyError(key)
    return translations(lang).ngettext(key, key, n).format(n=n, **values)
