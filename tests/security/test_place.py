"""Attack 9 of issue 14: a paired peer moves its own place to get posts meant for elsewhere."""

from __future__ import annotations

from pathlib import Path

from noticeboard.geo import Place
from noticeboard.node import Profile
from tests.desk.fixtures import PASSPHRASE, make_desk_node
from tests.service.helpers import node_id, pair
from tests.support import NodeDir, run_noticeboard


def carry(source: NodeDir, target: NodeDir, path: Path) -> None:
    """A bundle from one desk centre to the other, with the real CLI (the coordinator at both)."""
    env = {"NOTICEBOARD_PASSPHRASE": PASSPHRASE}
    for nd, action in ((source, "export"), (target, "import")):
        done = run_noticeboard("--data-dir", str(nd.data_dir), "--key-file", str(nd.key_file), "bundle", action,
                               str(path), env=env)
        assert done.returncode == 0, done.stdout + done.stderr


def village_of(nd: NodeDir, author: str) -> str:
    with nd.open() as node:
        profile = node.node_profile(author)
        assert profile is not None
        return str(profile.body["place"]["village"])


def test_a_moved_place_waits_for_the_coordinator(tmp_path: Path) -> None:
    a = make_desk_node(tmp_path / "a", "Dorpshuis Ezinge", "Ezinge", 5332, 644)
    b = make_desk_node(tmp_path / "b", "Dorpshuis Garnwerd", "Garnwerd", 5333, 650)
    pair(a, b)
    with b.open() as node:
        profile = node.profile()
        node.publish_profile(Profile(profile.name, Place("Groningen", 5322, 657), profile.phone, profile.hours))
        b_id = node.node_id
    carry(b, a, tmp_path / "b.bundle")
    assert village_of(a, b_id) == "Garnwerd"  # held, not applied
    env = {"NOTICEBOARD_PASSPHRASE": PASSPHRASE}
    args = ("--data-dir", str(a.data_dir), "--key-file", str(a.key_file))
    listed = run_noticeboard(*args, "peers", "list", env=env)
    assert listed.returncode == 0, listed.stderr
    assert "Dorpshuis Garnwerd geeft zich een nieuwe plaats" in listed.stdout and "Groningen" in listed.stdout
    moved = run_noticeboard(*args, "peers", "move", node_id(b), env=env)
    assert moved.returncode == 0, moved.stderr
    assert village_of(a, b_id) == "Groningen"
    assert "nieuwe plaats" not in run_noticeboard(*args, "peers", "list", env=env).stdout
