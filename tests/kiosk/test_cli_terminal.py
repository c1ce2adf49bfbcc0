"""The real `noticeboard kiosk` and `noticeboard demo` in a pseudo-terminal, as the kiosk set-up runs them."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from noticeboard.app.kiosk.faults import FAULT_ENV
from tests.support import make_node

ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[PX^_].*?\x1b\\|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
DEADLINE = 30.0
F12 = "\x1b[24~"
F10 = "\x1b[21~"


class Terminal:
    """A child process on a pseudo-terminal of 100x34; what it drew, without escape codes."""

    def __init__(self, *args: str, cwd: Path, env: dict[str, str] | None = None) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 34, 100, 0, 0))
        full = {**os.environ, "TERM": "xterm-256color", "NOTICEBOARD_LANG": "nl", "COLUMNS": "100", "LINES": "34",
                **(env or {})}
        full.pop("TEXTUAL", None)
        exe = Path(sys.executable).with_name("noticeboard")
        self.proc = subprocess.Popen([str(exe), *args], stdin=slave, stdout=slave, stderr=slave, env=full, cwd=cwd,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.master = master
        self.seen = ""
        # Everything ever drawn, to show that no log line reached the screen.
        self.drawn = ""

    def read_until(self, text: str) -> None:
        """Read the screen output until text appears (or fail after the deadline)."""
        end = time.monotonic() + DEADLINE
        while text not in ANSI.sub("", self.seen).replace("\n", " "):
            left = end - time.monotonic()
            assert left > 0 and self.proc.poll() is None, f"{text!r} never appeared"
            ready, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if ready:
                try:
                    chunk = os.read(self.master, 65536).decode("utf-8", "replace")
                    self.seen += chunk
                    self.drawn += chunk
                except OSError:  # EIO: the child closed its terminal; the assert above reports it
                    break
        self.seen = ""

    def send(self, keys: str) -> None:
        """Type keys as the keyboard would."""
        os.write(self.master, keys.encode())

    def wait_exit(self) -> int:
        """Drain the output until the child ends; its exit code."""
        end = time.monotonic() + DEADLINE
        while self.proc.poll() is None and time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    os.read(self.master, 65536)
                except OSError:  # EIO: the child closed its terminal, it is ending
                    break
        return self.proc.wait(timeout=5)

    def close(self) -> None:
        """End the child if a failed test left it running."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


def test_kiosk_mode_ignores_quit_keys_in_a_real_terminal_and_the_pin_leaves(tmp_path: Path) -> None:
    node = make_node(tmp_path)
    base = ["--data-dir", str(node.data_dir), "--key-file", str(node.key_file)]
    done = subprocess.run([str(Path(sys.executable).with_name("noticeboard")), *base, "kiosk", "--set-exit-pin"],
                          env={**os.environ, "NOTICEBOARD_KIOSK_PIN": "4821", "NOTICEBOARD_LANG": "nl"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    term = Terminal(*base, "kiosk", "--kiosk-mode", cwd=tmp_path)
    try:
        term.read_until("Ik zoek hulp")
        # Ctrl+Q, Ctrl+C, Ctrl+Z, Ctrl+\ and Ctrl+P; then "3": the board opening proves the app
        # took every one of them in order and is still running.
        term.send("\x11\x03\x1a\x1c\x10")
        term.send("3")
        term.read_until("Zoeken")
        assert term.proc.poll() is None
        term.send("\x1b")
        term.read_until("Ik zoek hulp")
        term.send(F12)
        term.read_until("PIN")
        term.send("0000\r")
        term.read_until("klopt niet")
        term.send("4821\r")
        assert term.wait_exit() == 0
    finally:
        term.close()


def set_pin(base: list[str], pin: str) -> None:
    """`noticeboard kiosk --set-exit-pin` as staff run it."""
    done = subprocess.run([str(Path(sys.executable).with_name("noticeboard")), *base, "kiosk", "--set-exit-pin"],
                          env={**os.environ, "NOTICEBOARD_KIOSK_PIN": pin, "NOTICEBOARD_LANG": "nl"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_kiosk_mode_starts_afresh_after_an_error_and_locks_the_exit_pin_in_a_real_terminal(tmp_path: Path) -> None:
    node = make_node(tmp_path)
    base = ["--data-dir", str(node.data_dir), "--key-file", str(node.key_file)]
    set_pin(base, "4821")
    # The test-only hook: "3 Bekijk het prikbord" raises inside the screen's action.
    term = Terminal(*base, "kiosk", "--kiosk-mode", cwd=tmp_path, env={FAULT_ENV: "board"})
    try:
        term.read_until("Ik zoek hulp")
        term.send("3")
        term.read_until("Er ging iets mis. We beginnen opnieuw.")
        term.send("\x11\x03\x1a\x1c\x10\x1b" + F10)
        term.send("1")
        term.read_until("Waar zoekt u hulp bij?")
        term.send("\x1b")
        term.read_until("Ik zoek hulp")
        term.send(F12)
        term.read_until("PIN")
        for said in [*(f"Nog {n} keer" for n in (4, 3, 2, 1)), "Wacht 5 minuten", "Wacht 10 minuten",
                     "Wacht 20 minuten", "Wacht 40 minuten", "Wacht 80 minuten", "Wacht 3 uur"]:
            term.send("1111\r")
            term.read_until(said)
        # While it waits the right PIN is not even checked.
        term.send("4821\r")
        term.read_until("Wacht 6 uur")
        time.sleep(1)
        assert term.proc.poll() is None
        assert "unexpected" not in term.drawn and "Traceback" not in term.drawn
        logged = (node.data_dir / "logs" / "kiosk.log").read_text()
        assert "kiosk: unexpected InjectedFault" in logged
    finally:
        term.close()


def test_demo_opens_the_kiosk_on_the_demo_board(tmp_path: Path) -> None:
    term = Terminal("--data-dir", str(tmp_path / "demo"), "demo", cwd=tmp_path)
    try:
        term.read_until("Ik zoek hulp")
        term.send("3")
        term.read_until("Zoeken")
        term.send("\x1b")
        term.read_until("Ik zoek hulp")
        term.send("\x11")  # not in kiosk mode: Ctrl+Q leaves
        assert term.wait_exit() == 0
    finally:
        term.close()
