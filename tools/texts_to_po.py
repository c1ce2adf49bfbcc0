"""Fold texts_*.py modules into the gettext catalogues, then compile every catalogue (``./dev texts``).

The catalogues (noticeboard/i18n/locale/<lang>/LC_MESSAGES/noticeboard.po) are the source of
the texts. Before they were, texts lived in ``noticeboard/i18n/texts_<area>.py`` as
``TEXTS = {key: (dutch, english)}`` (or, for a counted text, ``{key: ((nl_one, nl_other),
(en_one, en_other))}``); a branch made before the move may still bring such a module in with a
merge. Running this again takes it in, by these rules, and deletes the module:

- during a merge (or with --base REV), only what the branch changed counts: a text the module
  has exactly as at the merge base is left as the catalogue has it now (main may have changed it
  since); without a base, every difference below counts;
- a key the catalogues do not have yet is added;
- a plain text whose wording differs from the catalogue's takes the module's wording (a module
  only comes back with a branch that changed or added texts), and this is printed;
- a counted text in the module replaces the catalogue's entry; a plain text in the module never
  replaces a counted one in the catalogue (the catalogue got its plural forms later), printed too;
- a key set to None is removed from every catalogue.

With no modules left it only compiles: after editing a .po by hand, run it to make the .mo.
``--check`` changes nothing and exits 1 when a module is left or a .mo is not its .po compiled.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "noticeboard" / "i18n"
LOCALE = I18N / "locale"
DOMAIN = "noticeboard"
# Where the module tuples put each language; a third language starts empty and falls back to Dutch.
MODULE_LANGUAGES = ("nl", "en")
# Fixed dates keep the header the same on every run (no diff, no merge conflict).
FIXED_DATE = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

Text = str | tuple[str, str]


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def module_texts(source: str, name: str) -> dict[str, tuple[Text, Text] | None]:
    namespace: dict[str, object] = {}
    # The modules are plain data (a dict, sometimes built by a comprehension): run them alone.
    exec(compile(ast.parse(source), name, "exec"), namespace)
    return dict(namespace["TEXTS"])  # type: ignore[call-overload]


def git(*args: str) -> str | None:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def merge_base(given: str | None) -> str | None:
    """The commit the branch being merged forked from (or the one given)."""
    if given:
        return given
    if git("rev-parse", "-q", "--verify", "MERGE_HEAD") is None:
        return None
    return git("merge-base", "HEAD", "MERGE_HEAD")


def base_texts(base: str, paths: list[Path]) -> dict[str, object]:
    """The texts of these modules as they were at base (a module new on the branch has none)."""
    found: dict[str, object] = {}
    for path in paths:
        source = git("show", f"{base}:{path.relative_to(ROOT).as_posix()}")
        if source is not None:
            found.update(module_texts(source, path.name))
    return found


def read_modules() -> tuple[dict[str, tuple[Text, Text] | None], list[Path]]:
    """The TEXTS of every texts_*.py module, read without importing them."""
    texts: dict[str, tuple[Text, Text] | None] = {}
    paths = sorted(I18N.glob("texts_*.py"))
    for path in paths:
        for key, pair in module_texts(path.read_text(encoding="utf-8"), path.name).items():
            if key in texts:
                raise SystemExit(f"{path.name}: text key {key!r} is defined twice")
            texts[key] = pair
    return texts, paths


def new_catalog(lang: str) -> Catalog:
    return Catalog(locale=lang, domain=DOMAIN, project="buurthulp-noticeboard", version="0.1",
                   copyright_holder="Buurthulp", msgid_bugs_address="", creation_date=FIXED_DATE,
                   revision_date=FIXED_DATE, last_translator="Buurthulp", language_team="Buurthulp", fuzzy=False)


def load(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return new_catalog(lang)
    with path.open("rb") as fp:
        return read_po(fp, locale=lang, domain=DOMAIN)


def is_plural(text: Text) -> bool:
    return isinstance(text, tuple)


def fold(catalogs: dict[str, Catalog], texts: dict[str, tuple[Text, Text] | None]) -> list[str]:
    """Put the module texts into the catalogues by the rules above; returns what it did, for people."""
    said = []
    base = catalogs["nl"]
    for key, pair in sorted(texts.items()):
        if pair is None:
            for catalog in catalogs.values():
                if catalog.get(key) is not None:
                    catalog.delete(key)
                    said.append(f"{catalog.locale}: removed {key}")
            continue
        have = base.get(key)
        have_plural = have is not None and isinstance(have.id, tuple)
        if have is not None and have_plural and not is_plural(pair[0]):
            said.append(f"kept the plural forms of {key} (the module has a plain text)")
            continue
        for lang, text in zip(MODULE_LANGUAGES, pair, strict=True):
            catalog = catalogs[lang]
            old = catalog.get(key)
            message = Message((key, key), tuple(text)) if is_plural(text) else Message(key, text)
            if old is not None and old.id == message.id and old.string == message.string:
                continue
            if old is not None:
                said.append(f"{lang}: {key}: {old.string!r} -> {message.string!r}")
                catalog.delete(key)
            catalog[key] = message
    return said


def write(catalog: Catalog, lang: str) -> None:
    catalog.revision_date = FIXED_DATE
    catalog.creation_date = FIXED_DATE
    catalog.fuzzy = False
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, omit_header=False, include_lineno=False)
    path.write_bytes(buffer.getvalue())


def compiled(lang: str) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, load(lang))
    return buffer.getvalue()


def languages() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is to do")
    parser.add_argument("--keep", action="store_true", help="do not delete the texts_*.py modules taken in")
    parser.add_argument("--base", help="take only what changed since this commit (default: the merge base in a merge)")
    args = parser.parse_args(argv)
    texts, paths = read_modules()
    if args.check:
        stale = [lang for lang in languages() if not mo_path(lang).exists() or mo_path(lang).read_bytes() != compiled(lang)]
        for path in paths:
            print(f"{path.relative_to(ROOT)}: not yet in the catalogues")
        for lang in stale:
            print(f"{mo_path(lang).relative_to(ROOT)}: not compiled from its .po")
        return 1 if paths or stale else 0
    if paths and (base := merge_base(args.base)):
        before = base_texts(base, paths)
        unchanged = [key for key, pair in texts.items() if key in before and before[key] == pair]
        for key in unchanged:
            del texts[key]
        print(f"merge base {base[:10]}: {len(unchanged)} texts the branch did not change are left as they are")
    if paths:
        catalogs = {lang: load(lang) for lang in sorted({*MODULE_LANGUAGES, *languages()})}
        for line in fold(catalogs, texts):
            print(line)
        for lang, catalog in catalogs.items():
            write(catalog, lang)
        if not args.keep:
            for path in paths:
                path.unlink()
        print(f"took in {len(texts)} texts from {len(paths)} module(s): {', '.join(p.name for p in paths)}")
    for lang in languages():
        mo_path(lang).write_bytes(compiled(lang))
    print(f"compiled {', '.join(languages())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
