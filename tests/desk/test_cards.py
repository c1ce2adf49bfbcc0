"""The card index: BSN refused, pauses, screening rules, edits from the terminal, views audited."""

from __future__ import annotations

import datetime as dt

import pytest

from noticeboard.desk import audit, cards, charts
from noticeboard.desk.errors import LooksLikeBsn, NotAllowed
from tests.desk.fixtures import PASSPHRASE, T0, NodeDir, Village


@pytest.mark.parametrize("text", ["111222333", "bsn: 111 222 333", "1112.22.333", "nr 123456782 ok"])
def test_numbers_passing_the_elfproef_are_refused(village: Village, text: str) -> None:
    with pytest.raises(LooksLikeBsn):
        cards.add(village.node.store, village.volunteer, cards.Person("Henk", notes=text), now=T0)


@pytest.mark.parametrize("text", ["0594-123456", "06-12345678", "+31 6 12345678", "123456789", "postbus 12345"])
def test_phone_numbers_and_other_digits_are_accepted(village: Village, text: str) -> None:
    person = cards.add(village.node.store, village.volunteer, cards.Person("Henk", phone=text), now=T0)
    assert cards.load(village.node.store, person.id).phone == text


def test_only_the_coordinator_records_a_vog_and_no_document_is_kept(village: Village) -> None:
    store = village.node.store
    with pytest.raises(NotAllowed):
        cards.record_screening(store, village.volunteer, village.carla.id, "vog", dt.date(2026, 3, 1), now=T0)
    cards.record_screening(store, village.volunteer, village.carla.id, "kennismaking", dt.date(2026, 3, 1), now=T0)
    person = cards.record_screening(store, village.coordinator, village.carla.id, "vog", dt.date(2026, 3, 2), now=T0)
    assert [(s.kind, s.on, s.by) for s in person.screening] == [
        ("kennismaking", "2026-03-01", "volunteer:1"), ("vog", "2026-03-02", "coordinator")]


def test_pause_is_kept_and_lifted_and_nothing_is_deleted(village: Village) -> None:
    store = village.node.store
    cards.pause(store, village.volunteer, village.carla.id, dt.date(2026, 4, 1), now=T0)
    assert cards.load(store, village.carla.id).paused(dt.date(2026, 3, 31))
    assert not cards.load(store, village.carla.id).paused(dt.date(2026, 4, 1))
    cards.pause(store, village.volunteer, village.carla.id, None, now=T0)
    assert len(cards.load_all(store)) == 6


def test_views_of_cards_are_audited(village: Village) -> None:
    cards.show(village.node.store, village.volunteer, village.ans.id, now=T0)
    cards.listing(village.node.store, village.volunteer, now=T0)
    acts = [(r.actor, r.act, r.subject) for r in audit.read(village.node.store, village.coordinator, now=T0, limit=2)]
    assert acts == [("volunteer:1", "person_list", "cards"), ("volunteer:1", "person_view", village.ans.id)]


def test_person_edit_and_show_from_the_terminal_with_the_nudge(desk_dir: NodeDir) -> None:
    env = {"NOTICEBOARD_PASSPHRASE": PASSPHRASE}
    out = desk_dir.cli("person", "add", "--first-name", "Ans", "--phone", "0594-111111", env=env).out
    pid = out.split()[-1]
    assert desk_dir.cli("person", "edit", pid, "--phone", "0594-222222", "--skills", "tuin", "--helper", "yes",
                        env=env).code == 0
    assert desk_dir.cli("ledger", "--mode", "hours", env=env).code == 0
    other = desk_dir.cli("person", "add", "--first-name", "Bert", env=env).out.split()[-1]
    assert desk_dir.cli("ledger", "--transfer", pid, other, "45", env=env).code == 0
    shown = desk_dir.cli("person", "show", pid, env=env).out
    assert "0594-222222" in shown and "Tuin" in shown and "-45 minuten" in shown
    assert "Wat kunt u terugdoen?" in shown


def test_bar_chart_scales_to_the_largest_value() -> None:
    lines = charts.bar_lines({"2026-01": 4, "2026-02": 8, "2026-03": 0}, width=8)
    assert lines == ["2026-01  ████      4", "2026-02  ████████  8", "2026-03            0"]
