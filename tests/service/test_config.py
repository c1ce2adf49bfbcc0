"""The node's settings file: defaults, the example, checks with clear errors, and what it changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from noticeboard.settings import SettingsError
from noticeboard.supervisor import Supervisor, apply_profile_settings
from sync.config import Config, StaticPeer, from_dict, load, mdns_interfaces
from sync.status import read_status
from tests.support import NodeDir

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "config.example.toml"


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    config = load(tmp_path / "none.toml", env={})
    assert config == Config()
    assert config.port == 8443 and config.sync_interval == 300
    assert config.mdns_interfaces == ()  # mDNS only where someone chose: never all interfaces by accident


def test_the_example_in_deploy_is_valid_and_documents_every_key() -> None:
    config = load(EXAMPLE, env={})
    assert config.name and config.village and config.location
    text = EXAMPLE.read_text()
    for key in ("name", "village", "location", "language", "listen", "port", "interval", "static_peers",
                "drop_folder", "drop_seal", "enabled", "interfaces", "idle_timeout"):
        assert f"{key} =" in text or f"# {key} =" in text, key


def test_static_peers_in_both_forms() -> None:
    config = from_dict({"sync": {"static_peers": ["10.0.0.5:8443", "wierum.example.nl",
                                                  {"address": "[fd00::5]:9000", "node": "KEY"}]}}, env={})
    assert config.static_peers == (StaticPeer("10.0.0.5", 8443), StaticPeer("wierum.example.nl", 8443),
                                   StaticPeer("fd00::5", 9000, "KEY"))
    assert config.static_peers[2].address == "[fd00::5]:9000"


@pytest.mark.parametrize(("data", "fragment"), [
    ({"sync": {"port": "8443"}}, "[sync] port"),
    ({"sync": {"port": True}}, "[sync] port"),
    ({"sync": {"port": 70000}}, "[sync] port"),
    ({"sync": {"interval": 0}}, "[sync] interval"),
    ({"sync": {"static_peers": ["host:notaport"]}}, "static_peers"),
    ({"node": {"language": "de"}}, "[node] language"),
    ({"node": {"location": "Ezinge"}}, "[node] location"),
    ({"mdns": {"interfaces": [1]}}, "[mdns] interfaces"),
    ({"kiosk": {"idle_timeout": -5}}, "[kiosk] idle_timeout"),
    ({"sync": 5}, "[sync] must be a table"),
])
def test_wrong_values_are_named(data: dict, fragment: str) -> None:
    with pytest.raises(SettingsError) as raised:
        from_dict(data, env={})
    assert fragment in raised.value.detail


def test_environment_overrides_mdns_interfaces_and_listen_narrows_auto() -> None:
    assert from_dict({}, env={"NOTICEBOARD_MDNS_INTERFACES": "127.0.0.1, 10.0.0.1"}).mdns_interfaces == (
        "127.0.0.1", "10.0.0.1")
    auto = {"mdns": {"interfaces": ["auto"]}}
    assert mdns_interfaces(from_dict({**auto, "sync": {"listen": "10.1.2.3"}}, env={})) == ("10.1.2.3",)
    assert mdns_interfaces(from_dict(auto, env={})) == ("auto",)
    assert mdns_interfaces(from_dict({}, env={})) == ()


def test_broken_file_gives_a_clear_message_at_serve(node_dir: NodeDir) -> None:
    (node_dir.data_dir / "config.toml").write_text("[sync\nport = 1\n")
    result = node_dir.cli("serve")
    assert result.code == 1
    assert "config.toml klopt niet" in result.err and "TOML" in result.err


async def test_service_runs_inside_a_callers_loop_and_publishes_the_configured_profile(node_dir: NodeDir) -> None:
    config = Config(name="Dorpshuis Nieuwe Naam", village="Garnwerd", location="53.30,6.45", listen="127.0.0.1",
                    port=0, mdns_enabled=False)
    node = node_dir.open()
    try:
        service = Supervisor(node, config)
        await service.start()  # a caller with its own event loop can do this
        assert service.port
        profile = node.profile()
        assert (profile.name, profile.place.village, profile.place.lat_cdeg) == ("Dorpshuis Nieuwe Naam", "Garnwerd",
                                                                                 5330)
        assert read_status(node.store)["running"] is True
        await service.close()
        assert read_status(node.store)["running"] is False
        version = node.profile_entry().version
        assert apply_profile_settings(node, config) is False  # unchanged settings: no new version
        assert node.profile_entry().version == version
    finally:
        node.close()


def test_status_without_a_running_service_in_text_and_json(node_dir: NodeDir) -> None:
    import json

    text = node_dir.cli("--lang", "en", "status")
    assert text.code == 0
    assert "is not running" in text.out and "No other centres seen yet." in text.out
    data = json.loads(node_dir.cli("status", "--json").out)
    assert data["running"] is False and data["peers"] == [] and data["entries"] >= 1


def test_serve_on_a_port_in_use_says_so_and_what_to_do(node_dir: NodeDir) -> None:
    import socket

    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = node_dir.cli("serve", "--host", "127.0.0.1", "--port", str(port), "--no-discovery")
    assert result.code == 1
    assert f"Poort {port} is al in gebruik" in result.err and "noticeboard doctor" in result.err


def test_node_wide_settings_are_read_in_the_core_and_sync_adds_its_own(tmp_path: Path) -> None:
    from noticeboard import settings

    path = tmp_path / "config.toml"
    path.write_text('[node]\nname = "Dorpshuis Wierum"\nlanguage = "en"\n[kiosk]\nidle_timeout = 42\n'
                    '[sync]\nport = 9000\n')
    node_wide = settings.load(path)
    assert (node_wide.name, node_wide.language, node_wide.kiosk_idle_timeout, node_wide.path) == (
        "Dorpshuis Wierum", "en", 42.0, path)
    full = load(path, env={})
    assert isinstance(full, settings.Settings) and full.port == 9000
    assert (full.name, full.language, full.kiosk_idle_timeout) == ("Dorpshuis Wierum", "en", 42.0)
    with pytest.raises(SettingsError) as raised:
        settings.from_dict({"kiosk": {"idle_timeout": "soon"}})
    assert "[kiosk] idle_timeout" in raised.value.detail
