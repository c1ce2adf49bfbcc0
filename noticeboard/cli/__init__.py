"""The ``noticeboard`` command. Each ``cmd_*.py`` module here adds its own subcommands."""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence
from typing import Any

from noticeboard import __version__
from noticeboard.cli.context import CliError, Context
from noticeboard.cli.helptext import Parser, language_in
from noticeboard.cli.terminal import escaped_output
from noticeboard.entry import EntryError
from noticeboard.i18n import languages, set_language, t
from noticeboard.store.errors import StoreError

log = logging.getLogger("noticeboard")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every command module's subcommands (help in the current language)."""
    parser = Parser(prog="noticeboard", description="Buurthulp noticeboard")
    parser.add_argument("--version", action="version", version=__version__)
    _add_common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    package = importlib.import_module(__name__)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("cmd_"):
            importlib.import_module(f"{__name__}.{info.name}").register(sub)
    # The common options work after the command too (``noticeboard list --data-dir X``).
    for command in _subparsers(parser):
        _add_common(command, suppress=True)
    return parser


def _add_common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    # On subcommands the defaults are suppressed, so they never undo a value given before the command.
    keep: dict[str, Any] = {"default": argparse.SUPPRESS} if suppress else {}
    parser.add_argument("--data-dir", help="the node's folder (default: NOTICEBOARD_HOME or the user data folder)",
                        **keep)
    parser.add_argument("--key-file", help="unlock with this key file instead of the passphrase", **keep)
    parser.add_argument("--lang", choices=languages(), help="language of messages (default: NOTICEBOARD_LANG or nl)",
                        **keep)
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr", **keep)


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                found.append(child)
                found.extend(_subparsers(child))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    with escaped_output():
        return _main(sys.argv[1:] if argv is None else list(argv))


def _main(argv: list[str]) -> int:
    # Before parsing: --help and usage errors are printed while parsing, in the language asked for.
    if lang := language_in(argv):
        set_language(lang)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        set_language(args.lang)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    ctx = Context.from_args(args)
    try:
        return int(args.func(args, ctx) or 0)
    except CliError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    except StoreError as exc:
        log.info("store error: %s", exc.__class__.__name__)
        print(t(exc.text_key, ref=str(exc), **getattr(exc, "values", {})), file=sys.stderr)
        return 3 if exc.text_key == "error.wrong_passphrase" else 1
    except EntryError as exc:
        print(t("error.entry", detail=exc.detail), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130

