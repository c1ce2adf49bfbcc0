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
    "desk.intake.held": (
        "Zorgsignaal {ref} voor {id} is bewaard voor de coördinator. Het staat niet op het bord.",
        "Care signal {ref} for {id} is kept for the coordinator. It is not on the board.",
    ),
    "desk.flag.resolved": ("Zorgsignaal {ref} is afgehandeld.", "Care signal {ref} is resolved."),
    "desk.flag.unflagged": ("Geen zorgsignaal: de vraag staat nu op het bord als {ref}.",
                            "Not a care signal: the request is now on the board as {ref}."),
    "staff.intake.no_caller": ("Beller: nog niet gekozen", "Caller: not chosen yet"),
    "staff.intake.new_caller_line": ("Beller: nieuw (krijgt een kaart)", "Caller: new (gets a card)"),
    "staff.intake.caller": ("Beller: {id} {name} · {village} · {phone}", "Caller: {id} {name} · {village} · {phone}"),
    "staff.intake.start": (
        "Zoek eerst de beller. Enter zonder tekst: nieuwe beller. Enter gaat naar het volgende veld.",
        "Find the caller first. Enter with nothing typed: new caller. Enter moves to the next field.",
    ),
    "staff.intake.find_hint": ("telefoon, naam of kaartnummer", "phone, name or card number"),
    "staff.intake.found": (
        "{n} gevonden. Pijltjes en Enter: deze beller. n: iemand anders (nieuwe kaart).",
        "{n} found. Arrows and Enter: this caller. n: someone else (new card).",
    ),
    "staff.intake.known_phone": (
        "Dit nummer staat al op een kaart. Enter: die kaart gebruiken. n: toch een nieuwe kaart.",
        "This number is already on a card. Enter: use that card. n: a new card anyway.",
    ),
    "staff.intake.draft_back": (
        "Uw half ingevulde vraag van net is terug.", "Your half-typed request from before is back.",
    ),
    "staff.intake.new": ("Nieuwe beller", "New caller"),
    "staff.intake.label.find": ("Zoek beller", "Find caller"),
    "staff.intake.label.first_name": ("Voornaam", "First name"),
    "staff.intake.label.phone": ("Telefoon", "Phone"),
    "staff.intake.label.address": ("Adres", "Address"),
    "staff.intake.label.village": ("Dorp (→ vult aan)", "Village (→ completes)"),
    "staff.intake.label.category": ("Soort hulp (→ vult aan)", "Kind of help (→ completes)"),
    "staff.intake.label.title": ("Wat is er nodig?", "What is needed?"),
    "staff.intake.label.days": ("Welke dagen?", "Which days?"),
    "staff.intake.label.slots": ("Welk dagdeel?", "Part of the day?"),
    "staff.intake.label.when": ("Wanneer, in woorden", "When, in words"),
    "staff.intake.label.show_name": ("Voornaam op het bord?", "First name on the board?"),
    "staff.intake.label.flag": ("Zorgsignaal?", "Care signal?"),
    "staff.intake.ph.first_name": ("voornaam van de beller", "the caller's first name"),
    "staff.intake.ph.phone": ("bijvoorbeeld 0594-123456", "for example 0594-123456"),
    "staff.intake.ph.address": ("straat en huisnummer", "street and number"),
    "staff.intake.ph.village": ("leeg: {village}", "empty: {village}"),
    "staff.intake.ph.days": ("ma di wo do vr za zo", "mo tu we th fr sa su"),
    "staff.intake.ph.slots": ("o = ochtend, m = middag, a = avond", "m = morning, a = afternoon, e = evening"),
    "staff.intake.ph.when": ("bijvoorbeeld: donderdag 14 uur", "for example: Thursday 2 pm"),
    "staff.intake.ph.no": ("n (j = ja, mag)", "n (y = yes, may)"),
    "staff.intake.ph.flag": (
        "leeg: nee. Anders de reden: alleen de coördinator leest het, niet op het bord",
        "empty: no. Otherwise the reason: only the coordinator reads it, not on the board",
    ),
    "staff.col.last_contact": ("Laatste contact", "Last contact"),
    "desk.match.appointment": ("Afspraak voor {id}: {at}.", "Appointment for {id}: {at}."),
    "desk.requests.row": (
        "{ref}  {age:>9}  {title:28}  {who:18}  {n} suggesties  {state}  {appointment}",
        "{ref}  {age:>9}  {title:28}  {who:18}  {n} suggestions  {state}  {appointment}",
    ),
    "desk.requests.none": ("Geen open vragen.", "No open requests."),
    "desk.requests.no_match": ("nog geen koppeling", "no match yet"),
    "desk.requests.flagged": ("zorgsignaal (coördinator)", "care signal (coordinator)"),
    "desk.requests.appointment": ("afspraak {at}", "appointment {at}"),
    "staff.menu.requests": ("Open vragen", "Open requests"),
    "staff.menu.manage": ("Beheer (coördinator)", "Manage (coordinator)"),
    "staff.requests.appointment": ("Afspraak", "Appointment"),
    "staff.requests.match": ("Koppeling", "Match"),
    "staff.requests.flag": ("Zorgsignaal", "Care signal"),
    "staff.requests.hint": (
        "Enter: helpers zoeken en voorstellen. a: afspraak vastleggen. m: de koppeling. z: zorgsignaal.",
        "Enter: find and propose helpers. a: record the appointment. m: the match. z: care signal.",
    ),
    "staff.requests.no_match_yet": (
        "Deze vraag heeft nog geen koppeling. Kies eerst een helper (Enter).",
        "This request has no match yet. Choose a helper first (Enter).",
    ),
    "staff.requests.when_appointment": (
        "Wanneer komt de helper? Datum en tijd, bijvoorbeeld 5-3 14:00",
        "When does the helper come? Date and time, for example 5-3 14:00",
    ),
    "staff.col.suggestions": ("Suggesties", "Suggestions"),
    "staff.col.appointment": ("Afspraak", "Appointment"),
    "staff.cli.need_pin": (
        "Geef uw pincode (NOTICEBOARD_PIN) of typ hem in een terminal.",
        "Give your PIN (NOTICEBOARD_PIN) or type it in a terminal.",
    ),
    "staff.match.sure_done": (
        "Weet u het zeker? {id} wordt afgesloten als gedaan. Typ hoe het ging en druk op Enter (Esc: niet doen).",
        "Are you sure? {id} will be closed as done. Type how it went and press Enter (Esc: do not).",
    ),
    "staff.match.sure_cancel": (
        "Weet u het zeker? {id} wordt geannuleerd. Typ de reden en druk op Enter (Esc: niet doen).",
        "Are you sure? {id} will be cancelled. Type the reason and press Enter (Esc: do not).",
    ),
    "desk.error.vog_expired": (
        "De VOG van deze helper is verlopen: gecontroleerd op {on}, en een VOG telt {years} jaar. "
        "Vraag een nieuwe aan.",
        "This helper's VOG has expired: checked on {on}, and a VOG counts for {years} years. Ask for a new one.",
    ),
    "desk.reason.vog_expired": (
        "VOG verlopen (gecontroleerd op {on}, telt {years} jaar)",
        "VOG expired (checked on {on}, counts {years} years)",
    ),
    "desk.settings.vog_years": ("Een VOG telt {years} jaar.", "A VOG counts for {years} years."),
    "desk.settings.referral": ("Doorverwijzen: {name}, {phone}", "Refer to: {name}, {phone}"),
    "desk.settings.no_referrals": ("Nog geen contacten om naar door te verwijzen.", "No referral contacts yet."),
    "desk.followup.due_soon": ("Nog geen helper, en het is bijna zover: {ref}", "No helper yet, and the day is near: {ref}"),
    "desk.followup.past_date": (
        "De dag is voorbij zonder hulp: {ref}. Bel de beller, of sluit de vraag af.",
        "The day has passed without help: {ref}. Call the caller, or close the request.",
    ),
    "desk.followup.past_appointment": (
        "Afspraak voorbij, nog niet op 'gedaan': {subject} ({ref})",
        "Appointment passed, not marked 'done' yet: {subject} ({ref})",
    ),
    "staff.followup.sure_close": (
        "Weet u het zeker? {ref} gaat van het bord. Typ de reden en druk op Enter (Esc: niet doen).",
        "Are you sure? {ref} leaves the board. Type the reason and press Enter (Esc: do not).",
    ),
    "staff.followup.closed": ("{ref} is afgesloten.", "{ref} is closed."),
    "staff.audit.filter": (
        "zoeken: woorden uit wie, wat, kaart of datum (bijvoorbeeld: vrijwilliger 3 inzage)",
        "search: words from who, what, card or date (for example: volunteer 3 access)",
    ),
    "staff.idle.warning": (
        "Over {seconds} seconden logt de balie u uit. Druk op een toets om door te gaan. "
        "Een half ingevulde vraag wordt bewaard.",
        "In {seconds} seconds the desk logs you out. Press a key to go on. A half-typed request is kept.",
    ),
}
