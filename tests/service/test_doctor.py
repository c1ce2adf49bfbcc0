"""Acceptance: `noticeboard doctor` names each failure it checks and says what to do, in Dutch or English."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from noticeboard.clock import utcnow
from sync import doctor
from sync.server import start_server, stop_server
from tests.service.helpers import centre, pair
from tests.service.netns import linked_places
from tests.support import NodeDir

ROOT = Path(__file__).resolve().parents[2]


def _config(nd: NodeDir, port: int = 0, interfaces: str = "127.0.0.1") -> Path:
    path = nd.data_dir / "config.toml"
    path.write_text(f'[sync]\nlisten = "127.0.0.1"\nport = {port}\n[mdns]\ninterfaces = ["{interfaces}"]\n')
    return path


def test_a_healthy_node_passes_every_check(node_dir: NodeDir) -> None:
    _config(node_dir)
    result = node_dir.cli("doctor")
    assert result.code == 0, result.out
    assert result.out.count("[ goed ]") == 6
    assert "Alles in orde." in result.out
    english = node_dir.cli("--lang", "en", "doctor")
    assert english.code == 0 and "Everything is fine." in english.out


def test_key_file_readable_by_others_is_reported_with_the_fix(node_dir: NodeDir) -> None:
    _config(node_dir)
    node_dir.key_file.chmod(0o644)
    result = node_dir.cli("doctor")
    assert result.code == 1
    assert "[ FOUT ] Het sleutelbestand" in result.out and "door anderen te lezen" in result.out
    assert f"chmod 600 {node_dir.key_file}" in result.out
    english = node_dir.cli("--lang", "en", "doctor")
    assert "can be read by others" in english.out and "What to do: make it readable by its owner only" in english.out


def test_port_in_use_by_another_program_is_reported(node_dir: NodeDir) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        _config(node_dir, port=port)
        result = node_dir.cli("--lang", "en", "doctor")
    assert result.code == 1
    assert f"[ FAIL ] Port {port} is in use by another program." in result.out
    assert "sudo ss -ltnp" in result.out


def test_damaged_database_is_reported(node_dir: NodeDir, tmp_path: Path) -> None:
    db = node_dir.data_dir / "noticeboard.db"
    copy = tmp_path / "damaged.db"
    shutil.copy(db, copy)
    data = bytearray(copy.read_bytes())
    page = 4096
    for offset in range(2 * page + 100, min(len(data), 6 * page), 7):
        data[offset] ^= 0x5A
    copy.write_bytes(bytes(data))
    finding = doctor.check_database(copy)
    assert not finding.ok and finding.key == "doctor.database.damaged"
    assert doctor.check_database(db).ok
    assert doctor.check_database(tmp_path / "none.db").key == "doctor.database.missing"


def test_disk_nearly_full_is_reported(node_dir: NodeDir) -> None:
    total = shutil.disk_usage(node_dir.data_dir).total
    finding = doctor.check_disk(node_dir.data_dir, min_free=total + 1)
    assert not finding.ok and finding.key == "doctor.disk.full"
    assert doctor.check_disk(node_dir.data_dir, min_free=1, min_fraction=0).ok


async def test_clock_far_off_against_a_paired_peers_date_header(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pair(a, b, address_of_b=f"127.0.0.1:{port}")
    node_b = b.open()
    runner = await start_server(node_b, "127.0.0.1", port)
    db = a.data_dir / "noticeboard.db"
    try:
        dates = await asyncio.to_thread(doctor.peer_dates, db)
    finally:
        await stop_server(runner)
        node_b.close()
    assert len(dates) == 1
    assert doctor.check_clock(db, dates=dates).ok
    off = doctor.check_clock(db, utcnow() + dt.timedelta(minutes=42), dates=dates)
    assert not off.ok and off.key == "doctor.clock.peer_differs" and off.values["n"] in (41, 42, 43)


def test_clock_reset_or_behind_our_own_entries_is_reported(node_dir: NodeDir) -> None:
    db = node_dir.data_dir / "noticeboard.db"
    reset = doctor.check_clock(db, dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dates=[])
    assert reset.key == "doctor.clock.reset"
    behind = doctor.check_clock(db, utcnow() - dt.timedelta(days=1), dates=[])
    assert behind.key == "doctor.clock.behind_own"


def test_mdns_without_an_address_is_reported(node_dir: NodeDir) -> None:
    _config(node_dir, interfaces="nosuch0")
    result = node_dir.cli("doctor")
    assert result.code == 1
    assert "Geen netwerkadres gevonden voor mDNS (nosuch0)" in result.out
    assert "USB-stick" in result.out


def test_mdns_not_configured_is_reported(node_dir: NodeDir) -> None:
    (node_dir.data_dir / "config.toml").write_text('[sync]\nlisten = "127.0.0.1"\nport = 0\n')
    result = node_dir.cli("--lang", "en", "doctor")
    assert result.code == 1
    assert "It is not set where this noticeboard looks for other centres" in result.out
    assert 'interfaces = ["auto"]' in result.out


@pytest.mark.netns
def test_multicast_off_or_link_down_is_reported_inside_a_namespace(tmp_path: Path) -> None:
    nd = centre(tmp_path, "Buurthuis Ezinge", 644)
    with linked_places(1) as (place,):
        assert place.namespace is not None, "tests run as root: the namespace path must run"
        config = nd.data_dir / "config.toml"
        config.write_text(f'[sync]\nlisten = "{place.address}"\nport = 0\n[mdns]\ninterfaces = ["{place.address}"]\n')
        argv = [str(Path(sys.executable).with_name("noticeboard")), "--lang", "en", "--data-dir", str(nd.data_dir),
                "--key-file", str(nd.key_file), "doctor"]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}

        def run() -> subprocess.CompletedProcess[str]:
            return subprocess.run(place.command(argv), capture_output=True, text=True, timeout=60, env=env)

        assert run().returncode == 0
        device = subprocess.run(["ip", "-n", place.namespace, "-o", "-4", "addr", "show", "to", place.address],
                                capture_output=True, text=True, check=True).stdout.split()[1]
        subprocess.run(["ip", "-n", place.namespace, "link", "set", device, "multicast", "off"], check=True)
        off = run()
        assert off.returncode == 1
        assert f"Multicast is switched off on network interface {device}." in off.stdout
        assert f"sudo ip link set dev {device} multicast on" in off.stdout
        subprocess.run(["ip", "-n", place.namespace, "link", "set", device, "multicast", "on"], check=True)
        subprocess.run(["ip", "-n", place.namespace, "link", "set", device, "down"], check=True)
        down = run()
        assert down.returncode == 1
        assert f"does not get through on {place.address}" in down.stdout
        assert "static_peers" in down.stdout


def test_every_check_has_a_finding_text_and_a_what_to_do_text_in_both_languages() -> None:
    from noticeboard.i18n import catalog

    texts = catalog()
    keys = [k for k in texts if k.startswith("doctor.") and k.count(".") >= 2]
    problems = [k for k in keys if not k.endswith((".ok", ".todo"))]
    assert len(problems) >= 12
    for key in problems:
        assert key + ".todo" in texts, key
        for dutch, english in (texts[key], texts[key + ".todo"]):
            assert dutch and english and dutch != english
