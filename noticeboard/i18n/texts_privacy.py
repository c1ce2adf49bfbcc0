"""Texts of the privacy area: backup, keys, consent, access, erasure, retention, the register."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "privacy.error.backup_damaged": (
        "De reservekopie is beschadigd of niet compleet. Er is niets teruggezet; uw gegevens zijn niet veranderd.",
        "The backup is damaged or incomplete. Nothing was restored; your data has not changed.",
    ),
    "privacy.error.not_a_backup": (
        "Dit bestand is geen reservekopie van het prikbord. Er is niets veranderd.",
        "This file is not a noticeboard backup. Nothing was changed.",
    ),
    "privacy.error.node_busy": (
        "Het prikbord is nog open in een ander programma. Stop de dienst en het prikbord, en probeer het opnieuw.",
        "The noticeboard is still open in another program. Stop the service and the kiosk, then try again.",
    ),
    "privacy.error.all_unlocks_needed": (
        "Hiervoor zijn het wachtwoord én het sleutelbestand nodig. Er is niets veranderd.",
        "This needs both the passphrase and the key file. Nothing was changed.",
    ),
    "privacy.error.last_unlock": (
        "Dan kan niemand het prikbord nog openen. Stel eerst een wachtwoord in. Er is niets veranderd.",
        "Then nobody could open the noticeboard any more. Set a passphrase first. Nothing was changed.",
    ),
    "privacy.error.unknown_person": (
        "Over deze persoon staat niets op dit prikbord.",
        "This noticeboard holds nothing about this person.",
    ),
    "privacy.error.no_consent": (
        "Gezondheidsinformatie mag alleen met uitdrukkelijke toestemming. Leg die eerst vast.",
        "Health details need explicit consent. Record that first.",
    ),
    "privacy.error.undeclared": (
        "Dit prikbord heeft gegevens die de sleutelwissel niet kent (tabel {ref}). Er is niets veranderd. "
        "Werk het programma bij.",
        "This noticeboard holds data the key change does not know (table {ref}). Nothing was changed. "
        "Update the program.",
    ),
    "privacy.error.write": (
        "Kan niet schrijven naar {path}. Kijk of de map bestaat, of de USB-stick erin zit en of er ruimte is.",
        "Cannot write to {path}. Check that the folder exists, the USB stick is in and there is space.",
    ),
    "privacy.error.no_file": ("Het bestand {path} bestaat niet.", "The file {path} does not exist."),
    "privacy.error.file_exists": (
        "Het bestand {path} bestaat al. Kies een andere naam.",
        "The file {path} already exists. Choose another name.",
    ),
    "privacy.backup.done": (
        "Reservekopie geschreven naar {path} ({size} kB, versleuteld).",
        "Backup written to {path} ({size} kB, encrypted).",
    ),
    "privacy.restore.checked": (
        "De reservekopie van {created} is heel en gaat open.",
        "The backup of {created} is whole and opens.",
    ),
    "privacy.restore.done": (
        "De reservekopie van {created} is teruggezet (nieuwe periode {epoch}). Andere buurthuizen synchroniseren opnieuw.",
        "The backup of {created} is restored (new epoch {epoch}). Other centres will sync again.",
    ),
    "privacy.keyfile.added": (
        "Sleutelbestand gemaakt: {path}. Bewaar het veilig; het opent het prikbord.",
        "Key file made: {path}. Keep it safe; it opens the noticeboard.",
    ),
    "privacy.keyfile.removed": (
        "Het sleutelbestand opent het prikbord niet meer. Het wachtwoord werkt nog.",
        "The key file no longer opens the noticeboard. The passphrase still works.",
    ),
    "privacy.rotate.progress": ("Opnieuw versleuteld: {done} van {total}", "Re-encrypted: {done} of {total}"),
    "privacy.rotate.done": (
        "Nieuwe gegevenssleutel in gebruik; {rows} rijen opnieuw versleuteld.",
        "New data key in use; {rows} rows re-encrypted.",
    ),
    "privacy.rotate.resumed": (
        "Onderbroken sleutelwissel afgemaakt; {rows} rijen opnieuw versleuteld.",
        "Interrupted key change finished; {rows} rows re-encrypted.",
    ),
    "privacy.register.title": (
        "Verwerkingsregister van dit prikbord: welke persoonsgegevens, waarom, hoe lang, wie ze ziet.",
        "Processing register of this noticeboard: which personal data, why, for how long, who sees it.",
    ),
    "privacy.register.table": ("Tabel {table} ({rows} rijen)", "Table {table} ({rows} rows)"),
    "privacy.register.holds": ("  Bevat:        {value}", "  Holds:      {value}"),
    "privacy.register.purpose": ("  Waarom:       {value}", "  Why:        {value}"),
    "privacy.register.retention": ("  Hoe lang:     {value}", "  How long:   {value}"),
    "privacy.register.audience": ("  Wie ziet:     {value}", "  Who sees:   {value}"),
    "privacy.register.sealed": ("  Versleuteld:  {value}", "  Encrypted:  {value}"),
    "privacy.register.undeclared": (
        "Tabel {table} ({rows} rijen) staat NIET in het register. Meld dit aan de ontwikkelaars.",
        "Table {table} ({rows} rows) is NOT in the register. Report this to the developers.",
    ),
    "privacy.register.period": (
        "Bewaartermijn na afsluiten: {months} maanden; daarna blijven alleen soort hulp, dorp en data over.",
        "Retention after closing: {months} months; after that only kind of help, village and dates remain.",
    ),
    "privacy.register.unfinished": (
        "Let op: een sleutelwissel is niet afgemaakt. Stop de dienst en voer 'noticeboard keys rotate-data' "
        "of 'noticeboard keys rotate-signing' opnieuw uit.",
        "Note: a key change is unfinished. Stop the service and run 'noticeboard keys rotate-data' "
        "or 'noticeboard keys rotate-signing' again.",
    ),
    "privacy.register.no_sealed": ("nee (geen persoonsgegevens)", "no (no personal data)"),
    "privacy.holds.none": ("geen persoonsgegevens", "no personal data"),
    "privacy.holds.keys": ("sleutels (versleuteld of verpakt)", "keys (encrypted or wrapped)"),
    "privacy.holds.public": (
        "vragen en aanbod zoals op het prikbord (voornaam, tekst, dorp)",
        "requests and offers as on the board (first name, text, village)",
    ),
    "privacy.holds.contact": ("naam en telefoon of e-mail", "name and phone or e-mail"),
    "privacy.holds.health": ("gezondheidsinformatie (alleen met toestemming)", "health details (only with consent)"),
    "privacy.holds.card": (
        "kaartenbak: gegevens van bewoners, helpers en vrijwilligers",
        "card index: details of residents, helpers and volunteers",
    ),
    "privacy.holds.work": ("tijdelijke kopieën tijdens een sleutelwissel", "temporary copies during a key change"),
    "privacy.purpose.settings": ("instellingen van dit buurthuis", "this centre's settings"),
    "privacy.purpose.unlock": ("het prikbord openen met wachtwoord of sleutelbestand", "opening the board with passphrase or key file"),
    "privacy.purpose.identity": ("de sleutels waarmee dit buurthuis tekent", "the keys this centre signs with"),
    "privacy.purpose.board": ("vraag en aanbod tonen en delen met buurdorpen", "showing requests and offers and sharing them with nearby villages"),
    "privacy.purpose.reach_poster": ("de bewoner bereiken die iets vroeg of aanbood", "reaching the resident who asked or offered"),
    "privacy.purpose.reach_helper": ("de helper bereiken die 'ik kan helpen' zei", "reaching the helper who said 'I can help'"),
    "privacy.purpose.trust": ("welke buurthuizen we vertrouwen", "which centres we trust"),
    "privacy.purpose.sync": ("synchroniseren met andere buurthuizen", "syncing with other centres"),
    "privacy.purpose.moderation": ("toezicht: verbergen en blokkeren", "moderation: hiding and blocking"),
    "privacy.purpose.accounts": ("inloggen van vrijwilligers", "volunteers logging in"),
    "privacy.purpose.card_index": ("hulp regelen via de telefoon en de balie", "arranging help by phone and at the desk"),
    "privacy.purpose.matching": ("vraag en helper bij elkaar brengen", "bringing a request and a helper together"),
    "privacy.purpose.reciprocity": ("bijhouden wat mensen voor elkaar doen", "keeping track of what people do for each other"),
    "privacy.purpose.accountability": ("verantwoording: wie zag of deed wat", "accountability: who saw or did what"),
    "privacy.purpose.statistics": ("anonieme cijfers voor evaluatie", "anonymous figures for evaluation"),
    "privacy.purpose.consent_proof": ("bewijs van toestemming (wat, wanneer, welke tekst)", "proof of consent (what, when, which wording)"),
    "privacy.purpose.health": ("alleen wat een helper echt moet weten", "only what a helper really needs to know"),
    "privacy.purpose.key_rotation": ("een nieuwe gegevenssleutel invoeren", "switching to a new data key"),
    "privacy.retention.node_life": ("zolang dit buurthuis bestaat", "as long as this centre exists"),
    "privacy.retention.entry_expiry": (
        "tot de einddatum van de vraag of het aanbod (hoogstens een jaar); intrekken wist het overal",
        "until the request or offer ends (at most a year); withdrawing erases it everywhere",
    ),
    "privacy.retention.post_life": (
        "tot de vraag of het aanbod afloopt of wordt ingetrokken",
        "until the request or offer ends or is withdrawn",
    ),
    "privacy.retention.until_removed": ("tot een coördinator het weghaalt", "until a coordinator removes it"),
    "privacy.retention.retention_period": (
        "tot de bewaartermijn na afsluiten voorbij is; dan anoniem gemaakt of gewist",
        "until the retention period after closing has passed; then made anonymous or erased",
    ),
    "privacy.retention.cards": (
        "bewoners: gewist een bewaartermijn na hun laatste vraag of koppeling; helpers: tot een coördinator "
        "de kaart weghaalt; iedereen: direct op verzoek",
        "residents: erased one retention period after their last request or match; helpers: until a "
        "coordinator removes the card; everyone: at once on request",
    ),
    "privacy.retention.pseudonymous": (
        "blijft voor de cijfers, met alleen een kaartnummer; na wissen van de kaart leidt dat nummer nergens heen",
        "kept for the figures, with only a card number; once the card is erased that number leads nowhere",
    ),
    "privacy.retention.kept_anonymous": ("blijft, maar zonder persoonsgegevens", "kept, but without personal data"),
    "privacy.retention.until_closed": ("tot de vraag is afgesloten", "until the request is closed"),
    "privacy.retention.during_rotation": ("alleen tijdens een sleutelwissel", "only during a key change"),
    "privacy.audience.node": ("alleen het programma zelf", "only the program itself"),
    "privacy.audience.federation": (
        "iedereen bij de buurthuizen binnen het bereik van de vraag",
        "everyone at the centres within the request's reach",
    ),
    "privacy.audience.volunteers": ("vrijwilligers en coördinator van dit buurthuis", "volunteers and coordinator of this centre"),
    "privacy.audience.coordinator": ("alleen de coördinator van dit buurthuis", "only this centre's coordinator"),
    "privacy.yes": ("ja", "yes"),
    "privacy.error.who": (
        "Noem de persoon met een code (BH-...), een telefoonnummer of e-mail, of --card.",
        "Name the person by a code (BH-...), a phone number or e-mail, or --card.",
    ),
    "privacy.error.months": ("De bewaartermijn is minstens 1 maand.", "The retention period is at least 1 month."),
    "privacy.export.done": (
        "Alles over deze persoon staat in {path}. Geef het veilig door en wis het daarna.",
        "Everything about this person is in {path}. Hand it over safely, then delete it.",
    ),
    "privacy.erase.needs_yes": (
        "Wissen kan niet ongedaan worden. Voeg --yes toe als u het zeker weet.",
        "Erasing cannot be undone. Add --yes if you are sure.",
    ),
    "privacy.erase.confirm": (
        "{posts} berichten en {cards} kaarten worden gewist, ook bij andere buurthuizen. Doorgaan? (ja/nee) ",
        "{posts} posts and {cards} cards will be erased, at other centres too. Go on? (yes/no) ",
    ),
    "privacy.erase.cancelled": ("Niets gewist.", "Nothing erased."),
    "privacy.erase.done": (
        "Gewist: {posts} berichten (ook bij andere buurthuizen na de volgende synchronisatie), {responses} reacties, "
        "{cards} kaarten; {matches} koppelingen zijn anoniem gemaakt.",
        "Erased: {posts} posts (at other centres too after the next sync), {responses} responses, {cards} cards; "
        "{matches} matches made anonymous.",
    ),
    "privacy.retention.done": (
        "Bewaartermijn {months} maanden: {rows} rijen anoniem gemaakt of gewist.",
        "Retention period {months} months: {rows} rows made anonymous or removed.",
    ),
    "privacy.consent.withdrawn": (
        "Toestemming voor {ref} ingetrokken; gezondheidsinformatie is gewist.",
        "Consent for {ref} withdrawn; health details are erased.",
    ),
    "privacy.consent.withdrawn_state": ("(ingetrokken)", "(withdrawn)"),
    "privacy.signing.done": (
        "Nieuwe ondertekensleutel in gebruik (controlecode {code}); {posts} berichten opnieuw ondertekend. "
        "Gekoppelde buurthuizen nemen de overdracht over bij de volgende synchronisatie. "
        "Maak nu een nieuwe reservekopie: oudere kopieën bevatten de oude sleutel.",
        "New signing key in use (check code {code}); {posts} entries signed again. "
        "Paired centres take over the hand-over at the next sync. "
        "Make a new backup now: older backups hold the old key.",
    ),
    "privacy.signing.finished": (
        "Onderbroken sleutelwissel afgemaakt (controlecode {code}).",
        "Interrupted key change finished (check code {code}).",
    ),
}
