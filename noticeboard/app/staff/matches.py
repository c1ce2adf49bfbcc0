"""Suggestions with their reasons, the match lifecycle, and feedback, all by keyboard."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Input, Label, Static

from noticeboard.app.staff.base import StaffModal, StaffScreen
from noticeboard.app.staff.context import StaffContext
from noticeboard.app.staff.dialogs import ReasonModal, if_given
from noticeboard.desk import matches, matching
from noticeboard.i18n import t


def reasons_text(suggestion: matching.Suggestion) -> str:
    """The reasons of one suggestion, one a line with their points."""
    return "\n".join(f"{r.points:+4d}  {r.text()}" for r in suggestion.reasons)


class SuggestScreen(StaffScreen):
    """The best helpers for one request; Enter proposes the highlighted one."""

    def __init__(self, ctx: StaffContext, ref: str) -> None:
        super().__init__(ctx)
        self.ref = ref
        self.found: list[matching.Suggestion] = []

    def compose(self) -> ComposeResult:
        """Table of suggestions, reasons of the highlighted one, and who is blocked."""
        yield Static(t("staff.suggest.title", ref=self.ref), classes="staff-title")
        yield DataTable(id="suggestions", cursor_type="row")
        yield Static("", id="reasons", classes="staff-detail")
        yield Static("", id="blocked", classes="staff-hint")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then ask the desk."""
        super().on_mount()
        self.query_one(DataTable).add_columns("#", t("staff.col.helper"), t("desk.field.village"),
                                              t("staff.col.points"))
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """Compute suggestions (audited)."""
        found, blocked = matching.suggest(self.ctx.node, self.ctx.session_or_raise, self.ref, now=self.ctx.now())
        self.app.call_from_thread(self.fill, found, blocked)

    def fill(self, found: list[matching.Suggestion], blocked: list[matching.Blocked]) -> None:
        """Show them."""
        self.found = found
        table = self.query_one(DataTable)
        table.clear()
        for n, s in enumerate(found, 1):
            table.add_row(str(n), s.label, s.village, str(s.score), key=str(n - 1))
        if not found:
            self.query_one("#reasons", Static).update(t("desk.suggest.none"))
        self.query_one("#blocked", Static).update("\n".join(
            t("desk.suggest.blocked", label=b.label, reason=b.reason.text()) for b in blocked))
        table.focus()

    @on(DataTable.RowHighlighted)
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Explain the highlighted suggestion."""
        if event.row_key.value is not None and self.found:
            self.query_one("#reasons", Static).update(reasons_text(self.found[int(event.row_key.value)]))

    @on(DataTable.RowSelected)
    def selected(self, event: DataTable.RowSelected) -> None:
        """Propose the chosen helper (the volunteer confirms by choosing; nothing is automatic)."""
        if event.row_key.value is not None and self.found:
            self.propose(self.found[int(event.row_key.value)])

    @work(thread=True, exclusive=True, exit_on_error=False, group="propose")
    def propose(self, suggestion: matching.Suggestion) -> None:
        """Make the proposal."""
        match = matches.propose(self.ctx.node, self.ctx.session_or_raise, self.ref, suggestion.kind, suggestion.key,
                                now=self.ctx.now())
        self.app.call_from_thread(self.proposed, match)

    def proposed(self, match: matches.Match) -> None:
        """Go on to the match list."""
        self.notify(t("desk.match.proposed", id=match.id, ref=match.ref))
        self.app.switch_screen(MatchesScreen(self.ctx, focus=match.id))


class MatchesScreen(StaffScreen):
    """Every match; keys move the highlighted one along its life."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "step('resident')", "staff.match.resident", id="staff.match.resident"),
        Binding("h", "step('helper')", "staff.match.helper", id="staff.match.helper"),
        Binding("o", "step('reveal')", "staff.match.reveal", id="staff.match.reveal"),
        Binding("d", "step('done')", "staff.match.done", id="staff.match.done"),
        Binding("c", "step('cancel')", "staff.match.cancel", id="staff.match.cancel"),
        Binding("f", "feedback", "staff.match.feedback", id="staff.match.feedback"),
    ]

    def __init__(self, ctx: StaffContext, focus: str | None = None) -> None:
        super().__init__(ctx)
        self.focus_id = focus

    def compose(self) -> ComposeResult:
        """Table and detail line."""
        yield Static(t("staff.matches.title"), classes="staff-title")
        yield DataTable(id="matches", cursor_type="row")
        yield Static("", id="detail", classes="staff-detail")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then load."""
        super().on_mount()
        self.query_one(DataTable).add_columns(t("staff.col.match"), t("staff.col.ref"), t("staff.col.state"),
                                              t("staff.col.resident"), t("staff.col.helper"), t("staff.col.agreed"),
                                              t("staff.col.feedback"))
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """Take in match messages from other centres, then read the matches."""
        self.ctx.session_or_raise.touch(self.ctx.now())
        matches.take_in(self.ctx.node, now=self.ctx.now())
        found = matches.all_matches(self.ctx.node)
        names = matches.labels(self.ctx.node, self.ctx.session_or_raise, found, now=self.ctx.now())
        self.app.call_from_thread(self.fill, found, names)

    def fill(self, found: list[matches.Match], names: dict[str, tuple[str, str]]) -> None:
        """Show them, newest last, keeping the cursor on the match in hand."""
        table = self.query_one(DataTable)
        current = self.selected_id()
        table.clear()
        for m in found:
            agreed = "".join(x for x, ok in (("R", m.resident_agreed), ("H", m.helper_agreed)) if ok)
            feedback = "" if m.happened is None else (t(f"desk.face.{m.face}") if m.face else "-")
            resident, helper = names.get(m.id, ("", ""))
            table.add_row(m.id, m.ref, t(f"desk.state.{m.state}"), resident,
                          f"{helper} · {t(f'staff.helper.{m.helper_kind}')}", agreed, feedback, key=m.id)
        target = current or self.focus_id
        if target is not None and target in [m.id for m in found]:
            table.move_cursor(row=[m.id for m in found].index(target))
        table.focus()

    def selected_id(self) -> str | None:
        """The highlighted match's id."""
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key is not None else None

    def action_step(self, step: str) -> None:
        """Agree (resident or helper), reveal contacts, done, or cancel."""
        match_id = self.selected_id()
        if match_id is None:
            return
        if step in ("done", "cancel"):
            # Closing a match cannot be undone: ask, with the reason (it goes into the audit log).
            self.app.push_screen(ReasonModal(self.ctx, t(f"staff.match.sure_{step}", id=match_id)),
                                 if_given(lambda reason: self.run_step(match_id, step, reason)))
            return
        self.run_step(match_id, step)

    @work(thread=True, exclusive=True, exit_on_error=False, group="step")
    def run_step(self, match_id: str, step: str, reason: str = "") -> None:
        """One step of the lifecycle, then reload."""
        node, session, now = self.ctx.node, self.ctx.session_or_raise, self.ctx.now()
        detail = ""
        if step in ("resident", "helper"):
            match = matches.agree(node, session, match_id, step, now=now)
            detail = t("desk.match.state", id=match.id, state=t(f"desk.state.{match.state}"))
        elif step == "reveal":
            shown = matches.reveal(node, session, match_id, now=now)
            detail = "\n".join(t("desk.match.contact", side=t(f"desk.match.side.{side}"), name=c.get("name", ""),
                                 phone=c.get("phone", c.get("contact", "")), address=c.get("address", "")).rstrip()
                               for side, c in shown.items())
        elif step == "done":
            matches.done(node, session, match_id, now=now, note=reason)
            detail = t("staff.match.done_next")
        elif step == "cancel":
            matches.cancel(node, session, match_id, now=now, reason=reason)
        self.app.call_from_thread(self.query_one("#detail", Static).update, detail)
        self.app.call_from_thread(self.load)

    def action_feedback(self) -> None:
        """Ask the two feedback questions for the highlighted match."""
        match_id = self.selected_id()
        if match_id is not None:
            self.app.push_screen(FeedbackModal(self.ctx), lambda answer: self.save_feedback(match_id, answer))

    def save_feedback(self, match_id: str, answer: dict[str, Any] | None) -> None:
        """Store the answers (if not cancelled)."""
        if answer is not None:
            self.store_feedback(match_id, answer)

    @work(thread=True, exclusive=True, exit_on_error=False, group="feedback")
    def store_feedback(self, match_id: str, answer: dict[str, Any]) -> None:
        """Record feedback, then reload."""
        matches.feedback(self.ctx.node, self.ctx.session_or_raise, match_id, happened=answer["happened"],
                         face=answer["face"], note=answer["note"], now=self.ctx.now())
        self.app.call_from_thread(self.notify, t("desk.match.feedback_saved"))
        self.app.call_from_thread(self.load)


class FeedbackModal(StaffModal):
    """"Is de hulp doorgegaan?" (j/n), "Hoe ging het?" (1-3), a note; Enter saves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,y", "happened(True)", "staff.feedback.yes", id="staff.feedback.yes"),
        Binding("n", "happened(False)", "staff.feedback.no", id="staff.feedback.no"),
        Binding("1", "face('good')", "desk.face.good", id="staff.feedback.good"),
        Binding("2", "face('ok')", "desk.face.ok", id="staff.feedback.ok"),
        Binding("3", "face('bad')", "desk.face.bad", id="staff.feedback.bad"),
    ]

    def __init__(self, ctx: StaffContext) -> None:
        super().__init__(ctx)
        self.happened: bool | None = None
        self.face: str | None = None

    def compose(self) -> ComposeResult:
        """Two questions and a note."""
        with Vertical(classes="staff-dialog"):
            # Escaped: Textual reads "[j]" as markup and would show nothing.
            yield Static(t("desk.feedback.happened") + r"  \[j] / \[n]", id="q1")
            yield Static(t("desk.feedback.face") + r"  \[1] 🙂  \[2] 😐  \[3] 🙁", id="q2")
            yield Label(t("desk.field.notes"))
            yield Input(id="note", disabled=True)
            yield Static(t("staff.feedback.hint"), classes="staff-hint")
        yield Footer()

    def action_happened(self, value: bool) -> None:
        """Answer the first question."""
        self.happened = value
        self.query_one("#q1", Static).update(t("desk.feedback.happened") + "  " + t(
            "staff.feedback.yes" if value else "staff.feedback.no"))
        if not value:
            # Help that did not happen has no face to pick: straight to the note.
            note = self.query_one("#note", Input)
            note.disabled = False
            note.focus()

    def action_face(self, face: str) -> None:
        """Answer the second question, then type the note."""
        self.face = face
        self.query_one("#q2", Static).update(t("desk.feedback.face") + "  " + t(f"desk.face.{face}"))
        note = self.query_one("#note", Input)
        note.disabled = False
        note.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Letters go into the note once it has focus."""
        return not (action in ("happened", "face") and self.query_one("#note", Input).has_focus)

    @on(Input.Submitted, "#note")
    def save(self) -> None:
        """Hand the answers back."""
        if self.happened is None:
            self.notify(t("desk.feedback.happened"), severity="warning")
            return
        self.dismiss({"happened": self.happened, "face": self.face, "note": self.query_one("#note", Input).value})
