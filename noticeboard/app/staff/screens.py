"""The desk's task screens by name (the start screen's menu opens them)."""

from __future__ import annotations

from noticeboard.app.staff.base import StaffScreen
from noticeboard.app.staff.context import StaffContext


def make(name: str, ctx: StaffContext) -> StaffScreen:
    """A new screen for one task."""
    from noticeboard.app.staff import (
        audit,
        cards,
        evaluation,
        followup,
        intake,
        manage,
        matches,
        peers,
        requests,
        stats,
    )

    factories: dict[str, type[StaffScreen]] = {
        "cards": cards.CardIndexScreen, "intake": intake.IntakeScreen, "matches": matches.MatchesScreen,
        "followup": followup.FollowupScreen, "stats": stats.StatsScreen, "audit": audit.AuditScreen,
        "peers": peers.PeersScreen, "requests": requests.OpenRequestsScreen, "manage": manage.ManageScreen,
        "evaluation": evaluation.EvaluationScreen,
    }
    return factories[name](ctx)
