"""Acceptance: two services that share only a folder (no network, no command typed) exchange a new entry."""

from __future__ import annotations

import time
from pathlib import Path

from sync.bundle import read_bundle
from sync.dropfolder import DropFolder, own_name
from tests.service.helpers import centre, has_entry, node_id, pair, post
from tests.service.running import serve, wait_until, write_config

INTERVAL = 4.0


def own_name_of(nd) -> str:
    """The bundle file name a node uses in a drop folder."""
    with nd.open() as node:
        return own_name(node)


def test_two_services_sharing_only_a_folder_exchange_a_new_entry_within_one_interval(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    pair(a, b)  # paired once (codes compared on the phone); no address known anywhere
    shared = tmp_path / "Syncthing" / "buurthulp"
    shared.mkdir(parents=True)
    extra = f'drop_folder = "{shared}"\n'
    # Servers on loopback only; with mDNS off and no address known they cannot meet over the network.
    write_config(a, listen="127.0.0.1", interval=INTERVAL, extra=extra)
    write_config(b, listen="127.0.0.1", interval=INTERVAL, extra=extra)
    served = [serve(a, None, tmp_path / "a.log", "--no-discovery"), serve(b, None, tmp_path / "b.log", "--no-discovery")]
    try:
        wait_until(lambda: len(list(shared.glob("*.bundle"))) == 2, 10, "both services to leave their bundle")
        wanted = post(a, "Boodschappen halen")
        posted = time.monotonic()
        wait_until(lambda: has_entry(b, node_id(a), wanted), INTERVAL, "the entry to reach B by the folder")
        print(f"entry went A -> folder -> B in {time.monotonic() - posted:.2f} s (interval {INTERVAL} s)")
        answer = post(b, "Heg knippen")
        wait_until(lambda: has_entry(a, node_id(b), answer), INTERVAL, "B's entry to reach A by the folder")
    finally:
        for s in served:
            s.stop()
    status = b.cli("--lang", "en", "status").out
    assert "Buurthuis Ezinge: paired" in status and "last success: never" not in status, status
    logs = served[0].logs() + served[1].logs()
    assert "event=sync_ok" not in logs  # nothing went over the network
    assert "drop folder: imported bundle" in logs


def test_a_bundle_still_being_copied_is_taken_in_as_far_as_it_verifies_and_again_when_whole(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    pair(a, b)
    first, second = post(a, "Eerste"), post(a, "Tweede")
    stick = tmp_path / "usb"
    stick.mkdir()
    with a.open() as node:
        DropFolder(node, tmp_path / "a-out").write_out()
    data = (tmp_path / "a-out" / own_name_of(a)).read_bytes()
    partial = stick / own_name_of(a)
    partial.write_bytes(data[: data.index(second.encode()) + 5])
    with b.open() as node:
        drop = DropFolder(node, stick)
        result = drop.scan_in()
        assert len(result.imported) == 1 and not result.imported[0].complete
        assert node.store.get(node_id(a), first) is not None
        assert node.store.get(node_id(a), second) is None
        partial.write_bytes(data)
        assert drop.scan_in().imported[0].intact
        assert node.store.get(node_id(a), second) is not None
        assert drop.scan_in().imported == []  # unchanged bytes: not read again
    assert read_bundle(data).intact
