"""The follow-up queue on screen ("aandacht nodig"), oldest first, each with its age."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Static

from noticeboard.app.staff.base import StaffScreen
from noticeboard.app.staff.dialogs import ReasonModal, if_given
from noticeboard.desk import followup, requests, safeguarding
from noticeboard.i18n import t, tn


class FollowupScreen(StaffScreen):
    """What waits too long; Enter on an unanswered request opens its suggestions."""

    subjects: dict[str, str]

    def compose(self) -> ComposeResult:
        """Title, table, and a line when nothing waits."""
        yield Static(t("staff.followup.title"), classes="staff-title")
        yield DataTable(id="queue", cursor_type="row")
        yield Static("", id="empty", classes="staff-hint")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then load."""
        super().on_mount()
        self.subjects = {}
        self.query_one(DataTable).add_columns(t("staff.col.age"), t("staff.col.what"))
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """Build the queue."""
        items = followup.queue(self.ctx.node, self.ctx.session_or_raise, now=self.ctx.now())
        self.app.call_from_thread(self.fill, items)

    def fill(self, items: list[followup.Attention]) -> None:
        """Show the queue."""
        table = self.query_one(DataTable)
        table.clear()
        self.subjects = {f"{item.kind}|{item.ref}": item.subject for item in items}
        for item in items:
            table.add_row(tn("desk.followup.age", item.age_days),
                          t(f"desk.followup.{item.kind}", ref=item.ref, subject=item.subject),
                          key=f"{item.kind}|{item.ref}")
        self.query_one("#empty", Static).update("" if items else t("desk.followup.none"))
        table.focus()

    @on(DataTable.RowSelected)
    def selected(self, event: DataTable.RowSelected) -> None:
        """Unanswered: find a helper; flagged: read it (coordinator); otherwise: the match list."""
        from noticeboard.app.staff.matches import MatchesScreen, SuggestScreen

        kind, _, ref = str(event.row_key.value).partition("|")
        if kind == "flagged":
            self.show_flagged(ref)
        elif kind == "past_date":
            self.app.push_screen(ReasonModal(self.ctx, t("staff.followup.sure_close", ref=ref)),
                                 if_given(lambda reason: self.close(ref, reason)))
        elif kind in ("unanswered", "due_soon"):
            self.app.push_screen(SuggestScreen(self.ctx, ref))
        else:
            self.app.push_screen(MatchesScreen(self.ctx, focus=self.subjects.get(f"{kind}|{ref}")))

    @work(thread=True, exclusive=True, exit_on_error=False, group="close")
    def close(self, ref: str, reason: str) -> None:
        """Take the request off the board everywhere, with the reason."""
        requests.close(self.ctx.node, self.ctx.session_or_raise, ref, reason, now=self.ctx.now())
        self.app.call_from_thread(self.notify, t("staff.followup.closed", ref=ref))
        self.app.call_from_thread(self.load)

    @work(thread=True, exclusive=True, exit_on_error=False, group="flag")
    def show_flagged(self, ref: str) -> None:
        """The flagged request's text and reason (the view is audited)."""
        shown = safeguarding.view(self.ctx.node, self.ctx.session_or_raise, ref, now=self.ctx.now())
        reason = safeguarding.flag_reason(self.ctx.node, self.ctx.session_or_raise, ref, now=self.ctx.now())
        text = f"{ref}  {shown.title}\n{shown.text}\n{t('staff.followup.reason', reason=reason)}"
        self.app.call_from_thread(self.query_one("#empty", Static).update, text)
