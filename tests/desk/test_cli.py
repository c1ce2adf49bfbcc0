"""The desk from the terminal: the real CLI end to end, lockout exit codes, stats CSV, the printed board."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.desk.fixtures import PASSPHRASE, NodeDir

COORD = {"NOTICEBOARD_PASSPHRASE": PASSPHRASE}


def _ok(nd: NodeDir, *args: str, env: dict[str, str] | None = None) -> str:
    result = nd.cli(*args, env=env or COORD)
    assert result.code == 0, result.err
    return result.out


def _id(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found, text
    return found.group(0)


def test_phone_intake_to_feedback_from_the_terminal(desk_dir: NodeDir) -> None:
    nd = desk_dir
    out = _ok(nd, "volunteer", "add", "Greet", env={**COORD, "NOTICEBOARD_NEW_PIN": "4711"})
    assert "Inlognummer: 1" in out
    vol = {"NOTICEBOARD_PIN": "4711"}
    ans = _id(r"K-\w{4}", _ok(nd, "person", "add", "--as", "1", "--first-name", "Ans", "--phone", "0594-111111",
                              "--address", "Hoofdstraat 1", "--village", "Ezinge", env=vol))
    bram = _id(r"K-\w{4}", _ok(nd, "person", "add", "--first-name", "Bram", "--phone", "06-33333333",
                               "--skills", "boodschappen,vervoer", "--days", "tue", "--slots", "afternoon",
                               "--not-resident"))
    _ok(nd, "person", "screen", bram, "--kind", "vog", "--on", "2026-01-15")
    ref = _id(r"BH-\w{4}", _ok(nd, "intake", "--as", "1", "--for", ans, "--category", "vervoer", "--title",
                               "Naar het ziekenhuis", "--days", "tue", "--slots", "afternoon", env=vol))
    suggested = _ok(nd, "suggest", "--as", "1", ref, env=vol)
    assert f"1. {bram} Bram (Ezinge)" in suggested and "+15  beschikbaar: dinsdag, middag" in suggested
    match = _id(r"M-\w{6}", _ok(nd, "match", "propose", "--as", "1", ref, "--person", bram, env=vol))
    refused = nd.cli("match", "reveal", "--as", "1", match, env=vol)
    assert refused.code == 1 and "voorgesteld" in refused.err and "0594" not in refused.out
    _ok(nd, "match", "agree", "--as", "1", match, "--side", "resident", env=vol)
    assert "afgesproken" in _ok(nd, "match", "agree", "--as", "1", match, "--side", "helper", env=vol)
    revealed = _ok(nd, "match", "reveal", "--as", "1", match, env=vol)
    assert "Ans, 0594-111111 Hoofdstraat 1" in revealed and "Bram, 06-33333333" in revealed
    assert "gedaan" in _ok(nd, "match", "done", "--as", "1", match, env=vol)
    _ok(nd, "match", "feedback", "--as", "1", match, "--happened", "yes", "--face", "good", "--note", "Top", env=vol)
    assert json.loads(_ok(nd, "show", ref, "--json"))["status"] == "done"
    csv_text = _ok(nd, "stats", "--csv")
    header, row, total = csv_text.splitlines()
    assert row.startswith("Ezinge,vervoer,")
    cells = dict(zip(header.split(","), total.split(","), strict=True))
    assert (cells["requests_phone"], cells["agreed"], cells["done"], cells["helped_yes"], cells["face_good"]) == \
        ("1", "1", "1", "1", "1")
    for word in ("Ans", "Bram", "0594", "Hoofdstraat", "ziekenhuis", "Top"):
        assert word not in csv_text
    log = _ok(nd, "audit")
    acts = re.findall(r"\(([a-z_]+)\)", log)
    for act in ("volunteer_add", "login", "person_add", "person_screening", "intake", "suggest", "match_propose",
                "match_agree_resident", "match_agree_helper", "match_agreed", "match_reveal", "match_done",
                "match_feedback"):
        assert act in acts, act
    assert "Ans" not in log and "0594" not in log
    volunteer_audit = nd.cli("audit", "--as", "1", env=vol)
    assert volunteer_audit.code == 1 and "coördinator" in volunteer_audit.err


def test_wrong_pins_lock_the_role_with_exit_code_4(desk_dir: NodeDir) -> None:
    _ok(desk_dir, "volunteer", "add", "Greet", env={**COORD, "NOTICEBOARD_NEW_PIN": "4711"})
    errors = [desk_dir.cli("person", "list", "--as", "1", env={"NOTICEBOARD_PIN": "0101"}) for _ in range(5)]
    assert [r.code for r in errors] == [4] * 5
    assert "nog 4 keer" in errors[0].err and "Te vaak" in errors[4].err
    locked = desk_dir.cli("person", "list", "--as", "1", env={"NOTICEBOARD_PIN": "4711"})
    assert locked.code == 4 and "Te vaak" in locked.err
    assert "1  Greet  actief, geblokkeerd tot" in _ok(desk_dir, "volunteer", "list")
    wrong = desk_dir.cli("person", "list", env={"NOTICEBOARD_PASSPHRASE": "nope nope nope"})
    assert wrong.code == 4


def test_bsn_is_refused_at_the_terminal(desk_dir: NodeDir) -> None:
    result = desk_dir.cli("person", "add", "--first-name", "Ans", "--notes", "bsn 111222333", env=COORD)
    assert result.code == 1 and "BSN" in result.err
    assert "leeg" in _ok(desk_dir, "person", "list")


def test_printed_board_lists_open_posts_without_personal_data(desk_dir: NodeDir, tmp_path: Path) -> None:
    for kind, category, title in (("request", "tuin", "Heg knippen"), ("offer", "digitaal", "Hulp met de tablet")):
        _ok(desk_dir, "post", kind, "--category", category, "--title", title, "--name", "Ans",
            "--contact", "0594-111111")
    hidden = _id(r"BH-\w{4}", _ok(desk_dir, "post", "offer", "--category", "lenen", "--title", "Te koop"))
    _ok(desk_dir, "hide", hidden, "--reason", "reclame")
    page = tmp_path / "prikbord.html"
    _ok(desk_dir, "print", str(page))
    text = page.read_text(encoding="utf-8")
    assert "@page { size: A4" in text and "Heg knippen" in text and "Hulp met de tablet" in text
    assert len(re.findall(r'class="ref">BH-\w{4}<', text)) == 2 and hidden not in text
    assert "Ans" not in text and "0594-111111" not in text


def test_desk_core_never_imports_textual_or_sync() -> None:
    code = ("import sys, pkgutil, importlib, noticeboard.desk as d\n"
            "[importlib.import_module('noticeboard.desk.' + m.name) for m in pkgutil.iter_modules(d.__path__)]\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'sync'))\n"
            "print(','.join(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
