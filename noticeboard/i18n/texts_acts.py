"""Texts of the acts layer: why an act was refused, and what the front ends say after an act."""

TEXTS: dict[str, tuple[str, str]] = {
    "acts.error.refused": ("Dat kan nu niet.", "That cannot be done now."),
    "acts.error.not_permitted": (
        "Dat mag alleen de coördinator of een vrijwilliger met de juiste rol.",
        "Only the coordinator or a volunteer with the right role may do that.",
    ),
    "acts.error.consent_needed": (
        "De persoon moet eerst akkoord geven dat de gegevens hier bewaard worden.",
        "The person must first agree that the details are kept here.",
    ),
    "acts.error.owner_code_needed": (
        "Typ de wijzigcode die u kreeg bij het plaatsen.",
        "Type the change code you got when you posted.",
    ),
    "acts.error.no_owner_code": (
        "Deze vraag heeft geen wijzigcode. Vraag een vrijwilliger om hem weg te halen.",
        "This post has no change code. Ask a volunteer to take it away.",
    ),
    "acts.error.wrong_owner_code": (
        "Deze wijzigcode klopt niet. U kunt het nog {left} keer proberen.",
        "This change code is not right. You can try {left} more times.",
    ),
    "acts.error.owner_locked_out": (
        "Te vaak een verkeerde wijzigcode. Probeer het na {until} weer, of vraag een vrijwilliger.",
        "Too many wrong change codes. Try again after {until}, or ask a volunteer.",
    ),
    "acts.error.not_trusted": (
        "Koppel eerst met {name} (noticeboard peers pair) voordat het andere buurthuizen mag voorstellen.",
        "Pair with {name} first (noticeboard peers pair) before it may introduce other centres.",
    ),
    "acts.post.owner_code": (
        "Uw wijzigcode: {code}. Alleen u kent hem. U hebt hem nodig om uw vraag weg te halen.",
        "Your change code: {code}. Only you know it. You need it to take your post away.",
    ),
    "acts.owner_code.field": ("Wijzigcode (4 cijfers)", "Change code (4 digits)"),
    "privacy.purpose.owner_code": (
        "alleen wie de vraag plaatste kan hem weghalen (wijzigcode)",
        "only who posted can take the post away (change code)",
    ),
    "acts.unblock.done": ("Buurthuis {node} is niet meer geblokkeerd.", "Centre {node} is no longer blocked."),
}
