"""The README opens with exactly the two commands, CI runs the same test command, and commands it names exist."""

from __future__ import annotations

import re
from pathlib import Path

from noticeboard.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def test_readme_opens_with_exactly_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = text.split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line.strip()]
    assert commands == ["./dev demo", "./dev test"]
    assert "./dev test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_the_readme_names_exists() -> None:
    parser = build_parser()
    choices = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction").choices
    named = set(re.findall(r"(?:`|^)noticeboard ([a-z]+)", (ROOT / "README.md").read_text(encoding="utf-8"), re.M))
    assert named and named <= set(choices), named - set(choices)
