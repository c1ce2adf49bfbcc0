"""The sync commands through the real CLI, against real servers (in a thread, and as a child process)."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from noticeboard.privacy import consent
from sync.server import bound_port, start_server, stop_server
from tests.support import NodeDir
from tests.sync.helpers import line_node


@contextmanager
def serving(nd: NodeDir) -> Iterator[str]:
    """Serve a node folder from a background event loop, as `noticeboard serve` would."""
    node = nd.open()
    loop = asyncio.new_event_loop()
    runner = loop.run_until_complete(start_server(node, "127.0.0.1", 0))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{bound_port(runner)}"
    finally:
        asyncio.run_coroutine_threadsafe(stop_server(runner), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
        node.close()


def _code(nd: NodeDir) -> str:
    match = re.search(r"Controlecode: (\S+)", nd.cli("whoami").out)
    assert match
    return match.group(1)


def test_pair_sync_respond_inbox_and_trust_commands(tmp_path: Path) -> None:
    a, b = line_node(tmp_path, "A"), line_node(tmp_path, "B")
    with serving(a) as a_addr, serving(b) as b_addr:
        wrong = b.cli("peers", "pair", a_addr, "--code", _code(b))
        assert wrong.code == 1 and "code klopt niet" in wrong.err
        assert "Nog geen andere buurthuizen" in b.cli("peers", "list").out
        assert b.cli("sync", a_addr).code == 1
        done = b.cli("peers", "pair", a_addr, "--code", _code(a))
        assert done.code == 0 and "Gekoppeld met Dorpshuis A" in done.out
        refused = b.cli("sync", a_addr)
        assert refused.code == 1 and "weigert (unknown_key)" in refused.err
        assert a.cli("peers", "pair", b_addr, "--code", _code(b)).code == 0
        ref = re.search(r"BH-\w{4}", a.cli("post", "request", "--category", "tuin", "--title", "Heg knippen",
                                           "--reach-km", "30").out)
        assert ref
        summary = b.cli("sync", a_addr)
        assert summary.code == 0, summary.err
        assert "Uitgewisseld met Dorpshuis A: 2 ontvangen, 1 verstuurd, 0 geweigerd" in summary.out
        assert "Heg knippen" in b.cli("list").out
        answer = b.cli("respond", ref.group(0), "--message", "Zaterdag kan ik", "--contact", "06-11122233",
                       "--name", "Sanne")
        assert answer.code == 0 and "verzegeld" in answer.out
        # The helper's consent to share name and contact with A is recorded at B, for access and erasure.
        with b.open() as node_b:
            [sent] = consent.consents(node_b.store)
        assert sent.purposes == ("share_with_centre",) and sent.recorded_by == "system"
        assert "1 verstuurd" in b.cli("sync", a_addr).out
        inbox = a.cli("inbox")
        assert ref.group(0) in inbox.out and "Sanne" in inbox.out and "06-11122233" in inbox.out
        assert "Dorpshuis B (Dorp B)" in inbox.out
        assert "Nog geen reacties" in b.cli("inbox").out
        assert "vertrouwd, stelt voor" in b.cli("peers", "introducer", "Dorpshuis A").out
        listing = b.cli("peers", "list").out
        assert "Dorpshuis A" in listing and "vertrouwd, stelt voor" in listing and a_addr in listing
        assert "geblokkeerd" in b.cli("peers", "block", _code(a)).out
        assert "Heg knippen" not in b.cli("list").out
        assert b.cli("sync", a_addr).code == 1
        assert "gezien, niet vertrouwd" in b.cli("peers", "unblock", "Dorpshuis A").out
        assert "vertrouwd" in b.cli("peers", "trust", "Dorpshuis A").out
        assert b.cli("sync", a_addr).code == 0
        assert "Heg knippen" in b.cli("list").out


def test_noticeboard_serve_runs_as_a_child_process_until_sigterm(tmp_path: Path) -> None:
    a, b = line_node(tmp_path, "A"), line_node(tmp_path, "B")
    exe = Path(sys.executable).with_name("noticeboard")
    child = subprocess.Popen(
        [str(exe), "--data-dir", str(a.data_dir), "--key-file", str(a.key_file), "serve", "--no-discovery", "--host", "127.0.0.1",
         "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NOTICEBOARD_LANG": "nl"})
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        match = re.search(r"op (127\.0\.0\.1:\d+)\. Controlecode: (\S+)\.", line)
        assert match, line + (child.stderr.read() if child.stderr else "")
        address, code = match.groups()
        assert code == _code(a)
        assert b.cli("peers", "pair", address, "--code", code).code == 0
        assert a.cli("peers", "pair", "127.0.0.1:1", "--code", _code(b)).code == 1  # nothing listens there
        assert a.cli("post", "offer", "--category", "vervoer", "--title", "Rijden naar de huisarts",
                     "--reach-km", "30").code == 0
        assert b.cli("sync", address).code == 1  # A has not paired B yet: refused
        with serving(b) as b_addr:
            assert a.cli("peers", "pair", b_addr, "--code", _code(b)).code == 0
        done = b.cli("sync", address)
        assert done.code == 0 and "Uitgewisseld met Dorpshuis A: 2 ontvangen" in done.out, done.out + done.err
        assert "Rijden naar de huisarts" in b.cli("list").out
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=20) == 0
        assert "Gestopt" in child.stdout.read()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
