"""Texts of the command line and the errors people can meet anywhere."""

TEXTS: dict[str, tuple[str, str]] = {
    "error.store": (
        "Er ging iets mis met de gegevens van dit buurthuis. Vraag de coördinator om hulp.",
        "Something went wrong with this centre's data. Ask the coordinator for help.",
    ),
    "error.no_node": (
        "Hier staat nog geen prikbord. Maak er eerst een met: noticeboard init",
        "There is no noticeboard here yet. Create one first with: noticeboard init",
    ),
    "error.node_exists": (
        "Hier staat al een prikbord. Kies een andere map met --data-dir.",
        "A noticeboard already exists here. Choose another folder with --data-dir.",
    ),
    "error.wrong_passphrase": (
        "Het wachtwoord of sleutelbestand klopt niet. Er is niets veranderd. Probeer het opnieuw.",
        "The passphrase or key file is wrong. Nothing was changed. Please try again.",
    ),
    "error.need_passphrase": (
        "Geef het wachtwoord (NOTICEBOARD_PASSPHRASE) of een sleutelbestand (--key-file).",
        "Give the passphrase (NOTICEBOARD_PASSPHRASE) or a key file (--key-file).",
    ),
    "error.damaged": (
        "Een deel van de gegevens is beschadigd. Zet een reservekopie terug of vraag om hulp.",
        "Part of the data is damaged. Restore a backup or ask for help.",
    ),
    "error.disk_full": (
        "De schijf is vol: er kon niets meer bewaard worden. Wat al bewaard was, is heel gebleven. "
        "Maak ruimte vrij (bijvoorbeeld oude back-ups weggooien) en probeer het opnieuw.",
        "The disk is full: nothing more could be saved. What was saved before is intact. "
        "Free some space (for example remove old backups) and try again.",
    ),
    "error.key_file": (
        "Het sleutelbestand kan niet gelezen worden: {path}",
        "The key file cannot be read: {path}",
    ),
    "error.passphrase_mismatch": (
        "De twee wachtwoorden zijn niet gelijk. Probeer het opnieuw.",
        "The two passphrases are not the same. Please try again.",
    ),
    "error.passphrase_short": (
        "Kies een wachtwoord van minstens {n} tekens.",
        "Choose a passphrase of at least {n} characters.",
    ),
    "error.location": (
        "De plaats klopt niet. Schrijf breedte,lengte, bijvoorbeeld 53.32,6.44.",
        "The location is not right. Write latitude,longitude, for example 53.32,6.44.",
    ),
    "error.category": (
        "Deze soort hulp kennen we niet: {code}. Kies uit: {codes}",
        "We do not know this kind of help: {code}. Choose from: {codes}",
    ),
    "error.not_found": (
        "Er is geen vraag of aanbod met code {ref}.",
        "There is no request or offer with code {ref}.",
    ),
    "error.not_own": (
        "Code {ref} hoort bij een ander buurthuis. Alleen dat buurthuis kan het aanpassen.",
        "Code {ref} belongs to another centre. Only that centre can change it.",
    ),
    "error.entry": (
        "Dit kan niet worden opgeslagen: {detail}",
        "This cannot be saved: {detail}",
    ),
    "error.contact_in_text": (
        "Zet geen telefoonnummer of e-mailadres in de tekst. Dat vragen we apart, en het blijft hier.",
        "Please do not put a phone number or e-mail address in the text. We ask for it separately, and it stays here.",
    ),
    "error.too_long": (
        "De tekst is te lang. Maak hem korter.",
        "The text is too long. Please make it shorter.",
    ),
    "prompt.passphrase": ("Wachtwoord: ", "Passphrase: "),
    "prompt.passphrase_new": ("Nieuw wachtwoord: ", "New passphrase: "),
    "prompt.passphrase_again": ("Nog een keer: ", "Once more: "),
    "init.done": (
        "Prikbord gemaakt voor {name} in {village}.",
        "Noticeboard created for {name} in {village}.",
    ),
    "post.done": (
        "Geplaatst. De code is {ref}. Bewaar deze code.",
        "Posted. The code is {ref}. Keep this code.",
    ),
    "withdraw.done": (
        "{ref} is ingetrokken. De tekst wordt overal gewist.",
        "{ref} is withdrawn. The text is erased everywhere.",
    ),
    "passphrase.changed": (
        "Het wachtwoord is veranderd. Gebruik vanaf nu het nieuwe.",
        "The passphrase is changed. From now on use the new one.",
    ),
    "whoami.node": ("Buurthuis", "Centre"),
    "whoami.key": ("Sleutel", "Key"),
    "whoami.code": ("Controlecode", "Check code"),
    "whoami.tls": ("TLS-vingerafdruk", "TLS fingerprint"),
    "list.empty": ("Er staat niets op het prikbord.", "There is nothing on the board."),
    "kind.request": ("Vraag", "Request"),
    "kind.offer": ("Aanbod", "Offer"),
    "status.open": ("open", "open"),
    "status.matched": ("er is een helper gevonden", "a helper was found"),
    "status.done": ("klaar", "done"),
    "status.withdrawn": ("ingetrokken", "withdrawn"),
    "field.category": ("Soort hulp", "Kind of help"),
    "field.title": ("Titel", "Title"),
    "field.text": ("Uitleg", "Details"),
    "field.when": ("Wanneer", "When"),
    "field.village": ("Dorp", "Village"),
    "field.status": ("Stand", "Status"),
    "field.code": ("Code", "Code"),
    "field.expires": ("Loopt tot", "Runs until"),
    "demo.ready": (
        "Demo-prikbord klaar in {path}",
        "Demo board ready in {path}",
    ),
    "demo.desk": (
        "Oefenen aan de balie (noticeboard desk, of F11 in de kiosk): coördinator-wachtwoord '{passphrase}'; "
        "oefen-vrijwilligers (nummer en PIN): {volunteers}.",
        "Practise at the desk (noticeboard desk, or F11 in the kiosk): coordinator passphrase '{passphrase}'; "
        "practice volunteers (number and PIN): {volunteers}.",
    ),
}
