"""The demo: kept between runs in a fixed folder, no names in its public entries, and a desk to try."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from crypto import vault
from noticeboard.demo import COORDINATOR_PASSPHRASE, KEY_FILE, PRACTICE_VOLUNTEERS, build_demo
from noticeboard.desk.accounts import login_coordinator, login_volunteer
from noticeboard.node import Node
from noticeboard.store import Unlock
from tests.support import run_noticeboard

NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def test_no_public_entry_of_the_demo_carries_a_name_and_the_desk_can_be_tried(tmp_path: Path) -> None:
    key_file = build_demo(tmp_path / "demo", now=NOW)
    with Node.open(tmp_path / "demo", Unlock(key_file_secret=vault.read_key_file(key_file))) as node:
        posts = list(node.store.entries(types=["request", "offer"]))
        assert len(posts) >= 10
        assert not [e.body["title"] for e in posts if "name" in e.body]
        # The sample residents' names stay here, as the contact kept with the centre's own posts.
        kept = [node.store.contact(*e.key) for e in posts if e.author == node.node_id]
        assert any(c and c.name == "Gerda" for c in kept)
        login_coordinator(node.store, COORDINATOR_PASSPHRASE, now=NOW).end()
        for number, (_, pin) in enumerate(PRACTICE_VOLUNTEERS, 1):
            login_volunteer(node.store, number, pin, now=NOW).end()


def test_demo_keeps_its_board_in_a_fixed_folder_and_says_how_to_try_the_desk(tmp_path: Path) -> None:
    env = {"NOTICEBOARD_HOME": str(tmp_path / "home")}
    first = run_noticeboard("demo", "--no-open", env=env)
    assert first.returncode == 0, first.stderr
    folder = tmp_path / "home" / "demo"
    assert str(folder) in first.stdout
    assert COORDINATOR_PASSPHRASE in first.stdout and "1 4821" in first.stdout and "2 7395" in first.stdout
    listed = run_noticeboard("--data-dir", str(folder), "--key-file", str(folder / KEY_FILE), "list", "--json")
    refs = {p["ref"] for p in json.loads(listed.stdout)}
    again = run_noticeboard("demo", "--no-open", env=env)
    assert again.returncode == 0 and str(folder) in again.stdout
    relisted = run_noticeboard("--data-dir", str(folder), "--key-file", str(folder / KEY_FILE), "list", "--json")
    assert {p["ref"] for p in json.loads(relisted.stdout)} == refs
