"""Other centres (coordinator): this node's pairing code and QR code, peers seen and paired, trust, block."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Static

from noticeboard.app.staff.base import StaffScreen
from noticeboard.app.staff.dialogs import ReasonModal
from noticeboard.app.staff.qr import qr_text
from noticeboard.desk import audit, moderation
from noticeboard.i18n import t
from noticeboard.trust import PeerState, Trust


class PeersScreen(StaffScreen):
    """Pairing is done by reading codes to each other; the QR code carries the same code."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "set_state('trusted')", "staff.peers.trust", id="staff.peers.trust"),
        Binding("i", "set_state('introducer')", "staff.peers.introducer", id="staff.peers.introducer"),
        Binding("b", "block", "staff.peers.block", id="staff.peers.block"),
    ]

    def compose(self) -> ComposeResult:
        """Own code and QR beside the table of peers."""
        yield Static(t("staff.peers.title"), classes="staff-title")
        with Horizontal(classes="staff-body"):
            with Vertical():
                yield Static("", id="code")
                yield Static("", id="qr", classes="staff-qr")
            yield DataTable(id="peers", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then load."""
        super().on_mount()
        self.query_one(DataTable).add_columns(t("staff.col.centre"), t("staff.col.code"), t("staff.col.state"))
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """Read our code and the peers (coordinator only)."""
        self.ctx.session_or_raise.touch(self.ctx.now(), coordinator=True)
        code = self.ctx.node.fingerprint_code
        peers = Trust(self.ctx.node).peers()
        rows = [(p.node_id, p.name or p.node_id[:12], p.code, t(f"staff.peer.{p.state.value}")) for p in peers]
        self.app.call_from_thread(self.fill, code, rows)

    def fill(self, code: str, rows: list[tuple[str, str, str, str]]) -> None:
        """Show code, QR and peers."""
        self.query_one("#code", Static).update(t("staff.peers.own_code", code=code))
        self.query_one("#qr", Static).update(qr_text(code))
        table = self.query_one(DataTable)
        table.clear()
        for node_id, *cells in rows:
            table.add_row(*cells, key=node_id)
        table.focus()

    def _selected(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_set_state(self, state: str) -> None:
        """Trust the highlighted centre (after comparing codes), or make it an introducer."""
        node_id = self._selected()
        if node_id is not None:
            self.change(node_id, state)

    @work(thread=True, exclusive=True, exit_on_error=False, group="change")
    def change(self, node_id: str, state: str) -> None:
        """Change trust and log it."""
        now = self.ctx.now()
        self.ctx.session_or_raise.touch(now, coordinator=True)
        Trust(self.ctx.node).set_state(node_id, PeerState(state), now=now)
        audit.log(self.ctx.node.store, self.ctx.session_or_raise.actor, f"peer_{state}", node_id, now=now)
        self.app.call_from_thread(self.load)

    def action_block(self) -> None:
        """Block the highlighted centre, with a reason."""
        node_id = self._selected()
        if node_id is not None:
            def given(reason: str | None) -> None:
                if reason:
                    self.block(node_id, reason)

            self.app.push_screen(ReasonModal(self.ctx, t("staff.peers.reason")), given)

    @work(thread=True, exclusive=True, exit_on_error=False, group="change")
    def block(self, node_id: str, reason: str) -> None:
        """Record the block at the desk and hand it to the trust layer."""
        now = self.ctx.now()
        moderation.block(self.ctx.node, self.ctx.session_or_raise, node_id, reason, now=now)
        Trust(self.ctx.node).block(node_id, now=now)
        self.app.call_from_thread(self.load)
