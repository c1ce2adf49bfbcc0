"""deploy/: the install script in a scratch root, the systemd units, and the operator's guide."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from crypto import vault
from noticeboard.cli import build_parser
from sync.config import load

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
GUIDE = ROOT / "docs" / "operators-guide.md"


def _install(destdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(DEPLOY / "install.sh"), "--destdir", str(destdir), "--no-venv", *args],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "DESTDIR": ""})


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_install_script_in_a_scratch_root_is_complete_and_idempotent(tmp_path: Path) -> None:
    first = _install(tmp_path, "--kiosk")
    assert first.returncode == 0, first.stderr
    etc, units = tmp_path / "etc" / "noticeboard", tmp_path / "etc" / "systemd" / "system"
    assert _mode(etc) == 0o750
    assert _mode(tmp_path / "var" / "lib" / "noticeboard") == 0o700
    assert _mode(etc / "config.toml") == 0o640
    key = etc / "noticeboard-key"
    assert _mode(key) == 0o600
    assert len(vault.read_key_file(key)) == 32
    config = load(etc / "config.toml", env={})
    assert config.drop_folder == Path("/var/lib/noticeboard/drop") and config.port == 8443
    for unit in ("noticeboard", "noticeboard-kiosk"):
        assert (units / f"{unit}.service").read_bytes() == (DEPLOY / "systemd" / f"{unit}.service").read_bytes()
        assert "LoadCredential=noticeboard-key:/etc/noticeboard/noticeboard-key" in (
            units / f"{unit}.service.d" / "key.conf").read_text()
    wrapper = tmp_path / "usr" / "local" / "bin" / "noticeboard"
    assert _mode(wrapper) == 0o755
    # What changes the running system is only printed in a scratch root.
    for shown in ("+ systemctl enable noticeboard.service", "+ systemctl enable noticeboard-kiosk.service",
                  "+ systemctl disable getty@tty1.service", "chown noticeboard:noticeboard"):
        assert shown in first.stdout

    (etc / "config.toml").write_text('[sync]\nport = 9000\n')
    secret = key.read_bytes()
    again = _install(tmp_path, "--kiosk")
    assert again.returncode == 0, again.stderr
    assert load(etc / "config.toml", env={}).port == 9000  # the operator's settings are kept
    assert key.read_bytes() == secret  # and the key, or the node would no longer open


def test_touch_install_sets_up_the_web_kiosk_and_a_locked_browser_on_the_screen(tmp_path: Path) -> None:
    result = _install(tmp_path, "--touch")
    assert result.returncode == 0, result.stderr
    units = tmp_path / "etc" / "systemd" / "system"
    for unit in ("noticeboard-web", "noticeboard-screen"):
        assert (units / f"{unit}.service").read_bytes() == (DEPLOY / "systemd" / f"{unit}.service").read_bytes()
    # The server opens the node (its key as a credential); the browser's user gets no key at all.
    assert "LoadCredential=noticeboard-key:" in (units / "noticeboard-web.service.d" / "key.conf").read_text()
    assert not (units / "noticeboard-screen.service.d").exists()
    policy = json.loads((tmp_path / "etc" / "chromium" / "policies" / "managed" / "noticeboard-kiosk.json")
                        .read_text())
    assert policy["URLBlocklist"] == ["*"] and policy["DeveloperToolsAvailability"] == 2
    for shown in ("apt-get install -y --no-install-recommends cage chromium fonts-noto-color-emoji",
                  "useradd --system --user-group --home-dir /var/lib/noticeboard-screen",
                  "+ systemctl disable getty@tty1.service", "+ systemctl disable noticeboard-kiosk.service",
                  "+ systemctl enable noticeboard-web.service noticeboard-screen.service"):
        assert shown in result.stdout, shown
    assert "enable noticeboard-kiosk.service" not in result.stdout


def test_the_locked_browser_shows_only_the_web_kiosks_own_address() -> None:
    web = (DEPLOY / "systemd" / "noticeboard-web.service").read_text()
    screen = (DEPLOY / "systemd" / "noticeboard-screen.service").read_text()
    exec_start = re.search(r"^ExecStart=\S+ (.+)$", web, re.MULTILINE)
    assert exec_start
    args = build_parser().parse_args(shlex.split(exec_start.group(1)))
    assert args.web and args.kiosk_mode
    page = f"http://127.0.0.1:{args.port}"
    browser = " ".join(screen.split("ExecStart=", 1)[1].split("\nRestart=")[0].replace("\\\n", " ").split())
    assert browser.startswith("/usr/bin/cage -d -- /usr/bin/chromium --kiosk ")
    assert f"--app={page}/" in browser.split()
    # The start waits for this port, and the managed policy lets the browser open that address only.
    assert f"/dev/tcp/127.0.0.1/{args.port}" in screen
    policy = json.loads((DEPLOY / "chromium" / "noticeboard-kiosk.json").read_text())
    assert policy["URLAllowlist"] == [page]
    assert "User=noticeboard-screen" in screen and "Conflicts=getty@tty1.service noticeboard-kiosk.service" in screen


def test_the_terminal_and_the_touch_kiosk_are_not_installed_together(tmp_path: Path) -> None:
    result = _install(tmp_path, "--kiosk", "--touch")
    assert result.returncode == 2 and "choose one" in result.stderr
    assert not (tmp_path / "etc").exists()


def test_dry_run_changes_nothing_and_shows_every_step(tmp_path: Path) -> None:
    result = _install(tmp_path / "root", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "root").exists()
    for shown in ("install -d -m 0700", "config.toml", "noticeboard-key", "noticeboard.service", "daemon-reload"):
        assert shown in result.stdout


def test_encrypting_the_key_before_the_node_exists_is_refused(tmp_path: Path) -> None:
    result = _install(tmp_path, "--encrypt-key")
    assert result.returncode == 1 and "noticeboard init" in result.stderr
    assert not (tmp_path / "etc").exists()


def test_encrypting_the_key_after_init_switches_both_units_to_the_encrypted_credential(tmp_path: Path) -> None:
    assert _install(tmp_path).returncode == 0
    (tmp_path / "var" / "lib" / "noticeboard" / "noticeboard.db").write_bytes(b"")  # as after `noticeboard init`
    result = _install(tmp_path, "--encrypt-key")
    assert result.returncode == 0, result.stderr
    # systemd-creds comes with systemd 250+ (Debian 12, Raspberry Pi OS bookworm); older: the plain credential.
    encrypted = shutil.which("systemd-creds") is not None
    assert ("+ systemd-creds encrypt --name=noticeboard-key /etc/noticeboard/noticeboard-key" in result.stdout) \
        == encrypted
    expected = ("LoadCredentialEncrypted=noticeboard-key:/etc/noticeboard/noticeboard-key.cred" if encrypted
                else "LoadCredential=noticeboard-key:/etc/noticeboard/noticeboard-key")
    units = tmp_path / "etc" / "systemd" / "system"
    for unit in ("noticeboard", "noticeboard-kiosk"):
        assert expected in (units / f"{unit}.service.d" / "key.conf").read_text()


def test_unknown_option_is_refused() -> None:
    result = subprocess.run(["bash", str(DEPLOY / "install.sh"), "--frobnicate"], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 2 and "unknown option" in result.stderr


def test_scripts_are_valid_shell() -> None:
    assert subprocess.run(["bash", "-n", str(DEPLOY / "install.sh")], capture_output=True).returncode == 0
    assert subprocess.run(["sh", "-n", str(DEPLOY / "noticeboard-wrapper.sh")], capture_output=True).returncode == 0
    text = (DEPLOY / "install.sh").read_text()
    assert "set -euo pipefail" in text
    # shellcheck is not part of the project's dependencies; where it is installed, it must be clean.
    if shutil.which("shellcheck"):
        lint = subprocess.run(["shellcheck", str(DEPLOY / "install.sh"), str(DEPLOY / "noticeboard-wrapper.sh")],
                              capture_output=True, text=True, timeout=60)
        assert lint.returncode == 0, lint.stdout


@pytest.mark.parametrize("key_conf", ["key-plain.conf", "key-encrypted.conf"])
def test_units_pass_systemd_analyze_verify(tmp_path: Path, key_conf: str) -> None:
    analyze = shutil.which("systemd-analyze")
    assert analyze is not None, "systemd-analyze is part of systemd, present on Debian and in CI"
    exe = Path(sys.executable).with_name("noticeboard")
    shipped = ("noticeboard.service", "noticeboard-kiosk.service", "noticeboard-web.service",
               "noticeboard-screen.service")
    for unit in shipped:
        text = (DEPLOY / "systemd" / unit).read_text()
        # Point at the programs as installed here (cage is not, in CI: any program stands in for it);
        # everything else is verified as shipped.
        text = text.replace("/opt/noticeboard/venv/bin/noticeboard", str(exe)).replace("/usr/bin/cage", "/bin/true")
        (tmp_path / unit).write_text(text)
        if unit != "noticeboard-screen.service":
            (tmp_path / f"{unit}.d").mkdir()
            shutil.copy(DEPLOY / "systemd" / key_conf, tmp_path / f"{unit}.d" / "key.conf")
    result = subprocess.run([analyze, "verify", *(str(tmp_path / unit) for unit in shipped)],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "SYSTEMD_UNIT_PATH": f"{tmp_path}:"})
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


def _guide_commands() -> list[str]:
    lines = []
    in_block = False
    for line in GUIDE.read_text().splitlines():
        if line.startswith("```"):
            in_block = not in_block
            continue
        if in_block:
            command = line.split("#")[0].strip()
            if command.startswith(("noticeboard ", "sudo noticeboard ")):
                lines.append(command.removeprefix("sudo "))
    return lines


def test_every_command_in_the_operators_guide_is_accepted_by_the_real_parser() -> None:
    commands = _guide_commands()
    assert len(commands) >= 15
    parser = build_parser()
    for command in commands:
        argv = shlex.split(command)[1:]
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            try:
                args = parser.parse_args(argv)
            except SystemExit as exc:
                raise AssertionError(f"the guide shows `{command}`, which the CLI refuses: {err.getvalue()}") from exc
        assert getattr(args, "func", None) is not None, command


def test_commands_named_in_the_guides_text_exist() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    known = set(sub.choices)  # type: ignore[union-attr]
    named = set(re.findall(r"(?:sudo |`)noticeboard ([a-z][a-z-]*)", GUIDE.read_text()))
    assert named and named <= known, named - known
    units = (DEPLOY / "systemd" / "noticeboard.service").read_text()
    exec_start = re.search(r"^ExecStart=\S+ (.+)$", units, re.MULTILINE)
    assert exec_start and parser.parse_args(shlex.split(exec_start.group(1))).func
