"""Texts of the always-on service: bundles, drop folder, status and the doctor's checks."""

TEXTS: dict[str, tuple[str, str]] = {
    # ---- bundles ---------------------------------------------------------------------------
    "bundle.exported": (
        "{n} berichten geschreven naar {file}.",
        "{n} entries written to {file}.",
    ),
    "bundle.exported_sealed": (
        "{n} berichten geschreven naar {file}, verzegeld: alleen {m} gekozen buurthuis/buurthuizen kan het openen.",
        "{n} entries written to {file}, sealed: only the {m} chosen centre(s) can open it.",
    ),
    "bundle.imported": (
        "Bundel van {name}: {new} nieuw, {had} waren er al, {held} wachten op hun tijd, {refused} geweigerd.",
        "Bundle from {name}: {new} new, {had} already here, {held} waiting for their time, {refused} refused.",
    ),
    "bundle.refused_reasons": (
        "Geweigerd, met reden: {reasons}",
        "Refused, by reason: {reasons}",
    ),
    "bundle.truncated": (
        "Deze bundel is niet compleet (afgebroken tijdens het kopiëren?). Alleen berichten met een geldige "
        "handtekening zijn ingelezen ({n} nieuw). Kopieer de bundel opnieuw en lees hem nog eens in.",
        "This bundle is not complete (cut off while copying?). Only entries with a valid signature were "
        "taken in ({n} new). Copy the bundle again and import it once more.",
    ),
    "bundle.tampered": (
        "Deze bundel is beschadigd of veranderd: de handtekening klopt niet. Alleen berichten met een geldige "
        "handtekening zijn ingelezen ({n} nieuw). Vraag het andere buurthuis om een nieuwe bundel.",
        "This bundle is damaged or was changed: its signature does not match. Only entries with a valid "
        "signature were taken in ({n} new). Ask the other centre for a new bundle.",
    ),
    "bundle.error.unreadable": (
        "Deze bundel kan niet gelezen worden. Vraag het andere buurthuis om een nieuwe bundel.",
        "This bundle cannot be read. Ask the other centre for a new bundle.",
    ),
    "bundle.error.not_bundle": (
        "Dit bestand is geen bundel van het prikbord. Kies het goede bestand.",
        "This file is not a noticeboard bundle. Choose the right file.",
    ),
    "bundle.error.version": (
        "Deze bundel is gemaakt met een nieuwere versie van het prikbord. Werk dit prikbord eerst bij.",
        "This bundle was made by a newer version of the noticeboard. Update this noticeboard first.",
    ),
    "bundle.error.damaged_header": (
        "Het begin van deze bundel is beschadigd; er is niets ingelezen. Vraag om een nieuwe bundel.",
        "The start of this bundle is damaged; nothing was taken in. Ask for a new bundle.",
    ),
    "bundle.error.not_for_us": (
        "Deze bundel is verzegeld voor een ander buurthuis en kan hier niet geopend worden.",
        "This bundle is sealed for another centre and cannot be opened here.",
    ),
    "bundle.error.tampered": (
        "Deze verzegelde bundel is beschadigd of veranderd; er is niets ingelezen. Vraag om een nieuwe bundel.",
        "This sealed bundle is damaged or was changed; nothing was taken in. Ask for a new bundle.",
    ),
    "bundle.error.missing": (
        "Dit bestand bestaat niet: {ref}. Kijk of de USB-stick erin zit en of de naam klopt.",
        "This file does not exist: {ref}. Check that the USB stick is in and the name is right.",
    ),
    "bundle.error.no_profile": (
        "Van dit buurthuis is het profiel hier nog niet bekend. Koppel eerst (noticeboard peers), "
        "of laat het andere buurthuis eerst een bundel sturen.",
        "This centre's profile is not known here yet. Pair first (noticeboard peers), "
        "or have the other centre send a bundle first.",
    ),
    "bundle.error.seal_needs_recipient": (
        "Verzegelen kan alleen voor gekozen buurthuizen: geef ook --for BUURTHUIS.",
        "Sealing works only for chosen centres: also give --for CENTRE.",
    ),
}
