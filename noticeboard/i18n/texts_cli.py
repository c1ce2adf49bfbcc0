"""The command line's help: argparse's own words and every command's and option's help.

Here the id of a text is the English help exactly as written in the cli/cmd_*.py module (the
usual gettext way), so a command module keeps plain English help and the help formatter in
noticeboard/cli/helptext.py shows it in the chosen language; a help that ends in a list after
"word:" is found by the words up to the colon. A test fails when a help text has no Dutch yet.
"""

_DUTCH: dict[str, str] = {
    # argparse's own words
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "deze hulp tonen en stoppen",
    "show program's version number and exit": "het versienummer tonen en stoppen",
    # the common options
    "Buurthulp noticeboard": "Buurthulp prikbord",
    "the node's folder (default: NOTICEBOARD_HOME or the user data folder)":
        "de map van dit prikbord (standaard: NOTICEBOARD_HOME of de gegevensmap van de gebruiker)",
    "unlock with this key file instead of the passphrase": "openen met dit sleutelbestand in plaats van het wachtwoord",
    "language of messages (default: NOTICEBOARD_LANG or nl)": "taal van de meldingen (standaard: NOTICEBOARD_LANG of nl)",
    "log details to stderr": "details loggen naar stderr",
    # commands
    "carry entries to another centre in a file (USB stick)":
        "berichten in een bestand naar een ander buurthuis brengen (USB-stick)",
    "set up a demo board with sample villages and open the kiosk on it":
        "een demo-prikbord met voorbeelddorpen maken en de kiosk erop openen",
    "open the staff desk (volunteers and the coordinator) in the terminal":
        "de balie (vrijwilligers en coördinator) openen in de terminal",
    "volunteer accounts (coordinator)": "accounts van vrijwilligers (coördinator)",
    "the card index (kaartenbak)": "de kaartenbak",
    "post a request on behalf of a caller": "een hulpvraag plaatsen voor iemand die belt",
    "suggest helpers for a request, with reasons": "helpers voorstellen voor een hulpvraag, met de redenen",
    "the match lifecycle": "koppelingen: voorstellen, akkoord, gegevens delen, klaar",
    "what needs attention (aandacht nodig)": "wat aandacht nodig heeft",
    "reciprocity: mode, counters, hour ledger": "wederkerigheid: stand, tellers, urenlijst",
    "flag a request 'doorverwijzen / zorgsignaal'": "een hulpvraag markeren als 'doorverwijzen / zorgsignaal'",
    "show a request's text as this role may see it": "de tekst van een hulpvraag tonen zoals deze rol hem mag zien",
    "what buurthulp does not do, and where to refer": "wat buurthulp niet doet, en waar u naar kunt verwijzen",
    "hide a post on this board (coordinator)": "een bericht op dit prikbord verbergen (coördinator)",
    "unhide a post on this board (coordinator)": "een verborgen bericht weer tonen (coördinator)",
    "block another centre (coordinator)": "een ander buurthuis blokkeren (coördinator)",
    "the audit log (coordinator)": "het logboek (coördinator)",
    "statistics per village, category and month": "cijfers per dorp, soort hulp en maand",
    "write an A4 HTML page of the open posts": "een A4-pagina (HTML) met de open berichten maken",
    "open the resident kiosk (browse, ask, offer help)": "de kiosk voor bewoners openen (kijken, vragen, hulp aanbieden)",
    "create a new node in the data folder": "een nieuw prikbord maken in de gegevensmap",
    "show this node's key and pairing code": "de sleutel en koppelcode van dit prikbord tonen",
    "change the passphrase (data stays as it is)": "het wachtwoord veranderen (de gegevens blijven zoals ze zijn)",
    "post a request or an offer; prints its reference code": "een vraag of aanbod plaatsen; toont de code ervan",
    "list the board": "het prikbord tonen",
    "show one request or offer by its code": "één vraag of aanbod tonen met de code",
    "withdraw one of this node's posts (erased everywhere)":
        "een bericht van dit prikbord intrekken (overal gewist)",
    "print the signed entries exactly as they travel": "de ondertekende berichten tonen precies zoals ze reizen",
    "write an encrypted backup of this node to FILE (safe while it runs)":
        "een versleutelde reservekopie van dit prikbord in FILE zetten (kan terwijl het draait)",
    "restore a backup into a new epoch (peers sync it again)":
        "een reservekopie terugzetten als nieuw tijdvak (andere buurthuizen wisselen opnieuw uit)",
    "add or remove the key file that unlocks this node":
        "het sleutelbestand toevoegen of weghalen dat dit prikbord opent",
    "rotate the data key or the signing key": "de gegevenssleutel of de ondertekensleutel vervangen",
    "the processing register; access, erasure, retention and consent":
        "het verwerkingsregister; inzage, wissen, bewaartermijn en toestemming",
    "what the sync service is doing: centres seen, last sync, counts":
        "wat de uitwisseling doet: gevonden buurthuizen, laatste uitwisseling, aantallen",
    "check for the usual reasons sync does not work, and say what to do":
        "de gewone redenen nakijken waarom uitwisselen niet werkt, en zeggen wat te doen",
    "serve other centres (headless) until stopped": "andere buurthuizen bedienen (zonder scherm) tot het stopt",
    "other centres: list, pair, trust, introducer, block, unblock":
        "andere buurthuizen: tonen, koppelen, vertrouwen, voorstellen, blokkeren, deblokkeren",
    "exchange entries with one paired centre now": "nu berichten uitwisselen met één gekoppeld buurthuis",
    'say "I can help" on a request or offer (also of another centre)':
        'zeggen "ik kan helpen" bij een vraag of aanbod (ook van een ander buurthuis)',
    'show "I can help" responses for this centre\'s posts':
        'de reacties "ik kan helpen" op de berichten van dit buurthuis tonen',
    # bundle
    "write the entries others do not have yet to FILE": "de berichten die anderen nog niet hebben in FILE zetten",
    "take in the entries of a bundle FILE": "de berichten uit een bundelbestand FILE opnemen",
    "only what this centre needs (key, pairing code or name; write a key that starts with '-' as --for=KEY); "
    "repeatable":
        "alleen wat dit buurthuis nodig heeft (sleutel, koppelcode of naam; schrijf een sleutel die met '-' "
        "begint als --for=KEY); mag vaker",
    "only what changed since the last bundle for these centres":
        "alleen wat veranderd is sinds de laatste bundel voor deze buurthuizen",
    "seal the bundle so only the --for centres can open it":
        "de bundel verzegelen zodat alleen de --for-buurthuizen hem kunnen openen",
    "first pair with the centre that made it: its code, read out over the phone":
        "eerst koppelen met het buurthuis dat hem maakte: de code, voorgelezen aan de telefoon",
    # demo
    "only set it up, print where it is": "alleen klaarzetten en tonen waar het staat",
    # volunteers
    "add a volunteer account; PIN from NOTICEBOARD_NEW_PIN":
        "een account voor een vrijwilliger maken; pincode uit NOTICEBOARD_NEW_PIN",
    "list volunteer accounts": "de accounts van vrijwilligers tonen",
    "lock a volunteer account": "een account van een vrijwilliger op slot zetten",
    "unlock a volunteer account": "een account van een vrijwilliger van het slot halen",
    "log in as volunteer number N (PIN from NOTICEBOARD_PIN); default: coordinator":
        "inloggen als vrijwilliger nummer N (pincode uit NOTICEBOARD_PIN); standaard: coördinator",
    # the card index
    "add a card": "een kaart toevoegen",
    "find a card by phone (any spelling), name or card id":
        "een kaart zoeken op telefoon (hoe ook geschreven), naam of kaartnummer",
    "change a card (only the fields given)": "een kaart veranderen (alleen wat u meegeeft)",
    "list cards": "de kaarten tonen",
    "show one card": "één kaart tonen",
    "pause a card until a date (or --wake)": "een kaart tot een datum op pauze zetten (of --wake)",
    "record a screening (VOG: coordinator only)": "een screening vastleggen (VOG: alleen de coördinator)",
    "comma-separated language codes, e.g. nl,pl": "taalcodes met komma's ertussen, bijvoorbeeld nl,pl",
    "comma-separated: mon,tue,wed,thu,fri,sat,sun": "met komma's ertussen: mon,tue,wed,thu,fri,sat,sun",
    "comma-separated: morning,afternoon,evening": "met komma's ertussen: morning,afternoon,evening",
    "prefers the same helper": "wil graag dezelfde helper",
    "this person helps": "deze persoon helpt",
    "this person only helps, never asks": "deze persoon helpt alleen en vraagt nooit",
    "add even when the phone number is already on a card":
        "toch toevoegen, ook als het telefoonnummer al op een kaart staat",
    "the resident's card id": "het kaartnummer van de bewoner",
    # matches
    "propose a helper for a request": "een helper voorstellen voor een hulpvraag",
    "one side agrees": "één kant gaat akkoord",
    "show both sides' contact details (after both agreed)":
        "de contactgegevens van beide kanten tonen (als beide akkoord zijn)",
    "the help happened": "de hulp is gegeven",
    "cancel a match": "een koppeling stoppen",
    "record feedback": "terugkoppeling vastleggen",
    "list matches": "de koppelingen tonen",
    "take in match messages from other centres": "berichten over koppelingen van andere buurthuizen opnemen",
    "a helper's card id": "het kaartnummer van een helper",
    "an offer's code or author|id": "de code van een aanbod, of author|id",
    "hour ledger: minutes from resident to helper": "urenlijst: minuten van bewoner naar helper",
    "set the mode (coordinator)": "de stand kiezen (coördinator)",
    "anonymised CSV": "CSV zonder namen",
    # kiosk
    "lock down: quit and suspend keys do nothing; staff leave with the PIN (F12)":
        "afsluiten: stop- en pauzetoetsen doen niets; medewerkers gaan eruit met de pincode (F12)",
    "back to the start screen after this many seconds without input (default: [kiosk] idle_timeout in the "
    "settings file, else 90)":
        "terug naar het beginscherm na zoveel seconden zonder invoer (standaard: [kiosk] idle_timeout in het "
        "instellingenbestand, anders 90)",
    "settings file (default: NOTICEBOARD_CONFIG or config.toml in the data folder)":
        "instellingenbestand (standaard: NOTICEBOARD_CONFIG of config.toml in de gegevensmap)",
    "start in the high-contrast theme": "beginnen met hoog contrast",
    "start with the larger-text layout": "beginnen met grotere letters",
    "set the staff PIN that leaves kiosk mode (from NOTICEBOARD_KIOSK_PIN or asked)":
        "de pincode kiezen waarmee medewerkers de kiosk verlaten (uit NOTICEBOARD_KIOSK_PIN, of gevraagd)",
    # the node
    "the centre's name": "de naam van het buurthuis",
    "LAT,LON in degrees, e.g. 53.32,6.44": "LAT,LON in graden, bijvoorbeeld 53.32,6.44",
    "the centre's public phone number": "het openbare telefoonnummer van het buurthuis",
    "opening hours, e.g. 'ma-vr 9-12'": "openingstijden, bijvoorbeeld 'ma-vr 9-12'",
    # posts ("one of:" and "...help with:" are followed by the category codes: only the words before are translated)
    "one of:": "een van:",
    "categories this person can help with:": "soorten hulp die deze persoon kan geven:",
    "how far it may travel (0-200 km)": "hoe ver het mag reizen (0-200 km)",
    "when, in words (e.g. 'dinsdagmiddag')": "wanneer, in woorden (bijvoorbeeld 'dinsdagmiddag')",
    "first name or initials shown on the board": "voornaam of voorletters op het prikbord",
    "phone or e-mail; stays on this node only": "telefoon of e-mail; blijft alleen op dit prikbord",
    "words that must appear": "woorden die erin moeten staan",
    "print JSON (public fields only)": "JSON tonen (alleen openbare velden)",
    "one JSON object a line (the default)": "één JSON-object per regel (standaard)",
    # backup and keys
    "only check that the backup is whole and opens": "alleen nakijken of de reservekopie heel is en opent",
    "make a new key file at PATH and let it unlock the node":
        "een nieuw sleutelbestand maken in PATH waarmee het prikbord opent",
    "stop the key file from unlocking the node (the passphrase stays)":
        "het sleutelbestand opent het prikbord niet meer (het wachtwoord blijft)",
    "re-encrypt all data under a new data key (resumable)":
        "alle gegevens opnieuw versleutelen met een nieuwe gegevenssleutel (kan verder na een onderbreking)",
    "retire the signing key for a new one; peers follow the hand-over":
        "de ondertekensleutel vervangen door een nieuwe; andere buurthuizen volgen de overdracht",
    # privacy
    "write everything this node holds about one person as JSON":
        "alles wat dit prikbord over één persoon heeft als JSON geven",
    "erase one person here, and their posts everywhere": "één persoon hier wissen, en hun berichten overal",
    "anonymise closed requests and matches older than the period":
        "afgesloten hulpvragen en koppelingen ouder dan de bewaartermijn anoniem maken",
    "record or show what a person agreed to, for a post":
        "vastleggen of tonen waarvoor iemand toestemming gaf, bij een bericht",
    "reference codes (BH-...) or phone numbers / e-mails": "codes (BH-...) of telefoonnummers / e-mailadressen",
    "a card id from the card index": "een kaartnummer uit de kaartenbak",
    "write to this file instead of the screen": "naar dit bestand schrijven in plaats van naar het scherm",
    "do not ask for confirmation": "niet om bevestiging vragen",
    "set the retention period (months) before running": "eerst de bewaartermijn (maanden) instellen",
    "a purpose agreed to (repeat for more)": "een doel waarvoor toestemming is gegeven (vaker geven voor meer)",
    "with whom it may be shared": "met wie het gedeeld mag worden",
    "withdraw every consent for this post": "alle toestemming voor dit bericht intrekken",
    "health details to keep (needs --agree health now or before)":
        "gegevens over gezondheid om te bewaren (nodig: --agree health, nu of eerder)",
    # the sync service
    "print the status as JSON (for monitoring)": "de stand als JSON tonen (voor bewaking)",
    "address to listen on (default: [sync] listen in the config, else all)":
        "adres om op te luisteren (standaard: [sync] listen in de instellingen, anders alle)",
    "port (default: the config's, else 8443; 0 picks one)":
        "poort (standaard: die uit de instellingen, anders 8443; 0 kiest er een)",
    "do not find or announce centres on the network (mDNS)":
        "geen buurthuizen zoeken of aankondigen op het netwerk (mDNS)",
    "list known centres and their trust": "bekende buurthuizen tonen en hoe ze vertrouwd worden",
    "pair with the centre at HOST:PORT after checking its code":
        "koppelen met het buurthuis op HOST:PORT na het nakijken van de code",
    "trust a known centre": "een bekend buurthuis vertrouwen",
    "block a centre and erase its entries": "een buurthuis blokkeren en de berichten ervan wissen",
    "lift a block (the centre is not trusted until paired again)":
        "een blokkade opheffen (het buurthuis wordt pas weer vertrouwd na opnieuw koppelen)",
    "let a trusted centre introduce the centres it trusts":
        "een vertrouwd buurthuis de buurthuizen laten voorstellen die het zelf vertrouwt",
    "the code `noticeboard whoami` shows at that centre": "de code die `noticeboard whoami` bij dat buurthuis toont",
    "key (start), code, name or HOST:PORT": "sleutel (begin), code, naam of HOST:PORT",
    "stop taking its introductions": "geen voorstellen meer van dit buurthuis aannemen",
    "address (or key, code or name) of a paired centre": "adres (of sleutel, code of naam) van een gekoppeld buurthuis",
    "a short message for the centre": "een kort bericht voor het buurthuis",
    "how the centre can reach the helper (sealed, for that centre only)":
        "hoe het buurthuis de helper kan bereiken (verzegeld, alleen voor dat buurthuis)",
    "the helper's first name": "de voornaam van de helper",
    # added with the desk's zorgsignaal, appointments and open-requests commands
    "close a zorgsignaal with a note (coordinator)": "een zorgsignaal afsluiten met een notitie (coördinator)",
    "done and expired ones too": "ook die klaar of verlopen zijn",
    "local date and time: YYYY-MM-DD HH:MM or DD-MM HH:MM": "datum en tijd hier: JJJJ-MM-DD UU:MM of DD-MM UU:MM",
    "not a zorgsignaal after all: post it (coordinator)":
        "toch geen zorgsignaal: zet het op het prikbord (coördinator)",
    "only requests not done yet (the default)": "alleen hulpvragen die nog niet klaar zijn (standaard)",
    "record the date and time the helper comes": "vastleggen wanneer de helper komt (datum en tijd)",
    "the caller said yes to showing their first name on the board (default: not shown)":
        "de beller vindt het goed dat de voornaam op het prikbord staat (standaard: niet getoond)",
    "this centre's open requests (open vragen), with age, suggestions and match":
        "de open vragen van dit buurthuis: hoe lang al open, voorstellen en koppeling",
    "volunteer number N (PIN from NOTICEBOARD_PIN or asked); default: the coordinator (passphrase from "
    "NOTICEBOARD_PASSPHRASE or asked)":
        "vrijwilliger nummer N (pincode uit NOTICEBOARD_PIN, of gevraagd); standaard: de coördinator "
        "(wachtwoord uit NOTICEBOARD_PASSPHRASE, of gevraagd)",
    "zorgsignaal: keep the request here for the coordinator, never on the board":
        "zorgsignaal: de hulpvraag blijft hier voor de coördinator, nooit op het prikbord",
}

TEXTS: dict[str, tuple[str, str]] = {english: (dutch, english) for english, dutch in _DUTCH.items()}
