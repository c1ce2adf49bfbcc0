"""Texts of the phone line at the desk: finding the caller, the intake, open requests, zorgsignaal, dates."""

TEXTS: dict[str, tuple[str, str]] = {
    "desk.error.known_phone": (
        "Dit telefoonnummer staat al op kaart {ids}. Kies die kaart, of maak toch een nieuwe.",
        "This phone number is already on card {ids}. Choose that card, or make a new one anyway.",
    ),
    "desk.error.duplicate": (
        "Deze vraag is net al ingevoerd ({ref}). Er is geen tweede gemaakt.",
        "This request was entered just now ({ref}). No second one was made.",
    ),
    "desk.error.flagged": (
        "Dit is een zorgsignaal. Alleen de coördinator handelt dit af.",
        "This is a care signal. Only the coordinator handles it.",
    ),
    "desk.error.future_date": (
        "Die datum ligt in de toekomst. Vul de dag in waarop het gecontroleerd is.",
        "That date is in the future. Fill in the day it was checked.",
    ),
    "desk.find.row": ("{id}  {name:14}  {village:12}  {phone:14}  {last}", "{id}  {name:14}  {village:12}  {phone:14}  {last}"),
    "desk.find.last": ("laatste contact {when}", "last contact {when}"),
    "desk.find.never": ("nog geen contact", "no contact yet"),
    "desk.find.none": ("Niemand gevonden. Maak een nieuwe kaart.", "Nobody found. Make a new card."),
    "desk.person.anyway_hint": (
        "Toch een nieuwe kaart? Geef --anyway mee.",
        "A new card anyway? Add --anyway.",
    ),
}
