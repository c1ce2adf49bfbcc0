"""``serve``, ``peers``, ``sync``, ``respond`` and ``inbox``: centres working together."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from collections import Counter
from typing import Any

from crypto.encoding import b64u_decode
from crypto.identity import fingerprint_code
from noticeboard import places_held
from noticeboard.acts import centres
from noticeboard.acts import posts as acts
from noticeboard.acts.actor import Actor
from noticeboard.acts.errors import NotTrusted
from noticeboard.cli import staff
from noticeboard.cli.context import CliError, Context
from noticeboard.clock import utcnow
from noticeboard.desk import audit
from noticeboard.i18n import t, tn
from noticeboard.node import UNOPENED, Node
from noticeboard.trust import Peer, Trust, handovers
from sync.client import PairingRefused, PeerUnreachable, pair, sync_with
from sync.replication import PeerRefused
from sync.wire import WireError

DEFAULT_PORT = 8443


def register(sub: Any) -> None:
    """Add this module's commands."""
    p = sub.add_parser("serve", help="serve other centres (headless) until stopped")
    p.add_argument("--host", default=None, help="address to listen on (default: [sync] listen in the config, else all)")
    p.add_argument("--port", type=int, default=None, help=f"port (default: the config's, else {DEFAULT_PORT}; 0 picks one)")
    p.add_argument("--config", help="settings file (default: NOTICEBOARD_CONFIG or config.toml in the data folder)")
    p.add_argument("--no-discovery", action="store_true", help="do not find or announce centres on the network (mDNS)")
    p.set_defaults(func=cmd_serve)

    peers = sub.add_parser("peers", help="other centres: list, pair, trust, introducer, block, unblock")
    psub = peers.add_subparsers(dest="peers_command", metavar="ACTION", required=True)
    q = psub.add_parser("list", help="list known centres and their trust")
    q.set_defaults(func=cmd_peers_list)
    q = psub.add_parser("pair", help="pair with the centre at HOST:PORT after checking its code")
    q.add_argument("address", metavar="HOST:PORT")
    q.add_argument("--code", required=True, help="the code `noticeboard whoami` shows at that centre")
    staff.add_actor(q)
    q.set_defaults(func=cmd_peers_pair)
    for name, helptext in (("trust", "trust a known centre"), ("block", "block a centre and erase its entries"),
                           ("unblock", "lift a block (the centre is not trusted until paired again)")):
        q = psub.add_parser(name, help=helptext)
        q.add_argument("peer", help="key (start), code, name or HOST:PORT")
        if name != "trust":
            q.add_argument("--reason", default="", help="why (kept in the audit log)")
        q.set_defaults(func=cmd_peers_state, state=name)
    q = psub.add_parser("introducer", help="let a trusted centre introduce the centres it trusts")
    q.add_argument("peer", help="key (start), code, name or HOST:PORT")
    q.add_argument("--off", action="store_true", help="stop taking its introductions")
    q.set_defaults(func=cmd_peers_state, state="introducer")
    q = psub.add_parser("move", help="accept the new place a paired centre gave itself (coordinator)")
    q.add_argument("peer", help="key (start), code, name or HOST:PORT")
    staff.add_actor(q)
    q.set_defaults(func=cmd_peers_move)

    p = sub.add_parser("sync", help="exchange entries with one paired centre now")
    p.add_argument("peer", metavar="HOST:PORT", help="address (or key, code or name) of a paired centre")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("respond", help='say "I can help" on a request or offer (also of another centre)')
    p.add_argument("ref")
    p.add_argument("--message", required=True, help="a short message for the centre")
    p.add_argument("--contact", default="", help="how the centre can reach the helper (sealed, for that centre only)")
    p.add_argument("--name", default="", help="the helper's first name")
    p.set_defaults(func=cmd_respond)

    p = sub.add_parser("inbox", help='show "I can help" responses for this centre\'s posts')
    p.set_defaults(func=cmd_inbox)


def cmd_serve(args: argparse.Namespace, ctx: Context) -> int:
    """Serve peers, discover, sync periodically and watch the drop folder until SIGINT or SIGTERM."""
    from noticeboard.cli.cmd_service import run_serve

    return run_serve(args, ctx)


def _peer_error(exc: Exception) -> CliError:
    if isinstance(exc, PairingRefused):
        return CliError(t("sync.error.pairing_" + ("code" if exc.reason == "code_mismatch" else "other")))
    if isinstance(exc, PeerUnreachable):
        key = "sync.error.certificate" if exc.reason == "certificate_mismatch" else "sync.error.unreachable"
        return CliError(t(key))
    if isinstance(exc, PeerRefused) and exc.reason == "stale":
        return CliError(clock_text(exc.clock_offset_s))
    if isinstance(exc, PeerRefused):
        return CliError(t("sync.error.refused", reason=exc.reason))
    if isinstance(exc, WireError):
        return CliError(t("sync.error.protocol", reason=exc.reason))
    raise exc


def clock_text(offset_s: int | None) -> str:
    """What to tell a person whose request was refused as ``stale``: whose clock is off, and by how much."""
    if offset_s is None or abs(offset_s) < 60:
        return t("sync.error.clock")
    hours, minutes = divmod(round(abs(offset_s) / 60), 60)
    amount = tn("sync.amount.minutes", minutes)
    if hours:
        amount = tn("sync.amount.hours", hours, minutes=amount)
    detail = t("sync.error.clock_ahead" if offset_s > 0 else "sync.error.clock_behind", amount=amount)
    return f"{t('sync.error.clock')} {detail}"


def cmd_peers_list(args: argparse.Namespace, ctx: Context) -> int:
    """Print the known centres with their state, address, code and refused entries."""
    with ctx.open_node() as node:
        trust = Trust(node)
        peers, refused = trust.peers(), trust.refusals()
        followed = handovers(node.store)
        moving = places_held.pending(node.store)
    if not peers:
        print(t("sync.peers.none"))
    names = {p.node_id: p.name for p in peers}
    for author, moved in sorted(moving.items()):
        print(t("security.peers.wants_move", name=names.get(author) or author[:10], place=places_held.describe(moved),
                short=author[:10]))
    for done in followed:
        print(t("security.peers.handover", name=done.name or done.old[:10], old=fingerprint_code(b64u_decode(done.old)),
                new=fingerprint_code(b64u_decode(done.new)), when=done.at.strftime("%Y-%m-%d %H:%M")))
    for peer in peers:
        counts = refused.get(peer.node_id, Counter())
        note = ", ".join(f"{reason} {n}" for reason, n in sorted(counts.items()))
        print(f"{peer.name[:28]:28}  {t('sync.state.' + peer.state.value):18}  {peer.address:21}  {peer.code}  "
              f"{peer.node_id[:10]}  {t('sync.peers.refused', counts=note) if note else ''}".rstrip())
    return 0


def cmd_peers_pair(args: argparse.Namespace, ctx: Context) -> int:
    """Pair with a centre whose code matches."""
    now = utcnow()
    with ctx.open_node() as node:
        # Pairing is the coordinator's: it decides whose posts come onto this board.
        session = staff.who(args, node, now, coordinator=True)
        try:
            peer = asyncio.run(pair(node, args.address, args.code))
        except (PairingRefused, PeerUnreachable) as exc:
            raise _peer_error(exc) from exc
        audit.log(node.store, session.actor, "peer_pair", peer.node_id, now=now, details={"by": "network"})
    print(t("sync.pair.done", name=peer.name, code=node.fingerprint_code))
    return 0


def cmd_peers_move(args: argparse.Namespace, ctx: Context) -> int:
    """Apply the moved profile a paired centre sent, held until a coordinator says yes."""
    now = utcnow()
    with ctx.open_node() as node:
        session = staff.who(args, node, now, coordinator=True)
        peer = Trust(node).find(args.peer)
        moved = places_held.confirm(node.store, peer.node_id, now=now)
        if moved is None:
            raise CliError(t("security.peers.no_move", name=peer.name or peer.node_id[:10]))
        audit.log(node.store, session.actor, "peer_move", peer.node_id, now=now)
    print(t("security.peers.moved", name=peer.name or peer.node_id[:10], place=places_held.describe(moved)))
    return 0


def cmd_peers_state(args: argparse.Namespace, ctx: Context) -> int:
    """Trust, introducer, block or unblock a known centre."""
    actor, now = Actor.service(), utcnow()
    with ctx.open_node() as node:
        trust = Trust(node)
        peer = trust.find(args.peer)
        if args.state == "block":
            centres.block_centre(node, actor, peer.node_id, args.reason, now=now)
        elif args.state == "unblock":
            centres.unblock_centre(node, actor, peer.node_id, args.reason, now=now)
        elif args.state == "trust":
            centres.trust(node, actor, peer.node_id, now=now)
        else:
            try:
                centres.set_introducer(node, actor, peer.node_id, not args.off, now=now)
            except NotTrusted as exc:
                raise CliError(t("sync.error.pair_first", name=peer.name)) from exc
        changed = trust.peer(peer.node_id)
    assert changed is not None
    print(t("sync.peers.now", name=changed.name or changed.node_id[:10], state=t("sync.state." + changed.state.value)))
    return 0


def _find_for_sync(trust: Trust, text: str) -> Peer:
    peer = trust.by_address(text)
    if peer is None or not peer.trusted:
        peer = trust.find(text)
    if not peer.trusted:
        raise CliError(t("sync.error.pair_first", name=peer.name or text))
    return peer


def cmd_sync(args: argparse.Namespace, ctx: Context) -> int:
    """One round with a paired centre, then a summary."""
    with ctx.open_node() as node:
        peer = _find_for_sync(Trust(node), args.peer)
        try:
            summary, count = asyncio.run(sync_with(node, peer))
        except (PeerUnreachable, PeerRefused, WireError) as exc:
            raise _peer_error(exc) from exc
        node.take_in_messages()
    print(t("sync.done", name=peer.name, received=summary.received.applied, sent=summary.sent,
            refused=summary.refused_here.total() + summary.refused_there.total()))
    for label, reasons in (("sync.refused_here", summary.refused_here), ("sync.refused_there", summary.refused_there)):
        if reasons:
            print(t(label, reasons=", ".join(f"{_reason_text(r)} ({n})" for r, n in sorted(reasons.items()))))
    print(t("sync.bytes", sent=count.body_out + count.headers_out, received=count.body_in + count.headers_in))
    return 0


def _reason_text(reason: str) -> str:
    key = f"sync.reason.{reason}"
    try:
        return t(key)
    except KeyError:
        return reason


def cmd_respond(args: argparse.Namespace, ctx: Context) -> int:
    """Say "I can help": kept here for our own posts, sealed to the home centre otherwise."""
    with ctx.open_node() as node:
        post = node.find(args.ref)
        if post.type not in ("request", "offer"):
            raise CliError(t("error.not_found", ref=args.ref))
        # Whoever types --name and --contact passes on the helper's agreement to share them.
        sealed = acts.respond(node, Actor.service(), post, name=args.name, contact=args.contact,
                              message=args.message, agreed=True, now=utcnow()).sealed
    print(t("sync.respond.sent" if sealed else "sync.respond.kept", ref=post.body["ref"]))
    return 0


def _unopened_counts(node: Node) -> list[tuple[str, int]]:
    """Per author, how many messages sealed to us do not open (counted by take_in_messages)."""
    return sorted((source, counts[UNOPENED]) for source, counts in Trust(node).refusals().items()
                  if counts[UNOPENED] > 0)


def cmd_inbox(args: argparse.Namespace, ctx: Context) -> int:
    """Open messages sealed to us, then list every response kept for our posts."""
    with ctx.open_node() as node:
        node.take_in_messages()
        rows = node.store.responses()
        refs = {}
        for row in rows:
            found = node.store.get(row["author"], row["id"])
            refs[row["rid"]] = found.body["ref"] if found is not None and "ref" in found.body else "?"
        unopened = [(node.signer(source), count) for source, count in _unopened_counts(node)]
    if not rows:
        print(t("sync.inbox.empty"))
    for signer, count in unopened:
        print(tn("security.inbox.unopened", count, name=signer["name"] or signer["node"][:12]))
    for row in rows:
        origin = row.get("from") or {}
        where = f"{origin.get('name', '')} ({origin.get('village', '')})" if origin else t("sync.inbox.here")
        when = dt.datetime.fromtimestamp(int(row["created"]), dt.UTC).strftime("%Y-%m-%d %H:%M")
        print(t("sync.inbox.row", ref=refs[row["rid"]], when=when, where=where, name=row.get("name") or "-",
                contact=row.get("contact") or "-", message=row.get("message") or ""))
    sys.stdout.flush()
    return 0

