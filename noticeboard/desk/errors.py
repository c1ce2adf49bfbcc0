"""Errors a volunteer or coordinator can meet at the desk, each naming the sentence to show."""

from __future__ import annotations

from noticeboard.store.errors import StoreError


class DeskError(StoreError):
    """Something at the desk cannot be done; ``text_key`` names the sentence, ``values`` fill it."""

    text_key = "desk.error"

    def __init__(self, detail: str = "", **values: object) -> None:
        super().__init__(detail)
        self.values = values


class WrongPin(DeskError):
    """The PIN or passphrase is wrong; ``values['n']`` tries remain."""

    text_key = "desk.error.wrong_pin"


class LockedOut(DeskError):
    """Too many wrong tries: this role is locked until ``values['until']``."""

    text_key = "desk.error.locked_out"


class SessionEnded(DeskError):
    """The staff session ended (idle too long or logged out)."""

    text_key = "desk.error.session_ended"


class NotAllowed(DeskError):
    """This role may not do this."""

    text_key = "desk.error.not_allowed"


class UnknownPerson(DeskError):
    """No card with that id."""

    text_key = "desk.error.unknown_person"


class UnknownMatch(DeskError):
    """No match with that id."""

    text_key = "desk.error.unknown_match"


class LooksLikeBsn(DeskError):
    """A field holds a number that passes the elfproef: a BSN is never kept here."""

    text_key = "desk.error.bsn"


class BadInput(DeskError):
    """A value is not acceptable; ``values['field']`` says which."""

    text_key = "desk.error.bad_input"


class NeedsScreening(DeskError):
    """The helper lacks the screening this category needs."""

    text_key = "desk.error.needs_screening"


class ScreeningExpired(DeskError):
    """The helper's VOG was checked on ``values['on']``, longer ago than the ``values['years']`` it counts."""

    text_key = "desk.error.vog_expired"


class Paused(DeskError):
    """The helper is paused until ``values['until']``."""

    text_key = "desk.error.paused"


class WrongState(DeskError):
    """The match is not in a state that allows this step."""

    text_key = "desk.error.wrong_state"


class SelfTransfer(DeskError):
    """An hour-ledger transfer from a person to themselves."""

    text_key = "desk.error.self_transfer"


class KnownPhone(DeskError):
    """A new card with a phone number already on card(s) ``values['ids']``."""

    text_key = "desk.error.known_phone"


class Duplicate(DeskError):
    """The same request for the same caller was just made (``values['ref']``)."""

    text_key = "desk.error.duplicate"


class Flagged(DeskError):
    """The request is a zorgsignaal: only the coordinator handles it."""

    text_key = "desk.error.flagged"


class FutureDate(DeskError):
    """A date that can only be in the past (a check that was done) lies in the future."""

    text_key = "desk.error.future_date"
