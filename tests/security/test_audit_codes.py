"""Attack 9 of issue 14: the audit log kept reference codes in clear (which post was hidden or flagged)."""

from __future__ import annotations

from pathlib import Path

from noticeboard.acts import moderation
from noticeboard.desk import audit, safeguarding
from noticeboard.node import PostDraft
from tests.desk.fixtures import T0, make_desk_node, populate


def test_codes_in_the_audit_log_are_tags_on_disk_and_codes_to_the_coordinator(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    with nd.open() as node:
        village = populate(node)
        hidden = node.post(PostDraft("request", "boodschappen", "Boodschappen op dinsdag"), now=T0).body["ref"]
        flagged = node.post(PostDraft("request", "gezelschap", "Iemand om mee te praten"), now=T0).body["ref"]
        moderation.hide(node, village.coordinator.by, hidden.lower().replace("-", " "), "spam", now=T0)
        safeguarding.flag(node, village.coordinator, flagged, "zorgen", now=T0)
        shown = {(r.act, r.subject) for r in audit.read(node.store, village.coordinator, now=T0)}
        assert ("hide", hidden) in shown and ("flag", flagged) in shown
        assert audit.read(node.store, village.coordinator, now=T0, subject=flagged)[0].act == "flag"
        node.store.checkpoint()
    raw = b"".join(path.read_bytes() for path in nd.data_dir.glob("noticeboard.db*"))
    for ref in (hidden, flagged):
        assert ref.encode() not in raw, ref
