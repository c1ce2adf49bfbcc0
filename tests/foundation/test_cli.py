"""The command line as a coordinator would type it, against real node folders."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from crypto.encoding import b64u_decode
from tests.support import NodeDir, run_cli, run_noticeboard

PASS = {"NOTICEBOARD_PASSPHRASE": "lange zin van de coordinator"}
REF = re.compile(r"BH-[0-9A-Z]{4}")


def independent_verify(obj: dict) -> bool:
    """Check a signature with other code than ours: the reference JCS encoder and OpenSSL's Ed25519."""
    try:
        payload = rfc8785.dumps({k: v for k, v in obj.items() if k != "sig"})
        Ed25519PublicKey.from_public_bytes(b64u_decode(obj["author"])).verify(b64u_decode(obj["sig"]), payload)
    except (InvalidSignature, ValueError, KeyError, TypeError, rfc8785.CanonicalizationError):
        return False
    return True


def files_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def passphrase_node(tmp_path: Path) -> Path:
    folder = tmp_path / "wierde"
    result = run_cli("--data-dir", str(folder), "init", "--name", "Dorpshuis De Wierde", "--village", "Ezinge",
                     "--location", "53.32,6.44", "--hours", "ma-vr 9-12", env=PASS)
    assert result.code == 0, result.err
    assert "Ezinge" in result.out
    return folder


def cli(folder: Path, *args: str, env: dict[str, str] | None = None):
    return run_cli("--data-dir", str(folder), *args, env=env or PASS)


def test_post_list_show_withdraw(passphrase_node: Path) -> None:
    posted = cli(passphrase_node, "post", "request", "--category", "tuin", "--title", "Heg knippen",
                 "--text", "De heg is te hoog", "--when", "zaterdag", "--contact", "0612345678", "--name", "Gerda")
    assert posted.code == 0, posted.err
    ref = REF.search(posted.out).group(0)
    listing = cli(passphrase_node, "list")
    assert ref in listing.out and "Heg knippen" in listing.out
    as_json = json.loads(cli(passphrase_node, "list", "--json").out)
    assert [p["ref"] for p in as_json] == [ref]
    assert "0612345678" not in json.dumps(as_json)
    shown = cli(passphrase_node, "show", ref.lower())
    assert "zaterdag" in shown.out and "open" in shown.out
    assert cli(passphrase_node, "withdraw", ref).code == 0
    assert ref not in cli(passphrase_node, "list").out
    assert cli(passphrase_node, "show", "BH-ZZZZ").code == 1


def test_entries_verify_independently_and_any_change_breaks_them(passphrase_node: Path) -> None:
    cli(passphrase_node, "post", "offer", "--category", "digitaal", "--title", "Hulp met de tablet",
        "--text", "Ik leg WhatsApp uit", "--contact", "0611122233")
    lines = cli(passphrase_node, "entries", "--jsonl").out.splitlines()
    assert len(lines) == 2  # the centre's profile and the offer
    for line in lines:
        obj = json.loads(line)
        assert "0611122233" not in line
        assert independent_verify(obj)
        for field in obj:
            if field == "sig":
                continue
            tampered = json.loads(line)
            tampered[field] = _changed(tampered[field])
            assert not independent_verify(tampered), field
        # Any single byte of the travelling form changed: it no longer verifies (or no longer parses).
        raw = line.encode()
        for i in range(0, len(raw), 7):
            flipped = raw[:i] + bytes([raw[i] ^ 0x01]) + raw[i + 1:]
            try:
                obj2 = json.loads(flipped)
            except (ValueError, UnicodeDecodeError):
                continue
            if obj2 != obj:
                assert not independent_verify(obj2), flipped


def _changed(value: object) -> object:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value[:-1] + ("A" if value[-1:] != "A" else "B")
    if isinstance(value, dict):
        return {**value, "extra": 1}
    return [value]


def test_unique_word_and_contact_are_nowhere_on_disk(passphrase_node: Path) -> None:
    cli(passphrase_node, "post", "request", "--category", "klussen", "--title", "Kast ophangen",
        "--text", "Wie helpt met de xylofoonkast in de gang?", "--contact", "0655512345", "--name", "Bertha")
    for path in passphrase_node.iterdir():
        data = path.read_bytes()
        for needle in (b"xylofoonkast", b"0655512345", b"Bertha", b"Kast ophangen"):
            assert needle not in data, (path.name, needle)


def test_wrong_passphrase_one_line_error_nothing_changed(passphrase_node: Path) -> None:
    before = files_digest(passphrase_node)
    result = cli(passphrase_node, "post", "request", "--category", "tuin", "--title", "x",
                 env={"NOTICEBOARD_PASSPHRASE": "verkeerd wachtwoord"})
    assert result.code == 3
    assert result.err.strip().count("\n") == 0 and "wachtwoord" in result.err.lower()
    english = run_cli("--lang", "en", "--data-dir", str(passphrase_node), "list",
                      env={"NOTICEBOARD_PASSPHRASE": "wrong one"})
    assert english.code == 3 and "passphrase" in english.err.lower()
    assert files_digest(passphrase_node) == before


def test_passphrase_change_keeps_data_readable_with_the_new_one_only(passphrase_node: Path) -> None:
    cli(passphrase_node, "post", "offer", "--category", "tuin", "--title", "Gras maaien")
    changed = cli(passphrase_node, "passphrase", env={**PASS, "NOTICEBOARD_NEW_PASSPHRASE": "nieuwe lange zin"})
    assert changed.code == 0, changed.err
    assert cli(passphrase_node, "list").code == 3
    assert "Gras maaien" in cli(passphrase_node, "list", env={"NOTICEBOARD_PASSPHRASE": "nieuwe lange zin"}).out


@pytest.mark.parametrize(("args", "needle"), [
    (["--category", "tuin", "--title", "Lang", "--text", "x" * 1001], "te lang"),
    (["--category", "kapper", "--title", "Haar knippen"], "kapper"),
    (["--category", "tuin", "--title", "Bel 06-12345678"], "telefoonnummer"),
    (["--category", "tuin", "--title", "Ver weg", "--reach-km", "9000"], "reach_km"),
])
def test_bad_input_is_refused_and_nothing_is_lost(node_dir: NodeDir, args: list[str], needle: str) -> None:
    kept = node_dir.cli("post", "offer", "--category", "taal", "--title", "Nederlands oefenen")
    ref = REF.search(kept.out).group(0)
    result = node_dir.cli("post", "request", *args)
    assert result.code == 1
    assert needle in result.err
    assert ref in node_dir.cli("list").out


def test_init_refuses_bad_location_and_existing_node(tmp_path: Path, node_dir: NodeDir) -> None:
    bad = run_cli("--data-dir", str(tmp_path / "x"), "init", "--name", "X", "--village", "Y",
                  "--location", "noord", env=PASS)
    assert bad.code == 1 and "53.32,6.44" in bad.err
    again = node_dir.cli("init", "--name", "X", "--village", "Y", "--location", "53,6")
    assert again.code == 1 and "al een prikbord" in again.err


def test_whoami_prints_key_and_code(node_dir: NodeDir) -> None:
    out = node_dir.cli("whoami").out
    with node_dir.open() as node:
        assert node.node_id in out and node.fingerprint_code in out


def test_no_node_yet(tmp_path: Path) -> None:
    result = run_cli("--data-dir", str(tmp_path / "leeg"), "list", env=PASS)
    assert result.code == 1 and "noticeboard init" in result.err


def test_console_script_and_demo_board(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    built = run_noticeboard("demo", "--no-open", "--data-dir", str(folder))
    assert built.returncode == 0, built.stderr
    listing = run_noticeboard("--data-dir", str(folder), "--key-file", str(folder / "demo.key"), "list", "--json")
    assert listing.returncode == 0, listing.stderr
    villages = {p["place"]["village"] for p in json.loads(listing.stdout)}
    assert {"Ezinge", "Winsum", "Baflo"} <= villages
