"""Why an act was refused: one type per reason, each naming its sentence (the front ends show it)."""

from __future__ import annotations

from noticeboard.store.errors import StoreError


class ActRefused(StoreError):
    """An act cannot be done; ``text_key`` names the sentence, ``values`` fill it."""

    text_key = "acts.error.refused"

    def __init__(self, detail: str = "", **values: object) -> None:
        super().__init__(detail)
        self.values = values


class NotPermitted(ActRefused):
    """This actor may not do this act (``values['act']``)."""

    text_key = "acts.error.not_permitted"


class ConsentNeeded(ActRefused):
    """Personal details were given without the person's agreement to keep them."""

    text_key = "acts.error.consent_needed"


class OwnerCodeNeeded(ActRefused):
    """Withdrawing at the kiosk needs the post's wijzigcode."""

    text_key = "acts.error.owner_code_needed"


class NoOwnerCode(ActRefused):
    """This post has no wijzigcode (posted at the desk or before codes existed): the desk withdraws it."""

    text_key = "acts.error.no_owner_code"


class WrongOwnerCode(ActRefused):
    """The wijzigcode is wrong; ``values['left']`` tries remain before a wait."""

    text_key = "acts.error.wrong_owner_code"


class OwnerLockedOut(ActRefused):
    """Too many wrong wijzigcodes: no more tries until ``values['until']`` (HH:MM, UTC), in ``n`` minutes."""

    text_key = "acts.error.owner_locked_out"


class WrongOwnerCodeWait(OwnerLockedOut):
    """This wrong wijzigcode started (or lengthened) the wait: ``n`` minutes before the next try."""

    text_key = "acts.error.wrong_owner_code_wait"


class NotTrusted(ActRefused):
    """Only a trusted (paired) centre can be made an introducer."""

    text_key = "acts.error.not_trusted"
