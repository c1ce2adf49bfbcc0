"""The service's daily chores: a profile about to expire is renewed; retention runs without harm."""

from __future__ import annotations

import datetime as dt

from noticeboard.clock import utcnow
from sync.service import PROFILE_RENEW_BEFORE, housekeeping
from tests.support import NodeDir


def test_profile_is_renewed_before_it_expires_and_not_before(node_dir: NodeDir) -> None:
    with node_dir.open() as node:
        first = node.profile_entry()
        housekeeping(node, utcnow())
        assert node.profile_entry() == first  # a year left: nothing to do
        near_end = first.expires_at - PROFILE_RENEW_BEFORE + dt.timedelta(days=1)
        housekeeping(node, near_end)
        renewed = node.profile_entry()
        assert renewed.version == first.version + 1
        assert renewed.expires_at > first.expires_at and renewed.verify()
        assert renewed.body == first.body


def test_housekeeping_keeps_open_posts(node_dir: NodeDir) -> None:
    posted = node_dir.cli("post", "request", "--category", "tuin", "--title", "Heg knippen")
    assert posted.code == 0
    with node_dir.open() as node:
        housekeeping(node, utcnow())
    assert "Heg knippen" in node_dir.cli("list").out
