"""The docs match the commands exactly (acceptance 8): every `noticeboard ...` command written in
docs/desk.md and docs/operators-guide.md, in code blocks or inline, parses with the real argparse parser."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

from noticeboard.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
DOCS = ("docs/desk.md", "docs/operators-guide.md")
_FENCE = re.compile(r"^```[a-z]*\n(.*?)^```", re.M | re.S)
_INLINE = re.compile(r"`((?:sudo )?noticeboard(?: [^`]*)?)`")


def commands(text: str) -> list[str]:
    """Every noticeboard command line of a Markdown text: code blocks first, then inline code."""
    found = []
    for block in _FENCE.findall(text):
        found += [line.strip() for line in block.splitlines() if re.match(r"\s*(sudo )?noticeboard\b", line)]
    found += _INLINE.findall(_FENCE.sub("", text))
    return found


def _parses(command: str) -> str:
    argv = shlex.split(command)
    if argv[0] == "sudo":
        argv = argv[1:]
    assert argv[0] == "noticeboard", command
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            args = build_parser().parse_args(argv[1:])
    except SystemExit:
        return f"{command}: {err.getvalue().strip().splitlines()[-1] if err.getvalue() else 'exit'}"
    if len(argv) > 1 and not getattr(args, "func", None):
        return f"{command}: no such command"
    return ""


@pytest.mark.parametrize("doc", DOCS)
def test_every_command_in_the_docs_parses_with_the_real_parser(doc: str) -> None:
    found = commands((ROOT / doc).read_text(encoding="utf-8"))
    assert len(found) >= 10, found
    problems = [p for p in map(_parses, found) if p]
    assert not problems, "\n".join(problems)


def test_a_wrong_command_is_caught() -> None:
    assert _parses("noticeboard person find")  # TEXT missing
    assert _parses("noticeboard match appointment M-ABCDEF")  # --at missing
    assert _parses("noticeboard nosuchcommand")
    assert not _parses("sudo noticeboard requests --open --as 3")
