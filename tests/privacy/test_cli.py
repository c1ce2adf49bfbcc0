"""Every privacy command: a wrong key gives one line and changes nothing; texts exist; commands are documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crypto import vault
from noticeboard.cli import build_parser
from noticeboard.i18n import catalog
from noticeboard.node import database_path
from noticeboard.privacy import handover, register, retention
from tests.privacy.helpers import ANNA, file_digest, post_for
from tests.support import make_node, run_cli

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = [
    ("backup", "{tmp}/b.bhb"), ("restore", "{tmp}/good.bhb"), ("restore", "--check", "{tmp}/good.bhb"),
    ("keyfile", "add", "{tmp}/new.key"), ("keyfile", "remove"), ("keys", "rotate-data"), ("keys", "rotate-signing"),
    ("privacy",), ("privacy", "export", ANNA.phone), ("privacy", "erase", ANNA.phone, "--yes"),
    ("privacy", "retention"), ("privacy", "retention", "--months", "3"), ("privacy", "consent", "{ref}"),
    ("passphrase",),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_wrong_key_gives_one_line_in_the_users_language_and_changes_nothing(tmp_path: Path,
                                                                            command: tuple[str, ...]) -> None:
    nd = make_node(tmp_path)
    with nd.open() as node:
        ref = post_for(node, ANNA)
    assert nd.cli("backup", str(tmp_path / "good.bhb")).code == 0
    wrong = tmp_path / "wrong.key"
    vault.write_key_file(wrong, vault.new_key_file_secret())
    before = file_digest(database_path(nd.data_dir))
    args = [a.format(tmp=tmp_path, ref=ref) for a in command]
    for lang, sentence in (("nl", "Het wachtwoord of sleutelbestand klopt niet."),
                           ("en", "The passphrase or key file is wrong.")):
        result = run_cli("--lang", lang, "--data-dir", str(nd.data_dir), "--key-file", str(wrong), *args,
                         env={"NOTICEBOARD_NEW_PASSPHRASE": "a new long passphrase"})
        assert result.code == 3, (lang, result.err)
        assert result.err.count("\n") == 1 and result.err.startswith(sentence), result.err
        assert result.out == ""
    assert file_digest(database_path(nd.data_dir)) == before
    assert not (tmp_path / "b.bhb").exists() and not (tmp_path / "new.key").exists()


def test_every_privacy_text_key_used_in_code_exists_in_both_languages() -> None:
    texts = catalog()
    sources = [*(ROOT / "noticeboard" / "privacy").glob("*.py"), ROOT / "noticeboard" / "cli" / "cmd_privacy.py"]
    used = {key for path in sources for key in re.findall(r"""["']((?:privacy|error)\.[a-z_.]+)["']""",
                                                               path.read_text())}
    # Meta and secret names share the prefix; they are not texts.
    used -= {handover.PENDING, handover.RETIRED_KEY, retention.PERIOD_KEY}
    assert len(used) > 20
    for key in (k for k in used if not k.endswith(".")):
        assert key in texts and all(texts[key]), key
    for use in register.REGISTER:
        for family, name in (("holds", k) for k in use.holds):
            assert f"privacy.{family}.{name}" in texts
        for family in ("purpose", "retention", "audience"):
            assert f"privacy.{family}.{getattr(use, family)}" in texts, (use.table, family)
    for key, (nl, en) in texts.items():
        if key.startswith("privacy."):
            assert nl.strip() and en.strip(), key


def test_every_privacy_command_is_registered_and_documented() -> None:
    doc = (ROOT / "docs" / "privacy.md").read_text()
    parser = build_parser()
    choices = next(a for a in parser._subparsers._group_actions).choices  # type: ignore[union-attr]
    for command in ("backup", "restore", "keyfile", "keys", "privacy", "passphrase"):
        assert command in choices and f"`noticeboard {command}" in doc, command
    for sub in ("export", "erase", "retention", "consent", "rotate-data", "rotate-signing"):
        assert sub in doc, sub
