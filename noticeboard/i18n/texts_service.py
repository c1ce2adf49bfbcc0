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
    "bundle.error.sealed_truncated": (
        "Deze verzegelde bundel is niet compleet (afgebroken tijdens het kopiëren?); er is niets ingelezen. "
        "Kopieer hem opnieuw.",
        "This sealed bundle is not complete (cut off while copying?); nothing was taken in. Copy it again.",
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
    "bundle.paired": (
        "Gekoppeld met {name}: de code klopt. Berichten van dit buurthuis worden nu aangenomen.",
        "Paired with {name}: the code matches. Entries from this centre are now accepted.",
    ),
    "bundle.error.pair_code": (
        "De code hoort niet bij het buurthuis dat deze bundel maakte. Er is niets gekoppeld of ingelezen. "
        "Vraag de code nog eens (noticeboard whoami bij dat buurthuis).",
        "The code does not belong to the centre that made this bundle. Nothing was paired or taken in. "
        "Ask for the code again (noticeboard whoami at that centre).",
    ),
    "bundle.error.pair_damaged": (
        "Om te koppelen moet de bundel heel en onveranderd zijn. Er is niets gekoppeld. Vraag om een nieuwe bundel.",
        "To pair, the bundle must be whole and unchanged. Nothing was paired. Ask for a new bundle.",
    ),
    "bundle.error.pair_self": (
        "Deze bundel komt van dit buurthuis zelf.",
        "This bundle comes from this centre itself.",
    ),
    "bundle.error.pair_no_profile": (
        "In deze bundel zit het profiel van het buurthuis niet. Laat het andere buurthuis een bundel maken "
        "zonder --since-last.",
        "This bundle does not hold the centre's profile. Have the other centre make a bundle without --since-last.",
    ),
    "bundle.error.seal_needs_recipient": (
        "Verzegelen kan alleen voor gekozen buurthuizen: geef ook --for BUURTHUIS.",
        "Sealing works only for chosen centres: also give --for CENTRE.",
    ),
    # ---- service -------------------------------------------------------------------------
    "service.error.config": (
        "Het instellingenbestand {path} klopt niet: {detail}. Vergelijk het met deploy/config.example.toml.",
        "The settings file {path} is not right: {detail}. Compare it with deploy/config.example.toml.",
    ),
    "service.error.port_in_use": (
        "Poort {port} is al in gebruik. Draait het prikbord al (systemctl status noticeboard)? "
        "Kies anders een andere poort in config.toml. Meer hulp: noticeboard doctor",
        "Port {port} is already in use. Is the noticeboard already running (systemctl status noticeboard)? "
        "Otherwise choose another port in config.toml. More help: noticeboard doctor",
    ),
    # ---- status --------------------------------------------------------------------------
    "status.running": ("De koppeling met andere buurthuizen draait (poort {port}).",
                       "The link with other centres is running (port {port})."),
    "status.stopped": ("De koppeling met andere buurthuizen draait niet. Start hem met: sudo systemctl start noticeboard",
                       "The link with other centres is not running. Start it with: sudo systemctl start noticeboard"),
    "status.entries": ("Berichten op dit prikbord (wijzigingen): {n}", "Entries on this board (changes): {n}"),
    "status.mdns": ("Zoekt andere buurthuizen op het netwerk via: {addresses}",
                    "Looks for other centres on the network via: {addresses}"),
    "status.drop": ("Map voor bundels (USB-stick of gedeelde map): {folder}",
                    "Folder for bundles (USB stick or shared folder): {folder}"),
    "status.no_peers": ("Nog geen andere buurthuizen gezien.", "No other centres seen yet."),
    "status.state.paired": ("gekoppeld", "paired"),
    "status.state.seen": ("gezien, niet gekoppeld", "seen, not paired"),
    "status.state.blocked": ("geblokkeerd", "blocked"),
    "status.never": ("nog nooit", "never"),
    "status.peer": (
        "laatst gelukt: {last_sync}; binnen {entries_in}, verstuurd {entries_out}, geweigerd {refused}; adres {address}",
        "last success: {last_sync}; in {entries_in}, out {entries_out}, refused {refused}; address {address}",
    ),
    "status.pair_hint": (
        "adres {address}; koppelen na het vergelijken van de code: noticeboard peers pair {address} --code CODE",
        "address {address}; pair after comparing the code: noticeboard peers pair {address} --code CODE",
    ),
    "status.peer_error": (
        "lukt nu niet ({reason}), {failures} keer op rij; volgende poging over {retry} s",
        "failing now ({reason}), {failures} times in a row; next try in {retry} s",
    ),
    # ---- doctor --------------------------------------------------------------------------
    "doctor.mark_ok": ("[ goed ]", "[  ok  ]"),
    "doctor.mark_fail": ("[ FOUT ]", "[ FAIL ]"),
    "doctor.summary_ok": ("Alles in orde.", "Everything is fine."),
    "doctor.summary_fail": ("{n} probleem/problemen gevonden. Doe wat erbij staat en draai daarna opnieuw: noticeboard doctor",
                            "{n} problem(s) found. Do what is said above, then run again: noticeboard doctor"),
    "doctor.database.ok": ("De database is heel.", "The database is intact."),
    "doctor.database.missing": ("Er is geen database in {path}.", "There is no database at {path}."),
    "doctor.database.missing.todo": (
        "Wat te doen: kijk of --data-dir klopt, of maak een prikbord met: noticeboard init",
        "What to do: check that --data-dir is right, or create a noticeboard with: noticeboard init",
    ),
    "doctor.database.damaged": ("De database {path} is beschadigd.", "The database {path} is damaged."),
    "doctor.database.damaged.todo": (
        "Wat te doen: stop het prikbord (sudo systemctl stop noticeboard), zet de laatste reservekopie terug "
        "(noticeboard restore) en start weer. Berichten van andere buurthuizen komen dan vanzelf terug.",
        "What to do: stop the noticeboard (sudo systemctl stop noticeboard), restore the latest backup "
        "(noticeboard restore) and start again. Entries from other centres come back by themselves.",
    ),
    "doctor.disk.ok": ("Genoeg vrije schijfruimte ({free_mb} MB).", "Enough free disk space ({free_mb} MB)."),
    "doctor.disk.full": ("De schijf is bijna vol: nog {free_mb} MB vrij ({percent}%).",
                         "The disk is nearly full: {free_mb} MB free ({percent}%)."),
    "doctor.disk.full.todo": (
        "Wat te doen: verwijder oude bestanden (oude reservekopieën, downloads), of zet een grotere SD-kaart "
        "of schijf in. Het prikbord heeft minstens 200 MB vrij nodig.",
        "What to do: remove old files (old backups, downloads), or fit a larger SD card or disk. "
        "The noticeboard needs at least 200 MB free.",
    ),
    "doctor.key_file.ok": ("Het sleutelbestand is goed beveiligd ({detail}).", "The key file is well protected ({detail})."),
    "doctor.key_file.missing": ("Het sleutelbestand {path} bestaat niet.", "The key file {path} does not exist."),
    "doctor.key_file.missing.todo": (
        "Wat te doen: kijk of het pad klopt (--key-file of de systemd-credential noticeboard-key), "
        "of start met het wachtwoord.",
        "What to do: check the path (--key-file or the systemd credential noticeboard-key), "
        "or start with the passphrase.",
    ),
    "doctor.key_file.too_open": ("Het sleutelbestand {path} is door anderen te lezen (rechten {mode}).",
                                 "The key file {path} can be read by others (mode {mode})."),
    "doctor.key_file.too_open.todo": (
        "Wat te doen: maak het alleen voor de eigenaar leesbaar: chmod 600 {path}",
        "What to do: make it readable by its owner only: chmod 600 {path}",
    ),
    "doctor.key_file.other_owner": ("Het sleutelbestand {path} is van een andere gebruiker.",
                                    "The key file {path} belongs to another user."),
    "doctor.key_file.other_owner.todo": (
        "Wat te doen: geef het aan de gebruiker die het prikbord draait: sudo chown noticeboard: {path}",
        "What to do: give it to the user that runs the noticeboard: sudo chown noticeboard: {path}",
    ),
    "doctor.port.ok": ("Poort {port} is vrij, of in gebruik door dit prikbord zelf.",
                       "Port {port} is free, or used by this noticeboard itself."),
    "doctor.port.in_use": ("Poort {port} is in gebruik door een ander programma.",
                           "Port {port} is in use by another program."),
    "doctor.port.in_use.todo": (
        "Wat te doen: kijk welk programma het is (sudo ss -ltnp 'sport = :{port}') en stop het, "
        "of kies een andere poort bij [sync] port in config.toml en vertel het de gekoppelde buurthuizen.",
        "What to do: find the program (sudo ss -ltnp 'sport = :{port}') and stop it, or choose another "
        "port at [sync] port in config.toml and tell the paired centres.",
    ),
    "doctor.port.denied": ("Poort {port} mag niet gebruikt worden door deze gebruiker.",
                           "This user may not use port {port}."),
    "doctor.port.denied.todo": (
        "Wat te doen: kies een poort boven 1024 bij [sync] port in config.toml (standaard 8443).",
        "What to do: choose a port above 1024 at [sync] port in config.toml (default 8443).",
    ),
    "doctor.port.cannot_bind": ("Het adres {host} poort {port} kan niet gebruikt worden.",
                                "Address {host} port {port} cannot be used."),
    "doctor.port.cannot_bind.todo": (
        "Wat te doen: kijk of [sync] listen in config.toml een adres van deze computer is, of zet het op 0.0.0.0.",
        "What to do: check that [sync] listen in config.toml is an address of this computer, or set it to 0.0.0.0.",
    ),
    "doctor.multicast.ok": ("Buurthuizen in de buurt kunnen gevonden worden (mDNS via {detail}).",
                            "Nearby centres can be found (mDNS via {detail})."),
    "doctor.multicast.no_address": ("Geen netwerkadres gevonden voor mDNS ({interfaces}).",
                                    "No network address found for mDNS ({interfaces})."),
    "doctor.multicast.no_address.todo": (
        "Wat te doen: kijk of de netwerkkabel of wifi verbonden is, en of [mdns] interfaces in config.toml "
        "klopt. Zonder netwerk werkt uitwisselen nog wel met een USB-stick (noticeboard bundle).",
        "What to do: check the network cable or wifi, and [mdns] interfaces in config.toml. Without a "
        "network you can still exchange by USB stick (noticeboard bundle).",
    ),
    "doctor.multicast.not_configured": (
        "Er is niet ingesteld waar dit prikbord andere buurthuizen zoekt (mDNS).",
        "It is not set where this noticeboard looks for other centres (mDNS).",
    ),
    "doctor.multicast.not_configured.todo": (
        "Wat te doen: zet in config.toml bij [mdns]: interfaces = [\"auto\"] (of het adres of de naam van de "
        "netwerkkaart) en herstart: sudo systemctl restart noticeboard. Of zet enabled = false als u dat niet wilt.",
        "What to do: put in config.toml under [mdns]: interfaces = [\"auto\"] (or the network card's address or "
        "name) and restart: sudo systemctl restart noticeboard. Or set enabled = false if you do not want it.",
    ),
    "doctor.multicast.flag_off": ("Multicast staat uit op netwerkkaart {interface}.",
                                  "Multicast is switched off on network interface {interface}."),
    "doctor.multicast.flag_off.todo": (
        "Wat te doen: zet het aan met: sudo ip link set dev {interface} multicast on",
        "What to do: switch it on with: sudo ip link set dev {interface} multicast on",
    ),
    "doctor.multicast.blocked": (
        "Multicast (mDNS, UDP-poort 5353) komt niet door op {address}: de netwerkverbinding is weg of een "
        "firewall houdt het tegen.",
        "Multicast (mDNS, UDP port 5353) does not get through on {address}: the network link is down or a "
        "firewall stops it.",
    ),
    "doctor.multicast.blocked.todo": (
        "Wat te doen: kijk of de netwerkkabel of wifi verbonden is (ip link: staat er UP?). Sta UDP-poort 5353 "
        "naar 224.0.0.251 toe in de firewall (bijvoorbeeld: sudo ufw allow 5353/udp). Lukt dat niet, zet dan "
        "het adres van het andere buurthuis bij [sync] static_peers in config.toml.",
        "What to do: check that the network cable or wifi is connected (ip link: does it say UP?). Allow UDP "
        "port 5353 to 224.0.0.251 in the firewall (for example: sudo ufw allow 5353/udp). If that is not "
        "possible, put the other centre's address in [sync] static_peers in config.toml.",
    ),
    "doctor.clock.ok": ("De klok lijkt te kloppen ({now} UTC, vergeleken met {peers} buurthuis/buurthuizen).",
                        "The clock looks right ({now} UTC, compared with {peers} centre(s))."),
    "doctor.clock.reset": ("De klok staat op {now}: dat kan niet kloppen.", "The clock says {now}: that cannot be right."),
    "doctor.clock.reset.todo": (
        "Wat te doen: zet de tijd goed (sudo timedatectl set-time 'JJJJ-MM-DD UU:MM') of zorg voor internet "
        "zodat de tijd vanzelf klopt (sudo timedatectl set-ntp true). Een Raspberry Pi zonder klokbatterij "
        "verliest de tijd bij stroomuitval.",
        "What to do: set the time (sudo timedatectl set-time 'YYYY-MM-DD HH:MM') or connect to the internet "
        "so the time sets itself (sudo timedatectl set-ntp true). A Raspberry Pi without a clock battery "
        "loses the time in a power cut.",
    ),
    "doctor.clock.peer_differs": ("De klok loopt {minutes} minuten anders dan bij een gekoppeld buurthuis.",
                                  "The clock is {minutes} minutes off from a paired centre."),
    "doctor.clock.peer_differs.todo": (
        "Wat te doen: zet de tijd goed (sudo timedatectl set-time 'JJJJ-MM-DD UU:MM' of set-ntp true). "
        "Berichten met een tijd in de toekomst worden door andere buurthuizen vastgehouden.",
        "What to do: set the time right (sudo timedatectl set-time 'YYYY-MM-DD HH:MM' or set-ntp true). "
        "Other centres hold back entries dated in the future.",
    ),
    "doctor.clock.behind_own": ("De klok loopt achter: dit prikbord schreef al een bericht om {newest} UTC.",
                                "The clock is behind: this board already wrote an entry at {newest} UTC."),
    "doctor.clock.behind_own.todo": (
        "Wat te doen: zet de tijd goed (sudo timedatectl set-time 'JJJJ-MM-DD UU:MM' of set-ntp true).",
        "What to do: set the time right (sudo timedatectl set-time 'YYYY-MM-DD HH:MM' or set-ntp true).",
    ),
}
