"""USB bundles: export at one centre, import at another with no network between them."""

from __future__ import annotations

from pathlib import Path

import pytest

from noticeboard import entry as entries
from sync.bundle import BundleError, export_bundle, import_bundle, read_bundle, resolve_recipients
from tests.service.helpers import centre, has_entry, node_id, pair, post


@pytest.fixture
def trio(tmp_path: Path):
    """A, C and D: C and D trust A (paired), none of them share a network."""
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    c = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    d = centre(tmp_path, "Kerkje Feerwerd", 640)
    pair(a, c)
    pair(a, d)
    return a, c, d


def _export(nd, path: Path, **kwargs):
    with nd.open() as node:
        recipients = resolve_recipients(node, kwargs.pop("names", []))
        return export_bundle(node, path, recipients=recipients, **kwargs)


def _import(nd, path: Path):
    with nd.open() as node:
        return import_bundle(node, path)


def _last_seq(nd) -> int:
    with nd.open() as node:
        return node.store.last_seq


def test_bundle_from_a_brings_its_new_entries_to_c_and_reimport_changes_nothing(trio, tmp_path: Path) -> None:
    a, c, _ = trio
    ids = [post(a, "Boodschappen halen"), post(a, "Heg knippen")]
    stick = tmp_path / "usb" / "ezinge.bundle"
    written = _export(a, stick)
    assert written.count >= 2
    assert not any(has_entry(c, node_id(a), i) for i in ids)

    first = _import(c, stick)
    assert first.intact
    assert first.report.applied >= 2
    assert all(has_entry(c, node_id(a), i) for i in ids)

    seq = _last_seq(c)
    again = _import(c, stick)
    assert again.intact and again.report.applied == 0
    assert again.report.unchanged == first.report.received - first.report.refused_total
    assert _last_seq(c) == seq


def test_since_last_carries_only_what_changed_since_the_previous_bundle(trio, tmp_path: Path) -> None:
    a, c, _ = trio
    post(a, "Eerste")
    _export(a, tmp_path / "one.bundle", names=[node_id(c)], since_last=True)
    newer = post(a, "Tweede")
    second = _export(a, tmp_path / "two.bundle", names=[node_id(c)], since_last=True)
    contents = read_bundle((tmp_path / "two.bundle").read_bytes())
    assert second.count == 1
    assert [entries.decode(line).id for line in contents.lines] == [newer]


def test_every_flipped_byte_is_refused_or_imports_only_what_verifies(trio, tmp_path: Path) -> None:
    a, _c, _ = trio
    post(a, "Boodschappen halen")
    good = tmp_path / "good.bundle"
    _export(a, good)
    data = good.read_bytes()
    original = set(read_bundle(data).lines)
    # Every byte of the header and trailer, and a spread through the entries.
    positions = sorted(set(range(0, data.index(b"\n") + 1)) | set(range(len(data) - 140, len(data)))
                       | set(range(0, len(data), 23)))
    outcomes = {"refused": 0, "partial": 0}
    for pos in positions:
        bad = bytearray(data)
        bad[pos] ^= 0x01
        try:
            contents = read_bundle(bytes(bad))
        except BundleError:
            outcomes["refused"] += 1
            continue
        assert not contents.intact, f"flip at {pos} went unnoticed"
        for line in contents.lines:
            if line not in original:
                with pytest.raises(entries.EntryError):
                    entries.check_signature(entries.decode(line))
        outcomes["partial"] += 1
    assert outcomes["refused"] > 0 and outcomes["partial"] > 0


def test_flipped_byte_in_an_entry_imports_the_others_with_a_clear_message(trio, tmp_path: Path) -> None:
    a, c, _ = trio
    spoiled = post(a, "Boodschappen halen")
    kept = post(a, "Heg knippen")
    path = tmp_path / "ezinge.bundle"
    _export(a, path)
    data = path.read_bytes()
    lines = data.split(b"\n")
    row = next(i for i, line in enumerate(lines) if spoiled.encode() in line)
    at = sum(len(line) + 1 for line in lines[:row]) + lines[row].index(b'"title"') + 10
    bad = bytearray(data)
    bad[at] ^= 0x01
    path.write_bytes(bytes(bad))

    result = c.cli("bundle", "import", str(path))
    assert result.code == 1
    assert "beschadigd of veranderd" in result.err
    assert "bad_signature 1" in result.out
    assert has_entry(c, node_id(a), kept)
    assert not has_entry(c, node_id(a), spoiled)


def test_truncated_bundle_says_so_and_keeps_the_entries_before_the_cut(trio, tmp_path: Path) -> None:
    a, c, _ = trio
    first = post(a, "Boodschappen halen")
    last = post(a, "Heg knippen")
    path = tmp_path / "cut.bundle"
    _export(a, path)
    data = path.read_bytes()
    path.write_bytes(data[: data.index(last.encode()) + 20])

    result = c.cli("--lang", "en", "bundle", "import", str(path))
    assert result.code == 1
    assert "not complete" in result.err
    assert has_entry(c, node_id(a), first)
    assert not has_entry(c, node_id(a), last)


def test_sealed_bundle_opens_only_at_its_recipient(trio, tmp_path: Path) -> None:
    a, c, d = trio
    wanted = post(a, "Boodschappen halen")
    path = tmp_path / "for-c.bundle"
    result = a.cli("bundle", "export", str(path), f"--for={node_id(c)}", "--seal")
    assert result.code == 0, result.err
    assert wanted.encode() not in path.read_bytes()

    refused = d.cli("bundle", "import", str(path))
    assert refused.code == 1
    assert "verzegeld voor een ander buurthuis" in refused.err
    assert not has_entry(d, node_id(a), wanted)

    opened = c.cli("bundle", "import", str(path))
    assert opened.code == 0, opened.err
    assert has_entry(c, node_id(a), wanted)

    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    cut = c.cli("--lang", "en", "bundle", "import", str(path))
    assert cut.code == 1 and "sealed bundle is not complete" in cut.err

    data = bytearray(whole)
    data[data.index(b"\n") + 30] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(BundleError) as raised:
        _import(c, path)
    assert raised.value.text_key == "bundle.error.tampered"


def test_bundle_sealed_for_two_centres_opens_at_both(trio, tmp_path: Path) -> None:
    a, c, d = trio
    wanted = post(a, "Boodschappen halen")
    path = tmp_path / "for-c-and-d.bundle"
    assert a.cli("bundle", "export", str(path), f"--for={node_id(c)}", "--for", "Kerkje Feerwerd", "--seal").code == 0
    for nd in (c, d):
        assert nd.cli("bundle", "import", str(path)).code == 0
        assert has_entry(nd, node_id(a), wanted)


def test_untrusted_author_in_a_bundle_is_refused(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    stranger = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    wanted = post(a, "Boodschappen halen")
    path = tmp_path / "a.bundle"
    _export(a, path)
    result = _import(stranger, path)
    assert result.intact
    assert result.report.applied == 0 and result.report.refused["untrusted"] >= 1
    assert not has_entry(stranger, node_id(a), wanted)


def test_not_a_bundle_is_refused_with_a_clear_message(node_dir, tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0 not a bundle\n")
    result = node_dir.cli("bundle", "import", str(path))
    assert result.code == 1
    assert "beschadigd" in result.err or "geen bundel" in result.err


async def test_export_for_a_peer_leaves_out_what_it_confirmed_over_the_network(trio, tmp_path: Path) -> None:
    from sync.replication import LocalTransport, run_round

    a, c, _ = trio
    synced = post(a, "Boodschappen halen")
    with a.open() as node_a, c.open() as node_c:
        await run_round(node_a, node_c.node_id, LocalTransport(node_c, node_a.node_id))
        assert node_c.store.get(node_a.node_id, synced) is not None
    newer = post(a, "Heg knippen")
    path = tmp_path / "for-c.bundle"
    assert a.cli("bundle", "export", str(path), f"--for={node_id(c)}").code == 0
    ids = [entries.decode(line).id for line in read_bundle(path.read_bytes()).lines]
    assert newer in ids and synced not in ids


def test_sealed_drop_folder_bundle_is_skipped_quietly_by_others(trio, tmp_path: Path) -> None:
    from sync.dropfolder import DropFolder

    a, c, _ = trio
    stranger = centre(tmp_path, "Molen Winsum", 646)
    wanted = post(a, "Boodschappen halen")
    folder = tmp_path / "shared"
    with a.open() as node:
        assert DropFolder(node, folder, seal=True).write_out()[0]
    with stranger.open() as node:
        result = DropFolder(node, folder).scan_in()
        assert result.imported == [] and result.unreadable == []
    with c.open() as node:
        assert DropFolder(node, folder).scan_in().imported[0].intact
    assert has_entry(c, node_id(a), wanted)


def _code(nd) -> str:
    with nd.open() as node:
        return node.fingerprint_code


def test_pairing_by_bundle_and_a_code_read_out_over_the_phone(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    c = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    wanted = post(a, "Boodschappen halen")
    path = tmp_path / "ezinge.bundle"
    assert a.cli("bundle", "export", str(path)).code == 0
    code_a, code_c = _code(a), _code(c)

    wrong = c.cli("bundle", "import", str(path), "--pair", code_c)
    assert wrong.code == 1 and "code hoort niet bij" in wrong.err
    assert not has_entry(c, node_id(a), wanted)
    assert "Buurthuis Ezinge" not in c.cli("peers", "list").out

    right = c.cli("bundle", "import", str(path), "--pair", code_a.lower().replace("-", " "))
    assert right.code == 0, right.err
    assert "Gekoppeld met Buurthuis Ezinge" in right.out
    assert has_entry(c, node_id(a), wanted)
    assert "Buurthuis Ezinge" in c.cli("peers", "list").out
