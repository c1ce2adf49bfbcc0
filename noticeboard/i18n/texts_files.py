"""Texts about files the program refuses to read or write (noticeboard/files.py)."""

TEXTS: dict[str, tuple[str, str]] = {
    "files.refused": (
        "Dit bestand is niet gelezen: het is geen gewoon bestand of het is te groot. Kies een ander bestand.",
        "This file was not read: it is not an ordinary file or it is too big. Choose another file.",
    ),
}
