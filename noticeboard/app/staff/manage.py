"""The coordinator's menu at the desk: volunteer accounts, VOG checks, hide/unhide, reciprocity, settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from noticeboard.app.staff.base import StaffScreen
from noticeboard.app.staff.dialogs import ReasonModal
from noticeboard.desk import accounts, cards, moderation, reciprocity, safeguarding
from noticeboard.desk.errors import BadInput
from noticeboard.i18n import t


class ManageScreen(StaffScreen):
    """Coordinator only: one key a task, each asks one question."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "ask('add')", "staff.manage.add", id="staff.manage.add"),
        Binding("p", "ask('pin')", "staff.manage.pin", id="staff.manage.pin"),
        Binding("u", "ask('unlock')", "staff.manage.unlock", id="staff.manage.unlock"),
        Binding("l", "ask('lock')", "staff.manage.lock", id="staff.manage.lock"),
        Binding("v", "ask('vog')", "staff.manage.vog", id="staff.manage.vog"),
        Binding("y", "ask('years')", "staff.manage.years", id="staff.manage.years"),
        Binding("h", "ask('hide')", "staff.manage.hide", id="staff.manage.hide"),
        Binding("s", "ask('unhide')", "staff.manage.unhide", id="staff.manage.unhide"),
        Binding("r", "ask('mode')", "staff.manage.mode", id="staff.manage.mode"),
        Binding("c", "ask('referrals')", "staff.manage.referrals", id="staff.manage.referrals"),
    ]

    def compose(self) -> ComposeResult:
        """The accounts, the settings, and what each key does."""
        yield Static(t("staff.menu.manage"), classes="staff-title")
        yield DataTable(id="accounts", cursor_type="row")
        yield Static("", id="settings", classes="staff-detail")
        yield Static(t("staff.manage.hint"), classes="staff-hint")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then load."""
        super().on_mount()
        self.query_one(DataTable).add_columns(t("staff.manage.col.number"), t("staff.manage.col.name"),
                                              t("staff.col.state"))
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """The accounts (audited) and the settings (coordinator only)."""
        node, session, now = self.ctx.node, self.ctx.session_or_raise, self.ctx.now()
        found = accounts.volunteers(node.store, session, now=now)
        lines = [t("desk.settings.vog_years", years=cards.vog_years(node.store)),
                 t("desk.ledger.mode", mode=reciprocity.mode(node.store))]
        referrals = safeguarding.referral_contacts(node)
        lines += [t("desk.settings.referral", name=c["name"], phone=c["phone"]) for c in referrals] or [
            t("desk.settings.no_referrals")]
        self.app.call_from_thread(self.fill, found, "\n".join(lines))

    def fill(self, found: list[accounts.Volunteer], settings: str) -> None:
        """Show them."""
        table = self.query_one(DataTable)
        table.clear()
        for v in found:
            state = t("desk.volunteer.active" if v.active else "desk.volunteer.inactive")
            if v.locked_until:
                state += ", " + t("desk.volunteer.locked_until", until=v.locked_until.strftime("%H:%M"))
            table.add_row(str(v.number), v.name, state, key=str(v.number))
        self.query_one("#settings", Static).update(settings)
        table.focus()

    def _number(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    def action_ask(self, task: str) -> None:
        """Ask the one question this task needs, then do it."""
        number = self._number()
        if task in ("pin", "unlock", "lock") and number is None:
            return
        if task in ("unlock", "lock"):
            self.run_task(task, "", number)
            return
        self.app.push_screen(ReasonModal(self.ctx, t(f"staff.manage.ask.{task}", number=number or "")),
                             self._then(task, number))

    def _then(self, task: str, number: int | None) -> Callable[[str | None], None]:
        def answered(text: str | None) -> None:
            if text:
                self.run_task(task, text, number)
        return answered

    @work(thread=True, exclusive=True, exit_on_error=False, group="task")
    def run_task(self, task: str, text: str, number: int | None) -> None:
        """Do the task in a thread; the desk checks the role and writes the audit line."""
        node, session, now = self.ctx.node, self.ctx.session_or_raise, self.ctx.now()
        words = text.split()
        done = t("staff.manage.done")
        if task == "add":
            if len(words) < 2:
                raise BadInput("add", field=t("staff.manage.col.name"))
            made = accounts.add_volunteer(node.store, session, " ".join(words[:-1]), words[-1], now=now)
            done = t("desk.volunteer.added", number=made)
        elif task == "pin" and number is not None:
            accounts.reset_pin(node.store, session, number, text.strip(), now=now)
        elif task == "unlock" and number is not None:
            accounts.unlock(node.store, session, number, now=now)
        elif task == "lock" and number is not None:
            accounts.set_active(node.store, session, number, False, now=now)
        elif task == "vog":
            if len(words) != 2:
                raise BadInput("vog", field="VOG")
            try:
                on = dt.date.fromisoformat(words[1])
            except ValueError as exc:
                raise BadInput("vog", field="VOG") from exc
            cards.record_screening(node.store, session, words[0], "vog", on, now=now)
        elif task == "years":
            if not text.strip().isdigit():
                raise BadInput("years", field="VOG")
            cards.set_vog_years(node.store, session, int(text), now=now)
        elif task in ("hide", "unhide"):
            if len(words) < 2:
                raise BadInput(task, field=t("staff.manage.reason"))
            act = moderation.hide if task == "hide" else moderation.unhide
            act(node, session, words[0], " ".join(words[1:]), now=now)
        elif task == "mode":
            reciprocity.set_mode(node.store, session, text.strip().lower(), now=now)
        elif task == "referrals":
            contacts = [dict(zip(("name", "phone"), (*part.split("=", 1), "")[:2], strict=True))
                        for part in text.split(";") if part.strip()]
            safeguarding.set_referral_contacts(node, session, contacts, now=now)
        self.app.call_from_thread(self.notify, done)
        self.app.call_from_thread(self.load)
