"""Achterwacht and moderation: flagged text for the coordinator only, hidden posts, blocked nodes, audit."""

from __future__ import annotations

from pathlib import Path

import pytest

from noticeboard.acts import centres, moderation
from noticeboard.acts.errors import NotPermitted
from noticeboard.desk import audit, intake, safeguarding
from noticeboard.desk.errors import NotAllowed
from noticeboard.node import PostDraft
from noticeboard.store import BoardQuery
from tests.desk.fixtures import T0, Village, make_desk_node

SIGNAL = "Mevrouw valt vaak en eet slecht, dochter woont ver weg"


def _board_refs(village: Village) -> list[str]:
    posts, _ = village.node.store.board(BoardQuery(), now=T0)
    return [e.body["ref"] for e in posts]


def test_flagged_text_is_unreadable_for_volunteers_and_readable_for_the_coordinator(village: Village) -> None:
    node = village.node
    ref = intake.intake(node, village.volunteer, village.ans.id,
                        PostDraft("request", "huishouden", "Hulp in huis", text=SIGNAL), now=T0).body["ref"]
    assert safeguarding.view(node, village.volunteer, ref, now=T0).text == SIGNAL
    safeguarding.flag(node, village.volunteer, ref, "zorgsignaal: valt vaak", now=T0)
    seen = safeguarding.view(node, village.volunteer, ref, now=T0)
    assert seen.flagged and SIGNAL not in seen.text and "Hulp in huis" not in seen.title
    assert seen.text == "Deze vraag is gemarkeerd als 'doorverwijzen / zorgsignaal'. Alleen de coördinator kan de tekst lezen."
    shown = safeguarding.view(node, village.coordinator, ref, now=T0)
    assert (shown.title, shown.text) == ("Hulp in huis", SIGNAL)
    assert safeguarding.flag_reason(node, village.coordinator, ref, now=T0) == "zorgsignaal: valt vaak"
    with pytest.raises(NotAllowed):
        safeguarding.flag_reason(node, village.volunteer, ref, now=T0)
    assert ref not in _board_refs(village)
    lines = audit.read(node.store, village.coordinator, now=T0, subject=ref)
    assert [(r.actor, r.act) for r in reversed(lines)] == [
        ("volunteer:1", "intake"), ("volunteer:1", "flag"), ("volunteer:1", "view_flagged_refused"),
        ("coordinator", "view_flagged")]
    assert lines[-2].details == {"reason": "zorgsignaal: valt vaak"}


def test_guidance_names_what_buurthulp_does_not_do_with_a_referral() -> None:
    guide, refer = safeguarding.guidance("money")
    assert "pinpassen" in guide and "schuldhulp" in refer
    assert [g for g, _ in safeguarding.category_guidance("mantelzorg")] == [
        safeguarding.guidance("personal_care")[0], safeguarding.guidance("medical")[0]]
    assert safeguarding.category_guidance("tuin") == []


def test_hide_and_unhide_a_post_with_reasons_in_the_audit_log(village: Village) -> None:
    node = village.node
    ref = node.post(PostDraft("offer", "lenen", "Gratis spullen, bel mij"), now=T0).body["ref"]
    assert ref in _board_refs(village)
    with pytest.raises(NotPermitted):
        moderation.hide(node, village.volunteer.by, ref, "reclame", now=T0)
    moderation.hide(node, village.coordinator.by, ref, "reclame", now=T0)
    assert ref not in _board_refs(village)
    moderation.unhide(node, village.coordinator.by, ref, "toch in orde", now=T0)
    assert ref in _board_refs(village)
    lines = audit.read(node.store, village.coordinator, now=T0, subject=ref)
    assert [(r.act, r.details) for r in reversed(lines)] == [
        ("hide", {"reason": "reclame"}), ("unhide", {"reason": "toch in orde"})]


def test_block_hides_every_post_of_that_node(tmp_path: Path, village: Village) -> None:
    other_dir = make_desk_node(tmp_path / "o", "Dorpshuis Elders", "Baflo", 5336, 651)
    with other_dir.open() as other:
        posts = [other.post(PostDraft("offer", "tuin", f"Tuinhulp {i}"), now=T0) for i in range(2)]
        village.node.store.apply_many([other.profile_entry(), *posts], now=T0)
        refs = [p.body["ref"] for p in posts]
        assert set(refs) <= set(_board_refs(village))
        centres.block_centre(village.node, village.coordinator.by, other.node_id, "spam", now=T0)
        assert not set(refs) & set(_board_refs(village))
        assert centres.blocked_centres(village.node) == [other.node_id]
        line = audit.read(village.node.store, village.coordinator, now=T0, subject=other.node_id)[0]
        assert (line.act, line.details) == ("block", {"reason": "spam"})
