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
}
