"""The centre's ``stats`` entries: equal to its own statistics, suppressed, published once per change and month.

Erasure, retention and a key hand-over leave them valid: they hold no personal data.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from crypto.identity import NodeKeys
from noticeboard import entry as entries
from noticeboard.clock import utcnow
from noticeboard.desk import accounts, evaluation, stats
from noticeboard.desk.errors import NotAllowed
from noticeboard.geo import Place
from noticeboard.node import Profile
from noticeboard.privacy import handover, person, retention
from noticeboard.settings import Settings, SettingsError
from noticeboard.supervisor import apply_evaluation_settings, housekeeping
from tests.desk.evaluation_support import Work, do_month, own_cells
from tests.desk.fixtures import PASSPHRASE, T0, Village, populate
from tests.support import NodeDir

D = dt.timedelta(days=1)
NOW = T0 + 10 * D
MONTH = "2026-03"


@pytest.fixture
def busy(village: Village) -> Village:
    """March 2026: six done (five helped), one open, one referral, two withdrawn; an offer at the kiosk."""
    do_month(village, T0)
    return village


def test_the_entry_holds_the_centres_own_statistics_summed_and_suppressed(busy: Village) -> None:
    made = evaluation.publish(busy.node, now=NOW)
    assert [e.body["month"] for e in made] == [MONTH]
    body = made[0].body
    assert body["categories"] == own_cells(stats.compute(busy.node, now=NOW), MONTH)
    # requests offers matched done helped feedback repeat referred withdrawn unanswered expired cancelled
    assert body["categories"]["boodschappen"] == [10, 0, 6, 6, 5, 5, "<5", "<5", "<5", "<5", 0, 0]
    assert body["variant"] == {"matching": "desk", "reciprocity": "none", "backup": "none", "place": "unknown",
                               "channels": ["phone"]}
    # Ans and Piotr were helped (two: suppressed); nobody of them gave. Matches came after 2 hours.
    assert body["figures"] == {"residents_helped": "<5", "gave_and_got": 0, "median_hours_to_match": 2}


def test_referrals_and_withdrawn_requests_are_not_unanswered(busy: Village) -> None:
    total = stats.compute(busy.node, now=NOW)[-1]
    # Ten requests: six done, one open (the one unanswered), one referred, two withdrawn (desk, CLI).
    assert (total.counts["referred"], total.counts["withdrawn"], total.counts["unanswered"]) == (1, 2, 1)


def test_each_month_is_published_once_and_again_only_when_its_figures_change(busy: Village) -> None:
    first = evaluation.publish(busy.node, now=NOW)
    assert evaluation.publish(busy.node, now=NOW + D) == []
    do_month(busy, T0 + 12 * D, "tuin", Work(done=5, helped=0), tag="b")
    again = evaluation.publish(busy.node, now=NOW + 13 * D)
    assert [(e.id, e.version) for e in again] == [(first[0].id, 2)]
    assert again[0].body["categories"]["tuin"][:4] == [9, 0, 5, 5]
    stored = list(busy.node.store.entries(types=["stats"]))
    assert len(stored) == 1 and stored[0].version == 2


def test_the_service_publishes_the_completed_months_once_a_month(busy: Village) -> None:
    housekeeping(busy.node, T0 + 5 * D)        # still March: March is not complete yet
    assert list(busy.node.store.entries(types=["stats"])) == []
    housekeeping(busy.node, T0 + 31 * D)       # April: March goes out
    assert [e.body["month"] for e in busy.node.store.entries(types=["stats"])] == [MONTH]
    do_month(busy, T0 + 32 * D, tag="april")
    housekeeping(busy.node, T0 + 40 * D)       # still April: nothing more this month
    assert [e.body["month"] for e in busy.node.store.entries(types=["stats"])] == [MONTH]


def test_the_variant_is_the_coordinators_from_the_desk_or_the_settings_file(busy: Village) -> None:
    store = busy.node.store
    with pytest.raises(NotAllowed):
        evaluation.set_variant(store, busy.volunteer, place="city", now=NOW)
    evaluation.set_variant(store, busy.coordinator, place="countryside", matching="mixed", now=NOW)
    assert evaluation.publish(busy.node, now=NOW)[0].body["variant"]["place"] == "countryside"
    assert evaluation.apply_settings(store, Settings(extra={"evaluation": {"place": "village", "matching": "auto"}}))
    body = evaluation.bodies(busy.node, now=NOW)[MONTH]
    assert (body["variant"]["place"], body["variant"]["matching"]) == ("village", "desk")
    with pytest.raises(SettingsError, match="place"):
        evaluation.apply_settings(store, Settings(extra={"evaluation": {"place": "Ezinge"}}))


def test_erasure_and_retention_leave_the_published_entries_valid_and_unchanged(busy: Village) -> None:
    node = busy.node
    made = evaluation.publish(node, now=NOW)
    before = [e.canonical() for e in made]
    person.erase(node, person.PersonQuery(cards=(busy.ans.id,)), now=NOW + D)
    retention.run_retention(node, NOW + 200 * D, months=1)
    kept = list(node.store.entries(types=["stats"]))
    assert [e.canonical() for e in kept] == before
    for entry in kept:
        assert entries.decode(entry.canonical()) == entry and entry.verify()
    # Republished after both, the entry is still one a peer takes: numbers and codes only.
    for entry in evaluation.publish(node, now=NOW + 200 * D):
        assert entries.decode(entry.canonical()).verify()
        assert busy.ans.first_name not in json.dumps(entry.body) and busy.ans.id not in json.dumps(entry.body)


def test_a_signing_key_hand_over_issues_the_entries_again_under_the_new_key(busy: Village) -> None:
    node = busy.node
    old = evaluation.publish(node, now=NOW)[0]
    done = handover.rotate_signing_key(node, now=NOW + D)
    moved = evaluation.published(node.store, done.new, MONTH)
    assert moved is not None and moved.body == old.body and moved.verify()
    assert node.store.get(done.old, old.id).type == "tombstone"  # type: ignore[union-attr]


def test_publishing_by_hand_is_the_coordinators_and_audited(busy: Village) -> None:
    with pytest.raises(NotAllowed):
        evaluation.publish_by(busy.node, busy.volunteer, now=NOW)
    coordinator = accounts.login_coordinator(busy.node.store, PASSPHRASE, now=NOW)
    assert len(evaluation.publish_by(busy.node, coordinator, now=NOW)) == 1


def test_a_wrong_variant_in_the_settings_file_is_logged_and_the_variant_kept(busy: Village,
                                                                            caplog: pytest.LogCaptureFixture) -> None:
    evaluation.set_variant(busy.node.store, busy.coordinator, place="village", now=NOW)
    assert not apply_evaluation_settings(busy.node, Settings(extra={"evaluation": {"place": "metropool"}}))
    assert "[evaluation] place" in caplog.text
    assert evaluation.variant_setting(busy.node.store).place == "village"


@pytest.mark.slow
def test_the_report_from_the_command_line_in_english_as_csv_and_as_a_page(desk_dir: NodeDir, tmp_path: Path) -> None:
    # Real time: the command reads the clock (the last twelve months, entries a year alive).
    start = utcnow() - 2 * D
    node = desk_dir.open()
    try:
        do_month(populate(node, now=start), start)
        made = evaluation.publish(node, now=utcnow())
        # A neighbour whose name is markup: the page shows it as text.
        keys = NodeKeys.generate()
        hostile = Profile("<script>alert(1)</script> & Zn", Place("Winsum", 5333, 652))
        node.store.apply(entries.make(keys.signing_seed, keys.node_id, "node", hostile.body(keys, b"\0" * 32),
                                      now=utcnow()), now=utcnow())
        month = made[0].body["month"]
        node.store.apply(entries.make(keys.signing_seed, keys.node_id, "stats", made[0].body, now=utcnow(),
                                      entry_id=entries.stats_id(month)), now=utcnow())
    finally:
        node.close()
    shown = desk_dir.cli("--lang", "en", "evaluation", "--width", "80")
    assert shown.code == 0 and "The centres side by side" in shown.out and "asked" in shown.out
    assert max(len(line) for line in shown.out.splitlines()) <= 80
    page, table = tmp_path / "report.html", tmp_path / "report.csv"
    assert desk_dir.cli("evaluation", "--csv", str(table), "--html", str(page)).code == 0
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Zn" in text
    rows = table.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("centre,node,village,month") and len(rows) == 1 + 2 * (len(made) + 1)


def test_publishing_by_command_takes_the_variant_from_the_settings_file(desk_dir: NodeDir) -> None:
    start = utcnow() - 2 * D
    node = desk_dir.open()
    try:
        do_month(populate(node, now=start), start)
    finally:
        node.close()
    env = {"NOTICEBOARD_PASSPHRASE": PASSPHRASE}
    config = desk_dir.data_dir / "config.toml"
    config.write_text('[evaluation]\nplace = "metropool"\n', encoding="utf-8")
    refused = desk_dir.cli("evaluation", "publish", env=env)
    assert refused.code == 1 and "[evaluation] place" in refused.err
    config.write_text('[evaluation]\nplace = "countryside"\nmatching = "mixed"\n', encoding="utf-8")
    assert desk_dir.cli("evaluation", "publish", env=env).code == 0
    node = desk_dir.open()
    try:
        variants = [e.body["variant"] for e in node.store.entries(types=["stats"])]
    finally:
        node.close()
    assert variants and all((v["place"], v["matching"]) == ("countryside", "mixed") for v in variants)
