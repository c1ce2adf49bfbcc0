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
}
