"""The command line's help is shown in the language chosen with --lang (or NOTICEBOARD_LANG), Dutch by default."""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest

from noticeboard.cli import build_parser, main
from noticeboard.cli.helptext import language_in, translate
from noticeboard.i18n import set_language
from tests.support import run_noticeboard


def _help_texts(parser: argparse.ArgumentParser) -> set[str]:
    """Every description, section title and help of a parser and all its subcommands."""
    texts = {parser.description or "", "usage: "}
    texts |= {group.title or "" for group in parser._action_groups}
    for action in parser._actions:
        if action.help and action.help is not argparse.SUPPRESS:
            texts.add(action.help)
        if isinstance(action, argparse._SubParsersAction):
            texts |= {choice.help or "" for choice in action._choices_actions}
            for child in action.choices.values():
                texts |= _help_texts(child)
    return texts - {""}


def _help_in_process(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as done:
        main(list(args))
    assert done.value.code == 0
    return out.getvalue()


def _check(dutch: str, english: str) -> None:
    assert dutch.startswith("gebruik: noticeboard post")
    for text in ("opties:", "deze hulp tonen en stoppen", "telefoon of e-mail; blijft alleen op dit prikbord",
                 "een van: boodschappen, vervoer", "de map van dit prikbord"):
        assert text in dutch
    assert english.startswith("usage: noticeboard post")
    for text in ("options:", "show this help message and exit", "phone or e-mail; stays on this node only",
                 "one of: boodschappen, vervoer", "the node's folder"):
        assert text in english
    assert "prikbord" not in english and "usage" not in dutch


@pytest.mark.slow  # two child processes each
def test_help_is_dutch_with_lang_nl_and_english_with_lang_en_as_typed() -> None:
    def run(lang: str) -> str:
        done = run_noticeboard("--lang", lang, "post", "--help", env={"NOTICEBOARD_LANG": "en" if lang == "nl" else "nl"})
        assert done.returncode == 0, done.stderr
        return done.stdout

    _check(run("nl"), run("en"))


@pytest.mark.slow  # two child processes each
def test_help_follows_noticeboard_lang_when_no_lang_is_given() -> None:
    dutch, english = (run_noticeboard("post", "--help", env={"NOTICEBOARD_LANG": lang}) for lang in ("nl", "en"))
    _check(dutch.stdout, english.stdout)


def test_lang_after_the_command_chooses_the_help_language_too() -> None:
    _check(_help_in_process("post", "--help", "--lang=nl"), _help_in_process("post", "--help", "--lang", "en"))


def test_top_level_help_lists_the_commands_in_dutch() -> None:
    shown = _help_in_process("--lang", "nl", "--help")
    assert "Buurthulp prikbord" in shown
    assert "een vraag of aanbod plaatsen; toont de code ervan" in shown


def test_usage_errors_say_usage_in_the_language_asked_for() -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as done:
        main(["--lang", "nl", "post"])
    assert done.value.code == 2 and err.getvalue().startswith("gebruik: noticeboard post")


def test_every_help_text_of_every_command_has_dutch() -> None:
    set_language("nl")
    texts = _help_texts(build_parser())
    assert len(texts) > 100, "the walk found too few help texts"
    untranslated = sorted(text for text in texts if translate(text) == text)
    assert untranslated == [], "add these to noticeboard/i18n (the English help is the id): " + repr(untranslated)


def test_lang_is_found_before_parsing() -> None:
    assert language_in(["--lang", "en", "post"]) == "en"
    assert language_in(["post", "--lang=nl"]) == "nl"
    assert language_in(["post", "--lang", "fr"]) is None
    assert language_in(["--lang"]) is None
