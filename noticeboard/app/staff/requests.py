"""Open requests on screen ("Open vragen"): every request still waiting, and from it the next step."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from noticeboard.app.staff.base import StaffScreen
from noticeboard.app.staff.context import StaffContext
from noticeboard.app.staff.dialogs import ReasonModal, if_given
from noticeboard.desk import local, matches, requests, safeguarding
from noticeboard.desk.errors import BadInput
from noticeboard.i18n import t, tn


class OpenRequestsScreen(StaffScreen):
    """Enter: suggestions (propose from there); a: appointment; m: its match; z: zorgsignaal."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "appointment", "staff.requests.appointment", id="staff.requests.appointment"),
        Binding("m", "match", "staff.requests.match", id="staff.requests.match"),
        Binding("z", "flag", "staff.requests.flag", id="staff.requests.flag"),
    ]

    def __init__(self, ctx: StaffContext) -> None:
        super().__init__(ctx)
        self.found: dict[str, requests.OpenRequest] = {}

    def compose(self) -> ComposeResult:
        """Title, table, detail line."""
        yield Static(t("staff.menu.requests"), classes="staff-title")
        yield DataTable(id="requests", cursor_type="row", zebra_stripes=True)
        yield Static(t("staff.requests.hint"), id="detail", classes="staff-detail")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then load."""
        super().on_mount()
        self.query_one(DataTable).add_columns(
            t("staff.col.ref"), t("staff.col.age"), t("staff.col.what"), t("staff.col.resident"),
            t("staff.col.suggestions"), t("staff.col.state"), t("staff.col.appointment"))
        self.load()

    def on_screen_resume(self) -> None:
        """Coming back from suggestions or matches: the states may have moved on."""
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """Read the open requests (one audit line)."""
        found = requests.open_requests(self.ctx.node, self.ctx.session_or_raise, now=self.ctx.now())
        self.app.call_from_thread(self.fill, found)

    def fill(self, found: list[requests.OpenRequest]) -> None:
        """Show them, keeping the cursor where it was."""
        table = self.query_one(DataTable)
        current = self.selected()
        table.clear()
        self.found = {r.ref: r for r in found}
        for r in found:
            state = t("desk.requests.flagged") if r.flagged else (
                t(f"desk.state.{r.match_state}") if r.match_state else t("desk.requests.no_match"))
            table.add_row(r.ref, tn("desk.followup.age", r.age_days), r.title[:24],
                          f"{r.resident} {r.resident_name}".strip(), str(r.suggestions), state,
                          local.when_text(r.appointment), key=r.ref)
        if current in self.found:
            table.move_cursor(row=list(self.found).index(current))
        if not found:
            self.query_one("#detail", Static).update(t("desk.requests.none"))
        table.focus()

    def selected(self) -> str | None:
        """The highlighted request's code."""
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key is not None else None

    @on(DataTable.RowSelected)
    def chosen(self, event: DataTable.RowSelected) -> None:
        """Enter: find a helper (suggestions, then propose); a zorgsignaal is the coordinator's to read."""
        from noticeboard.app.staff.matches import SuggestScreen

        ref = str(event.row_key.value)
        found = self.found.get(ref)
        if found is not None and found.flagged:
            self.show_flagged(ref)
        else:
            self.app.push_screen(SuggestScreen(self.ctx, ref))

    @work(thread=True, exclusive=True, exit_on_error=False, group="flag")
    def show_flagged(self, ref: str) -> None:
        """The text for the coordinator; a notice for volunteers (both audited)."""
        shown = safeguarding.view(self.ctx.node, self.ctx.session_or_raise, ref, now=self.ctx.now())
        self.app.call_from_thread(self.query_one("#detail", Static).update, f"{ref}  {shown.title}\n{shown.text}")

    def action_match(self) -> None:
        """The match list, on this request's match."""
        from noticeboard.app.staff.matches import MatchesScreen

        found = self.found.get(self.selected() or "")
        if found is not None and found.match_id:
            self.app.push_screen(MatchesScreen(self.ctx, focus=found.match_id))

    def action_appointment(self) -> None:
        """Ask the date and time the helper comes, for the request's match."""
        found = self.found.get(self.selected() or "")
        if found is None or not found.match_id:
            self.notify(t("staff.requests.no_match_yet"), severity="warning")
            return
        match_id = found.match_id
        self.app.push_screen(ReasonModal(self.ctx, t("staff.requests.when_appointment")),
                             if_given(lambda text: self.set_appointment(match_id, text)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="step")
    def set_appointment(self, match_id: str, text: str) -> None:
        """Record it on the match."""
        now = self.ctx.now()
        try:
            at = local.parse_at(text, now=now)
        except ValueError as exc:
            raise BadInput("at", field=t("staff.col.appointment")) from exc
        m = matches.appointment(self.ctx.node, self.ctx.session_or_raise, match_id, at, now=now)
        self.app.call_from_thread(self.notify, t("desk.match.appointment", id=m.id, at=local.when_text(at)))
        self.app.call_from_thread(self.load)

    def action_flag(self) -> None:
        """Flag the highlighted request as a zorgsignaal: it leaves the board everywhere."""
        found = self.found.get(self.selected() or "")
        if found is not None and not found.flagged:
            ref = found.ref
            self.app.push_screen(ReasonModal(self.ctx, t("staff.intake.refer_reason")),
                                 if_given(lambda reason: self.flag(ref, reason)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="step")
    def flag(self, ref: str, reason: str) -> None:
        """Withdraw it and keep it for the coordinator."""
        safeguarding.flag(self.ctx.node, self.ctx.session_or_raise, ref, reason, now=self.ctx.now())
        self.app.call_from_thread(self.notify, t("desk.flag.done", ref=ref))
        self.app.call_from_thread(self.load)
