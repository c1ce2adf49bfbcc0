"""The staff desk from the terminal: volunteers, card index, intake, matching, follow-up, statistics.

Every command logs in first: ``--as N`` is volunteer number N (PIN from NOTICEBOARD_PIN or
asked), without it the coordinator logs in with the node passphrase (NOTICEBOARD_PASSPHRASE
or asked). Each command is one short session.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from noticeboard.acts import centres, moderation
from noticeboard.categories import BY_CODE, DAYS, SLOTS
from noticeboard.cli import staff
from noticeboard.cli.context import CliError, Context
from noticeboard.clock import utcnow
from noticeboard.desk import (
    accounts,
    audit,
    cards,
    charts,
    followup,
    intake,
    local,
    matches,
    matching,
    printboard,
    reciprocity,
    requests,
    safeguarding,
    stats,
)
from noticeboard.desk.errors import DeskError, KnownPhone, LockedOut, WrongPin
from noticeboard.desk.session import Session
from noticeboard.files import write_new
from noticeboard.i18n import catalog, current_language, t, tn
from noticeboard.node import Node, PostDraft
from noticeboard.trust import Trust, UnknownPeer

Handler = Callable[[argparse.Namespace, Node, Session, dt.datetime], int]


def _csv(text: str) -> list[str]:
    return [v.strip() for v in text.split(",") if v.strip()]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("use YYYY-MM-DD") from exc


def _staff(handler: Handler) -> Callable[[argparse.Namespace, Context], int]:
    """Open the node, log in, run the handler; desk errors become sentences."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace, ctx: Context) -> int:
        now = utcnow()
        with ctx.open_node() as node:
            try:
                session = staff.login(args, node, now)
                return handler(args, node, session, now)
            except DeskError as exc:
                code = 4 if isinstance(exc, WrongPin | LockedOut) else 1
                raise CliError(desk_message(exc), code) from exc

    return run


def desk_message(exc: DeskError) -> str:
    """The sentence for a desk error, with a match state in words."""
    values = dict(exc.values)
    if "state" in values and f"desk.state.{values['state']}" in catalog():
        values["state"] = t(f"desk.state.{values['state']}")
    return t(exc.text_key, None, **values)  # lang given (None: current), so a value named lang cannot take its place


def _parser(sub: Any, name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_text)
    staff.add_actor(p)
    p.set_defaults(func=_staff(handler))
    return p


def register(sub: Any) -> None:
    """Add this module's commands."""
    p = sub.add_parser("desk", help="open the staff desk (volunteers and the coordinator) in the terminal")
    p.set_defaults(func=cmd_desk_app)

    p = sub.add_parser("volunteer", help="volunteer accounts (coordinator)")
    vs = p.add_subparsers(dest="action", required=True)
    q = _parser(vs, "add", "add a volunteer account; PIN from NOTICEBOARD_NEW_PIN", cmd_volunteer_add)
    q.add_argument("name")
    _parser(vs, "list", "list volunteer accounts", cmd_volunteer_list)
    for action in ("lock", "unlock"):
        q = _parser(vs, action, f"{action} a volunteer account", cmd_volunteer_lock)
        q.add_argument("number", type=int)

    p = sub.add_parser("person", help="the card index (kaartenbak)")
    ps = p.add_subparsers(dest="action", required=True)
    q = _parser(ps, "add", "add a card", cmd_person_add)
    q.add_argument("--first-name", required=True)
    q.add_argument("--phone", default="")
    q.add_argument("--address", default="")
    q.add_argument("--village", default="")
    q.add_argument("--languages", default="nl", help="comma-separated language codes, e.g. nl,pl")
    q.add_argument("--skills", default="", help="categories this person can help with: " + ",".join(BY_CODE))
    q.add_argument("--days", default="", help="comma-separated: " + ",".join(DAYS))
    q.add_argument("--slots", default="", help="comma-separated: " + ",".join(SLOTS))
    q.add_argument("--preferences", default="")
    q.add_argument("--same-helper", action="store_true", help="prefers the same helper")
    q.add_argument("--notes", default="")
    q.add_argument("--helper", action="store_true", help="this person helps")
    q.add_argument("--not-resident", action="store_true", help="this person only helps, never asks")
    q.add_argument("--anyway", action="store_true", help="add even when the phone number is already on a card")
    q = _parser(ps, "find", "find a card by phone (any spelling), name or card id", cmd_person_find)
    q.add_argument("text")
    q = _parser(ps, "edit", "change a card (only the fields given)", cmd_person_edit)
    q.add_argument("id")
    for name in ("first-name", "phone", "address", "village", "languages", "skills", "days", "slots",
                 "preferences", "notes"):
        q.add_argument(f"--{name}")
    q.add_argument("--same-helper", choices=("yes", "no"))
    q.add_argument("--helper", choices=("yes", "no"))
    q = _parser(ps, "list", "list cards", cmd_person_list)
    q.add_argument("--helpers", action="store_true")
    q = _parser(ps, "show", "show one card", cmd_person_show)
    q.add_argument("id")
    q = _parser(ps, "pause", "pause a card until a date (or --wake)", cmd_person_pause)
    q.add_argument("id")
    q.add_argument("--until", type=_date)
    q = _parser(ps, "screen", "record a screening (VOG: coordinator only)", cmd_person_screen)
    q.add_argument("id")
    q.add_argument("--kind", choices=cards.SCREENINGS, required=True)
    q.add_argument("--on", type=_date, required=True)

    q = _parser(sub, "intake", "post a request on behalf of a caller", cmd_intake)
    q.add_argument("--for", dest="person", required=True, help="the resident's card id")
    q.add_argument("--category", required=True, choices=tuple(BY_CODE))
    q.add_argument("--title", required=True)
    q.add_argument("--text", default="")
    q.add_argument("--when", default="")
    q.add_argument("--days", default="")
    q.add_argument("--slots", default="")
    q.add_argument("--channel", choices=intake.CHANNELS, default="phone")
    q.add_argument("--show-name", action="store_true",
                   help="the caller said yes to showing their first name on the board (default: not shown)")
    q.add_argument("--flag", metavar="REASON", help="zorgsignaal: keep the request here for the coordinator, "
                                                   "never on the board")

    q = _parser(sub, "suggest", "suggest helpers for a request, with reasons", cmd_suggest)
    q.add_argument("ref")

    p = sub.add_parser("match", help="the match lifecycle")
    ms = p.add_subparsers(dest="action", required=True)
    q = _parser(ms, "propose", "propose a helper for a request", cmd_match_propose)
    q.add_argument("ref")
    who = q.add_mutually_exclusive_group(required=True)
    who.add_argument("--person", help="a helper's card id")
    who.add_argument("--offer", help="an offer's code or author|id")
    q = _parser(ms, "agree", "one side agrees", cmd_match_agree)
    q.add_argument("id")
    q.add_argument("--side", choices=("resident", "helper"), required=True)
    q = _parser(ms, "reveal", "show both sides' contact details (after both agreed)", cmd_match_reveal)
    q.add_argument("id")
    q = _parser(ms, "done", "the help happened", cmd_match_done)
    q.add_argument("id")
    q.add_argument("--minutes", type=int, default=0, help="hour ledger: minutes from resident to helper")
    q.add_argument("--note", default="", help="how it went, or why it is closed (in the audit log)")
    q = _parser(ms, "cancel", "cancel a match", cmd_match_cancel)
    q.add_argument("id")
    q.add_argument("--reason", required=True, help="why (in the audit log)")
    q = _parser(ms, "feedback", "record feedback", cmd_match_feedback)
    q.add_argument("id")
    q.add_argument("--happened", choices=("yes", "no"), required=True)
    q.add_argument("--face", choices=matches.FACES)
    q.add_argument("--note", default="")
    q.add_argument("--channel", choices=intake.CHANNELS, default="phone")
    q = _parser(ms, "appointment", "record the date and time the helper comes", cmd_match_appointment)
    q.add_argument("id")
    q.add_argument("--at", required=True, help="local date and time: YYYY-MM-DD HH:MM or DD-MM HH:MM")
    _parser(ms, "list", "list matches", cmd_match_list)
    _parser(ms, "inbox", "take in match messages from other centres", cmd_match_inbox)

    _parser(sub, "followup", "what needs attention (aandacht nodig)", cmd_followup)
    q = _parser(sub, "requests", "this centre's open requests (open vragen), with age, suggestions and match",
                cmd_requests)
    shown = q.add_mutually_exclusive_group()
    shown.add_argument("--open", action="store_true", help="only requests not done yet (the default)")
    shown.add_argument("--all", action="store_true", help="done and expired ones too")

    q = _parser(sub, "ledger", "reciprocity: mode, counters, hour ledger", cmd_ledger)
    q.add_argument("--mode", choices=reciprocity.MODES, help="set the mode (coordinator)")
    q.add_argument("--transfer", nargs=3, metavar=("FROM", "TO", "MINUTES"))

    q = _parser(sub, "flag", "flag a request 'doorverwijzen / zorgsignaal'", cmd_flag)
    q.add_argument("ref")
    q.add_argument("--reason", required=True)
    for name, handler, text in (("resolve", cmd_resolve, "close a zorgsignaal with a note (coordinator)"),
                                ("unflag", cmd_unflag, "not a zorgsignaal after all: post it (coordinator)")):
        q = _parser(sub, name, text, handler)
        q.add_argument("ref")
        q.add_argument("--note", required=True)
    q = _parser(sub, "view", "show a request's text as this role may see it", cmd_view)
    q.add_argument("ref")
    q = _parser(sub, "guidance", "what buurthulp does not do, and where to refer", cmd_guidance)
    q.add_argument("--category", choices=tuple(BY_CODE))

    for name, handler in (("hide", cmd_hide), ("unhide", cmd_unhide)):
        q = _parser(sub, name, f"{name} a post on this board (coordinator)", handler)
        q.add_argument("ref")
        q.add_argument("--reason", required=True)
    q = _parser(sub, "block", "block another centre (coordinator)", cmd_block)
    q.add_argument("node")
    q.add_argument("--reason", required=True)
    q = _parser(sub, "unblock", "lift a block of another centre entirely (coordinator)", cmd_unblock)
    q.add_argument("node")
    q.add_argument("--reason", default="")

    q = _parser(sub, "settings", "the desk's settings: VOG validity, referral contacts (coordinator to change)",
                cmd_settings)
    q.add_argument("--vog-years", type=int, help="how many years a checked VOG counts (default 3)")
    q.add_argument("--referral", action="append", default=[], metavar="NAME=PHONE",
                   help="a local contact to refer to (wijkteam, huisartsenpost); repeat; replaces the list")
    q = _parser(sub, "audit", "the audit log (coordinator), in local time", cmd_audit)
    q.add_argument("--limit", type=int, default=200)
    q.add_argument("--act", help="only this act (its code, or the start of it: match_)")
    q.add_argument("--person", help="only lines about this card")
    q.add_argument("--who", help="only this actor: volunteer:3, coordinator, system")
    q.add_argument("--since", type=_date, help="only from this day (YYYY-MM-DD)")
    q = _parser(sub, "stats", "statistics per village, category and month", cmd_stats)
    q.add_argument("--csv", action="store_true", help="anonymised CSV")
    q = _parser(sub, "print", "write an A4 HTML page of the open posts", cmd_print)
    q.add_argument("file", type=Path)


def cmd_desk_app(args: argparse.Namespace, ctx: Context) -> int:
    """Run the staff screens on their own (a volunteer's PC); staff log in inside the app."""
    from noticeboard.app.staff.app import StaffApp

    with ctx.open_node() as node:
        StaffApp(node).run()
    return 0


# ---- volunteers -----------------------------------------------------------------------------


def cmd_volunteer_add(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Add a volunteer account."""
    pin = os.environ.get("NOTICEBOARD_NEW_PIN")
    if pin is None:
        if not sys.stdin.isatty():
            raise CliError(t("error.need_passphrase"))
        pin = getpass.getpass(t("desk.login.pin"))
    number = accounts.add_volunteer(node.store, session, args.name, pin, now=now)
    print(t("desk.volunteer.added", number=number))
    return 0


def cmd_volunteer_list(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """List accounts."""
    for v in accounts.volunteers(node.store, session, now=now):
        state = t("desk.volunteer.active" if v.active else "desk.volunteer.inactive")
        if v.locked_until:
            state += ", " + t("desk.volunteer.locked_until", until=v.locked_until.strftime("%H:%M"))
        print(t("desk.volunteer.row", number=v.number, name=v.name, state=state))
    return 0


def cmd_volunteer_lock(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Switch an account off or on."""
    on = args.action == "unlock"
    accounts.set_active(node.store, session, args.number, on, now=now)
    print(t("desk.volunteer.unlocked" if on else "desk.volunteer.locked", number=args.number))
    return 0


# ---- card index -----------------------------------------------------------------------------


def cmd_person_add(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Add a card."""
    person = cards.Person(
        args.first_name, args.phone, args.address, args.village, languages=_csv(args.languages) or ["nl"],
        skills=_csv(args.skills), days=_csv(args.days), slots=_csv(args.slots), preferences=args.preferences,
        same_helper=args.same_helper, notes=args.notes, is_resident=not args.not_resident,
        is_helper=args.helper or args.not_resident)
    try:
        made = cards.add(node.store, session, person, now=now, anyway=args.anyway)
    except KnownPhone as exc:
        raise CliError(desk_message(exc) + " " + t("desk.person.anyway_hint")) from exc
    print(t("desk.person.added", id=made.id))
    return 0


def cmd_person_find(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Find the caller: by phone, name or card id, with village and last contact to tell people apart."""
    found = cards.search(node.store, session, args.text, now=now)
    if not found:
        print(t("desk.find.none"))
    for f in found:
        last = t("desk.find.last", when=local.date_text(f.last_contact)) if f.last_contact else t("desk.find.never")
        print(t("desk.find.row", id=f.person.id, name=f.person.first_name, village=f.person.village,
                phone=f.person.phone, last=last).rstrip())
    return 0


def cmd_person_edit(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Change the given fields of a card."""
    person = cards.load(node.store, args.id)
    for name in ("first_name", "phone", "address", "village", "preferences", "notes"):
        if getattr(args, name) is not None:
            setattr(person, name, getattr(args, name))
    for name in ("languages", "skills", "days", "slots"):
        if getattr(args, name) is not None:
            setattr(person, name, _csv(getattr(args, name)))
    if args.same_helper is not None:
        person.same_helper = args.same_helper == "yes"
    if args.helper is not None:
        person.is_helper = args.helper == "yes"
    cards.save(node.store, session, person, now=now)
    print(t("desk.person.saved", id=person.id))
    return 0


def _person_line(node: Node, p: cards.Person, now: dt.datetime) -> str:
    roles = "/".join(t(k) for k, on in (("desk.person.resident", p.is_resident), ("desk.person.helper", p.is_helper))
                     if on)
    counter = reciprocity.counter(node.store, p.id)
    extra = t("desk.person.counter", gave=counter.gave, got=counter.got)
    if p.paused(now.date()):
        extra += "  " + t("desk.reason.paused", until=str(p.pause_until))
    return f"{p.id}  {p.first_name:12}  {p.village:12}  {roles:14}  {extra}"


def cmd_person_list(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """List cards."""
    people = cards.listing(node.store, session, now=now, helpers=True if args.helpers else None)
    if not people:
        print(t("desk.person.none"))
    for p in people:
        print(_person_line(node, p, now))
    return 0


def cmd_person_show(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Show one card."""
    p = cards.show(node.store, session, args.id, now=now)
    lang = current_language()
    rows = [
        (t("desk.field.first_name"), p.first_name), (t("desk.field.phone"), p.phone),
        (t("desk.field.address"), p.address), (t("desk.field.village"), p.village),
        (t("desk.field.languages"), ", ".join(p.languages)),
        (t("desk.field.skills"), ", ".join(BY_CODE[s].label(lang) for s in p.skills)),
        (t("desk.field.availability"), ", ".join([t(f"desk.day.{d}") for d in p.days]
                                                 + [t(f"desk.slot.{s}") for s in p.slots])),
        (t("desk.field.preferences"), p.preferences + (f" ({t('desk.field.same_helper')})" if p.same_helper else "")),
        (t("desk.field.screening"), ", ".join(f"{t('desk.screening.' + s.kind)} {s.on}" for s in p.screening)),
        (t("desk.field.pause"), str(p.pause_until or "")), (t("desk.field.notes"), p.notes),
    ]
    counter = reciprocity.counter(node.store, p.id)
    rows.append((t("desk.field.reciprocity"), t("desk.person.counter", gave=counter.gave, got=counter.got)))
    if reciprocity.mode(node.store) == "hours":
        rows.append((t("desk.field.balance"), tn("desk.person.minutes", reciprocity.balance(node.store, p.id))))
    print(p.id)
    for label, value in rows:
        if value:
            print(f"  {label + ':':22} {value}")
    if reciprocity.should_nudge(node.store, p.id):
        print(t("desk.nudge"))
    return 0


def cmd_person_pause(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Pause or wake a card."""
    p = cards.pause(node.store, session, args.id, args.until, now=now)
    print(t("desk.person.paused", id=p.id, until=p.pause_until) if p.pause_until else t("desk.person.awake", id=p.id))
    return 0


def cmd_person_screen(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Record a screening."""
    cards.record_screening(node.store, session, args.id, args.kind, args.on, now=now)
    print(t("desk.person.screened", kind=t("desk.screening." + args.kind), on=args.on.isoformat()))
    return 0


# ---- intake, suggestions, matches -----------------------------------------------------------


def cmd_intake(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Post a request for a caller."""
    tags = intake.when_tags(args.when, _csv(args.days), _csv(args.slots))
    draft = PostDraft("request", args.category, args.title, args.text, args.when, lang=current_language(), tags=tags)
    if args.flag:
        ref = intake.intake_flagged(node, session, args.person, draft, args.flag, channel=args.channel, now=now,
                                    name_shown=args.show_name)
        print(t("desk.intake.held", ref=ref, id=args.person.upper()))
        return 0
    made = intake.intake(node, session, args.person, draft, channel=args.channel, now=now,
                         name_shown=args.show_name)
    print(t("desk.intake.done", ref=made.body["ref"], id=args.person.upper()))
    return 0


def cmd_suggest(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Print suggestions with their reasons."""
    found, blocked = matching.suggest(node, session, args.ref, now=now)
    if not found:
        print(t("desk.suggest.none"))
    for n, s in enumerate(found, 1):
        print(t("desk.suggest.row", n=n, label=f"{s.key if s.kind == 'person' else ''} {s.label}".strip(),
                village=s.village, score=s.score))
        for r in s.reasons:
            print(f"     {r.points:+d}  {r.text()}")
    for b in blocked:
        print(t("desk.suggest.blocked", label=f"{b.key} {b.label}", reason=b.reason.text()))
    return 0


def cmd_match_propose(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Propose a match."""
    kind, helper = ("person", args.person) if args.person else ("offer", args.offer)
    m = matches.propose(node, session, args.ref, kind, helper, now=now)
    print(t("desk.match.proposed", id=m.id, ref=m.ref))
    return 0


def _state(m: matches.Match) -> int:
    print(t("desk.match.state", id=m.id, state=t("desk.state." + m.state)))
    return 0


def cmd_match_agree(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """One side agrees."""
    return _state(matches.agree(node, session, args.id, args.side, now=now))


def cmd_match_reveal(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Print both contacts."""
    for side, contact in matches.reveal(node, session, args.id, now=now).items():
        print(t("desk.match.contact", side=t("desk.match.side." + side), name=contact.get("name", ""),
                phone=contact.get("phone", contact.get("contact", "")), address=contact.get("address", "")).rstrip())
    return 0


def cmd_match_done(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Close a match as done."""
    return _state(matches.done(node, session, args.id, now=now, minutes=args.minutes, note=args.note))


def cmd_match_cancel(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Cancel a match."""
    return _state(matches.cancel(node, session, args.id, now=now, reason=args.reason))


def cmd_match_feedback(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Record feedback."""
    matches.feedback(node, session, args.id, happened=args.happened == "yes", face=args.face, note=args.note,
                     channel=args.channel, now=now)
    print(t("desk.match.feedback_saved"))
    return 0


def cmd_match_list(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """List matches (after taking in match messages from other centres)."""
    session.touch(now)
    matches.take_in(node, now=now)
    for m in matches.all_matches(node):
        print(f"{m.id}  {m.ref:8}  {t('desk.state.' + m.state):12}  {m.helper_kind:8}  {m.category}")
    return 0


def cmd_match_inbox(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Take in sealed match messages."""
    session.touch(now)
    print(tn("desk.take_in.done", matches.take_in(node, now=now)))
    return 0


def cmd_match_appointment(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Record the appointment of a match."""
    try:
        at = local.parse_at(args.at, now=now)
    except ValueError as exc:
        raise CliError(t("desk.error.bad_input", field="--at")) from exc
    m = matches.appointment(node, session, args.id, at, now=now)
    print(t("desk.match.appointment", id=m.id, at=local.when_text(m.appointment)))
    return 0


def request_line(r: requests.OpenRequest) -> str:
    """One open request as a line of text."""
    state = t("desk.state." + r.match_state) if r.match_state else t("desk.requests.no_match")
    if r.flagged:
        state = t("desk.requests.flagged")
    appointment = t("desk.requests.appointment", at=local.when_text(r.appointment)) if r.appointment else ""
    who = f"{r.resident} {r.resident_name}".strip() or "-"
    return tn("desk.requests.row", r.suggestions, ref=r.ref, age=tn("desk.followup.age", r.age_days),
              title=r.title[:28], who=who, state=f"{state} {r.match_id}".strip(), appointment=appointment).rstrip()


def cmd_requests(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Print the open requests."""
    found = requests.open_requests(node, session, now=now, everything=args.all)
    if not found:
        print(t("desk.requests.none"))
    for r in found:
        print(request_line(r))
    return 0


def cmd_followup(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Print the follow-up queue."""
    items = followup.queue(node, session, now=now)
    if not items:
        print(t("desk.followup.none"))
    for item in items:
        text = t(f"desk.followup.{item.kind}", ref=item.ref, subject=item.subject)
        print(f"{tn('desk.followup.age', item.age_days):>10}  {text}")
    return 0


def cmd_ledger(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Show or change reciprocity."""
    if args.mode:
        reciprocity.set_mode(node.store, session, args.mode, now=now)
    if args.transfer:
        payer, receiver, minutes = args.transfer
        try:
            amount = int(minutes)
        except ValueError as exc:
            raise CliError(t("desk.error.bad_input", field="MINUTES")) from exc
        reciprocity.transfer(node.store, session, payer, receiver, amount, now=now)
        print(tn("desk.ledger.done", amount, payer=payer.upper(), receiver=receiver.upper()))
    session.touch(now)
    print(t("desk.ledger.mode", mode=reciprocity.mode(node.store)))
    for pid, minutes in reciprocity.balances(node.store).items():
        print(tn("desk.ledger.row", minutes, id=pid))
    print(tn("desk.ledger.total", reciprocity.ledger_total(node.store)))
    return 0


# ---- achterwacht and moderation ------------------------------------------------------------


def cmd_flag(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Flag a request for the coordinator."""
    found = safeguarding.flag(node, session, args.ref, args.reason, now=now)
    print(t("desk.flag.done", ref=found.ref))
    return 0


def cmd_resolve(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """The coordinator closes a zorgsignaal with a note."""
    found = safeguarding.resolve(node, session, args.ref, args.note, now=now)
    print(t("desk.flag.resolved", ref=found.ref))
    return 0


def cmd_unflag(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """The coordinator finds it is not a zorgsignaal: the request goes on the board."""
    made = safeguarding.unflag(node, session, args.ref, args.note, now=now)
    print(t("desk.flag.unflagged", ref=made.body["ref"]))
    return 0


def cmd_view(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Show a request as this role may see it."""
    shown = safeguarding.view(node, session, args.ref, now=now)
    print(f"{shown.ref}  {shown.title}")
    if shown.text:
        print(shown.text)
    return 0


def cmd_guidance(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Print what buurthulp does not do."""
    session.touch(now)
    pairs = (safeguarding.category_guidance(args.category) if args.category
             else [safeguarding.guidance(k) for k in ("personal_care", "medical", "money", "professional")])
    for guide, refer in pairs:
        print(f"- {guide}\n  {refer}")
    return 0


def cmd_hide(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Hide a post."""
    session.touch(now, coordinator=True)
    entry = moderation.hide(node, session.by, args.ref, args.reason, now=now)
    print(t("desk.hide.done", ref=entry.body["ref"]))
    return 0


def cmd_unhide(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Show a hidden post again."""
    session.touch(now, coordinator=True)
    entry = moderation.unhide(node, session.by, args.ref, args.reason, now=now)
    print(t("desk.unhide.done", ref=entry.body["ref"]))
    return 0


def _centre(text: str, node: Node) -> str:
    try:
        return Trust(node).find(text).node_id
    except UnknownPeer:
        return text


def cmd_block(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Block a node: refused, purged, recorded and hidden, in one act."""
    session.touch(now, coordinator=True)
    node_id = _centre(args.node, node)
    centres.block_centre(node, session.by, node_id, args.reason, now=now)
    print(t("desk.block.done", node=node_id[:12]))
    return 0


def cmd_unblock(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Lift a block entirely: trust, the desk's record and the hidden posts."""
    session.touch(now, coordinator=True)
    node_id = _centre(args.node, node)
    centres.unblock_centre(node, session.by, node_id, args.reason, now=now)
    print(t("acts.unblock.done", node=node_id[:12]))
    return 0


def cmd_settings(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Show, or change, the desk's settings."""
    session.touch(now)
    if args.vog_years is not None:
        cards.set_vog_years(node.store, session, args.vog_years, now=now)
    if args.referral:
        contacts = [dict(zip(("name", "phone"), (*text.split("=", 1), "")[:2], strict=True)) for text in args.referral]
        safeguarding.set_referral_contacts(node, session, contacts, now=now)
    print(t("desk.settings.vog_years", years=cards.vog_years(node.store)))
    print(t("desk.ledger.mode", mode=reciprocity.mode(node.store)))
    referrals = safeguarding.referral_contacts(node)
    if not referrals:
        print(t("desk.settings.no_referrals"))
    for contact in referrals:
        print(t("desk.settings.referral", name=contact["name"], phone=contact["phone"]))
    return 0


def cmd_audit(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Print the audit log."""
    since = dt.datetime(args.since.year, args.since.month, args.since.day).astimezone() if args.since else None
    lines = audit.read(node.store, session, now=now, limit=args.limit, act=args.act, person=args.person,
                       actor=args.who, since=since)
    if not lines:
        print(t("desk.audit.none"))
    for line in reversed(lines):
        print(line.line())
    return 0


# ---- statistics and the printed board ------------------------------------------------------


def cmd_stats(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Print statistics, or the anonymised CSV."""
    session.touch(now)
    rows = stats.compute(node, now=now)
    if args.csv:
        sys.stdout.write(stats.to_csv(rows))
        return 0
    total = rows[-1]
    print(t("desk.stats.title"))
    heads = [t(f"desk.stats.head.{k}") for k in ("month", "village", "category", "requests", "responses",
                                                 "agreed", "done", "withdrawn", "referred", "unanswered")]
    widths = [7, 14, 13, *(max(5, len(h)) for h in heads[3:])]
    print("  " + "  ".join(h[:w].ljust(w) for h, w in zip(heads, widths, strict=True)).rstrip())
    for row in [*rows[:-1], total]:
        c = row.counts
        cells = [row.month, row.village, row.category, *(str(c[k]) for k in (
            "requests", "first_responses", "agreed", "done", "withdrawn", "referred", "unanswered"))]
        print("  " + "  ".join(v[:w].ljust(w) if i < 3 else v.rjust(w)
                               for i, (v, w) in enumerate(zip(cells, widths, strict=True))).rstrip())
    for label, count in (("desk.stats.chart_requests", "requests"), ("desk.stats.chart_done", "done")):
        per_month = stats.by_month(rows, count)
        if per_month:
            print(t(label))
            for line in charts.bar_lines(per_month):
                print("  " + line)
    print(t("desk.stats.summary", requests=tn("desk.stats.requests", total.counts["requests"]), agreed=total.counts["agreed"],
            done=total.counts["done"], active=total.figures["active_helpers_90d"],
            registered=total.figures["registered_helpers"]))
    return 0


def cmd_print(args: argparse.Namespace, node: Node, session: Session, now: dt.datetime) -> int:
    """Write the printable board."""
    session.touch(now)
    write_new(Path(args.file), printboard.render(node, now=now).encode("utf-8"), mode=0o644)
    print(t("desk.print.done", path=str(args.file)))
    return 0
