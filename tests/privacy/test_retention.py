"""Retention: after the period, closed requests and matches hold no name, contact or free text; stats unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from crypto import vault
from noticeboard.desk import cards, stats
from noticeboard.privacy import retention
from noticeboard.store import Unlock
from tests.desk.fixtures import PASSPHRASE, T0, make_desk_node
from tests.privacy.helpers import ANNA, data_key, sealed_rows
from tests.privacy.village import live_a_year

STAFF = {"NOTICEBOARD_PASSPHRASE": PASSPHRASE}


def _plaintext(data_dir: Path) -> bytes:
    cipher = vault.RowCipher(data_key(data_dir, _unlock(data_dir)))
    return b"\n".join(cipher.open(identity, blob) for _, identity, blob in sealed_rows(data_dir))


def _unlock(data_dir: Path) -> Unlock:
    return Unlock(key_file_secret=vault.read_key_file(data_dir / "node.key"))


def test_old_closed_requests_and_matches_keep_only_what_statistics_need(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    later = T0 + dt.timedelta(days=400)
    with nd.open() as node:
        history = live_a_year(node)
        v = history.village
        figures_before = stats.to_csv(stats.compute(node, now=later))
    cli_before = nd.cli("stats", "--csv", env=STAFF)
    assert cli_before.code == 0, cli_before.err
    private = [b"Melk, brood en de krant", b"Koffie en een praatje", b"0594-111111", b"Hoofdstraat 1",
               b"Kerkpad 3", b"slechtziend", b"Ans was erg blij", ANNA.phone.encode(), ANNA.name.encode(),
               b"Ik kom langs", b"Boodschappen op dinsdag", b"Zorgen om het geheugen"]
    assert all(p in _plaintext(nd.data_dir) for p in private)

    with nd.open() as node:
        # Within the period nothing closed is touched (health of closed requests always goes).
        early = retention.run_retention(node, T0 + dt.timedelta(days=30))
        assert (early.matches, early.cards) == (0, 0)
        report = retention.run_retention(node, later)
        assert report.matches == 2 and report.cards == 2 and early.posts + report.posts >= 3
        assert retention.run_retention(node, later).total == 0
        conn = node.store.db.conn
        assert conn.execute("SELECT COUNT(*) FROM desk_matches WHERE sealed IS NOT NULL").fetchone()[0] == 0
        kept = conn.execute("SELECT village, category, proposed_at, done_at FROM desk_matches ORDER BY id").fetchall()
        assert {(k[0], k[1]) for k in kept} == {("Ezinge", "boodschappen")} and all(k[2] and k[3] for k in kept)
        assert conn.execute("SELECT COUNT(*) FROM contacts").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM health_notes").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM consents").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM desk_flags").fetchone()[0] == 0 and report.flags == 1
        assert stats.to_csv(stats.compute(node, now=later)) == figures_before
        helpers = {p.first_name for p in cards.load_all(node.store)}
        assert helpers == {v.bram.first_name, v.carla.first_name, v.dirk.first_name, v.eva.first_name}
    plain = _plaintext(nd.data_dir)
    for text in private:
        assert text not in plain, text
    cli_after = nd.cli("stats", "--csv", env=STAFF)
    assert cli_after.out == cli_before.out
    summary_before = nd.cli("--lang", "en", "stats", env=STAFF)
    assert summary_before.code == 0


def test_the_period_is_configurable_from_the_command_line(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    result = nd.cli("--lang", "en", "privacy", "retention", "--months", "6")
    assert result.code == 0, result.err
    assert result.out.startswith("Retention period 6 months")
    register = nd.cli("--lang", "en", "privacy")
    assert "Retention after closing: 6 months" in register.out
    refused = nd.cli("--lang", "en", "privacy", "retention", "--months", "0")
    assert refused.code != 0 and refused.err.strip() == "The retention period is at least 1 month."
