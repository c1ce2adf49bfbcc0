"""Every desk text exists in Dutch and English; every desk command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from noticeboard.categories import DAYS, NOT_BUURTHULP, SLOTS
from noticeboard.cli import build_parser
from noticeboard.desk.cards import SCREENINGS
from noticeboard.desk.matches import FACES, STATES
from noticeboard.i18n import catalog

ROOT = Path(__file__).resolve().parents[2]
REASONS = ("same_category", "distance", "available", "not_available", "language", "no_language", "load",
           "helped_before", "screened", "other_village", "screening_by_home", "paused", "needs_screening",
           "said_can_help", "screening_unknown", "vog_expired")
DESK_COMMANDS = ("desk", "volunteer", "person", "intake", "suggest", "match", "followup", "ledger", "flag", "view",
                 "guidance", "hide", "unhide", "block", "audit", "stats", "print", "requests", "resolve", "unflag",
                 "settings", "evaluation")


def test_every_desk_text_key_used_in_code_exists_in_both_languages() -> None:
    texts = catalog()
    sources = [*(ROOT / "noticeboard" / "desk").glob("*.py"), *(ROOT / "noticeboard" / "app" / "staff").glob("*.py"),
               ROOT / "noticeboard" / "cli" / "cmd_desk.py"]
    # Every quoted text key (binding ids, after "id=", and the stylesheet's name are not keys).
    used = {key for path in sources for key in re.findall(r"""(?<!id=)["']((?:desk|staff|error)\.[a-z_.]+)["']""",
                                                               path.read_text()) if key != "staff.tcss"}
    assert used, "no text keys found"
    for key in (k for k in used if not k.endswith(".")):
        assert key in texts and all(texts[key]), key
    families = {"desk.screening": SCREENINGS, "desk.state": STATES, "desk.face": FACES, "desk.day": DAYS,
                "desk.slot": SLOTS, "desk.followup": ("unanswered", "unconfirmed", "no_feedback", "flagged"),
                "desk.match.side": ("resident", "helper"), "desk.guide": NOT_BUURTHULP, "desk.refer": NOT_BUURTHULP,
                "desk.reason": REASONS}
    for family, names in families.items():
        for name in names:
            assert f"{family}.{name}" in texts, f"{family}.{name}"
    for key, (nl, en) in texts.items():
        if key.startswith("desk."):
            assert nl.strip() and en.strip(), key


def test_every_desk_command_is_registered_and_documented() -> None:
    doc = (ROOT / "docs" / "desk.md").read_text()
    parser = build_parser()
    choices = next(a for a in parser._subparsers._group_actions).choices  # type: ignore[union-attr]
    for command in DESK_COMMANDS:
        assert command in choices and (f"`{command}" in doc or f"noticeboard {command}" in doc), command
