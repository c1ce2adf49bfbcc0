"""argparse help in the chosen language: the English help of the cmd_*.py modules is the text's id.

Its translations are in the catalogues with the other texts (msgid "the centre's name"); a help
ending in "head: list" is found by its head ("one of:"); tests/foundation/test_cli_help.py fails
when a help has no Dutch.

The language must be known before the parser prints anything (``--help`` prints while parsing),
so ``language_in`` picks ``--lang`` out of the arguments first.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Sequence
from typing import Any

from noticeboard.i18n import catalog, current_language, languages


def translate(english: str) -> str:
    """The help text in the current language; a help ending in "head: list" is found by its head."""
    if current_language() == "en" or not english:
        return english
    texts = catalog()
    if english in texts:
        return texts[english][0]
    head, colon, rest = english.partition(": ")
    if colon and head + ":" in texts:
        return f"{texts[head + ':'][0]} {rest}"
    return english


def language_in(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` among the arguments (before or after the command), if valid."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        else:
            continue
        return value if value in languages() else None
    return None


class TranslatedHelp(argparse.HelpFormatter):
    """Shows descriptions, section titles, the usage prefix and every option's help translated."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return translate(action.help) if action.help else action.help

    def add_text(self, text: str | None) -> None:
        super().add_text(translate(text) if text and text is not argparse.SUPPRESS else text)

    def start_section(self, heading: str | None) -> None:
        super().start_section(translate(heading) if heading else heading)

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else translate("usage: "))


# A node key (or the start of one that ``peers list`` prints: 10 characters) is base64url, so it
# can begin with "-" or "--"; such a word is a value, not an option (issue 14).
_KEY_LIKE = re.compile(r"-[A-Za-z0-9_-]{9,}")


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help (and that of its subcommands, made with the same class) is translated.

    A word that looks like a node key is read as a value even when it begins with "-", so a key
    copied from ``noticeboard peers list`` works without ``--`` in front of it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", TranslatedHelp)
        super().__init__(*args, **kwargs)

    def _is_node_key(self, arg: str) -> bool:
        if not _KEY_LIKE.fullmatch(arg) or arg in self._option_string_actions:
            return False
        # "--verb" may abbreviate "--verbose"; a key is no option's start.
        return not (arg.startswith("--") and any(o.startswith(arg) for o in self._option_string_actions))

    def _parse_optional(self, arg_string: str) -> Any:
        if self._is_node_key(arg_string):
            return None
        return super()._parse_optional(arg_string)
