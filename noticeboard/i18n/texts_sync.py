"""Texts of pairing, trust, sync rounds, serving and "I can help" between centres."""

TEXTS: dict[str, tuple[str, str]] = {
    "sync.error.unknown_peer": (
        "Dit buurthuis is niet bekend: {ref}. Bekijk de lijst met: noticeboard peers list",
        "This centre is not known: {ref}. See the list with: noticeboard peers list",
    ),
    "sync.error.ambiguous_peer": (
        "Meer dan één buurthuis past bij {ref}. Typ meer tekens van de sleutel.",
        "More than one centre matches {ref}. Type more characters of the key.",
    ),
    "sync.serve.listening": (
        "Klaar voor andere buurthuizen op {address}. Controlecode: {code}. Stop met Ctrl+C.",
        "Ready for other centres on {address}. Check code: {code}. Stop with Ctrl+C.",
    ),
    "sync.serve.stopped": ("Gestopt.", "Stopped."),
    "sync.peers.none": (
        "Nog geen andere buurthuizen. Koppel er een met: noticeboard peers pair HOST:POORT --code CODE",
        "No other centres yet. Pair one with: noticeboard peers pair HOST:PORT --code CODE",
    ),
    "sync.peers.refused": ("geweigerd: {counts}", "refused: {counts}"),
    "sync.peers.now": ("{name} is nu: {state}.", "{name} is now: {state}."),
    "sync.state.trusted": ("vertrouwd", "trusted"),
    "sync.state.introducer": ("vertrouwd, stelt voor", "trusted, introducer"),
    "sync.state.blocked": ("geblokkeerd", "blocked"),
    "sync.state.seen": ("gezien, niet vertrouwd", "seen, not trusted"),
    "sync.pair.done": (
        "Gekoppeld met {name}. Koppel daar ook dit buurthuis, met code {code}.",
        "Paired with {name}. Pair this centre there too, with code {code}.",
    ),
    "sync.error.pairing_code": (
        "De code klopt niet bij dit adres. Er is niets gekoppeld. Vraag de code opnieuw (noticeboard whoami).",
        "The code does not match this address. Nothing was paired. Ask for the code again (noticeboard whoami).",
    ),
    "sync.error.pairing_other": (
        "Op dit adres draait geen prikbord dat we kunnen koppelen.",
        "No noticeboard we can pair with runs at this address.",
    ),
    "sync.error.unreachable": (
        "Het andere buurthuis is niet bereikbaar. Staat het aan en klopt het adres?",
        "The other centre cannot be reached. Is it switched on, and is the address right?",
    ),
    "sync.error.certificate": (
        "Op dit adres antwoordt een ander apparaat dan het gekoppelde buurthuis. Er is niets uitgewisseld.",
        "A different machine than the paired centre answers at this address. Nothing was exchanged.",
    ),
    "sync.error.refused": (
        "Het andere buurthuis weigert ({reason}). Heeft het dit buurthuis ook gekoppeld?",
        "The other centre refuses ({reason}). Has it paired this centre too?",
    ),
    "sync.error.clock": (
        "Het andere buurthuis weigert: de klok van dit buurthuis loopt meer dan 5 minuten anders. "
        "Zet de tijd goed (sudo timedatectl set-ntp true) en kijk met: noticeboard doctor",
        "The other centre refuses: the clock of this centre is more than 5 minutes off. "
        "Set the time right (sudo timedatectl set-ntp true) and check with: noticeboard doctor",
    ),
    "sync.error.clock_ahead": (
        "Deze computer loopt {amount} voor op het andere buurthuis (gezien de tijd in zijn antwoord).",
        "This computer is {amount} ahead of the other centre (going by the time in its answer).",
    ),
    "sync.error.clock_behind": (
        "Deze computer loopt {amount} achter op het andere buurthuis (gezien de tijd in zijn antwoord).",
        "This computer is {amount} behind the other centre (going by the time in its answer).",
    ),
    "sync.amount.hours": ("{hours} uur en {minutes} minuten", "{hours} hours and {minutes} minutes"),
    "sync.amount.minutes": ("{minutes} minuten", "{minutes} minutes"),
    "sync.error.protocol": (
        "Het andere buurthuis antwoordde iets wat dit programma niet begrijpt ({reason}). Is het bijgewerkt?",
        "The other centre answered something this program does not understand ({reason}). Is it up to date?",
    ),
    "sync.error.pair_first": (
        "{name} is nog niet gekoppeld. Koppel eerst met: noticeboard peers pair",
        "{name} is not paired yet. Pair first with: noticeboard peers pair",
    ),
    "sync.done": (
        "Uitgewisseld met {name}: {received} ontvangen, {sent} verstuurd, {refused} geweigerd.",
        "Exchanged with {name}: {received} received, {sent} sent, {refused} refused.",
    ),
    "sync.refused_here": ("Hier geweigerd: {reasons}", "Refused here: {reasons}"),
    "sync.refused_there": ("Daar geweigerd: {reasons}", "Refused there: {reasons}"),
    "sync.bytes": ("Bytes: {sent} verstuurd, {received} ontvangen.", "Bytes: {sent} sent, {received} received."),
    "sync.reason.bad_signature": ("handtekening klopt niet", "signature does not match"),
    "sync.reason.untrusted": ("onbekend buurthuis", "unknown centre"),
    "sync.reason.blocked": ("geblokkeerd buurthuis", "blocked centre"),
    "sync.reason.expired": ("verlopen", "expired"),
    "sync.reason.out_of_reach": ("buiten bereik", "out of reach"),
    "sync.reason.malformed": ("beschadigd", "damaged"),
    "sync.reason.schema": ("onjuiste vorm", "wrong shape"),
    "sync.reason.too_large": ("te groot", "too large"),
    "sync.respond.sent": (
        "Dank u! Uw reactie op {ref} is verzegeld voor het buurthuis van de vraag. Het gaat mee bij de volgende uitwisseling.",
        "Thank you! Your response to {ref} is sealed for the centre of the post. It goes with the next exchange.",
    ),
    "sync.respond.kept": (
        "Dank u! Uw reactie op {ref} is hier bewaard voor de vrijwilligers.",
        "Thank you! Your response to {ref} is kept here for the volunteers.",
    ),
    "sync.inbox.empty": ("Nog geen reacties.", "No responses yet."),
    "sync.inbox.here": ("hier", "here"),
    "sync.inbox.row": (
        "{ref}  {when}  via {where}: {name}, contact {contact}. {message}",
        "{ref}  {when}  via {where}: {name}, contact {contact}. {message}",
    ),
}
