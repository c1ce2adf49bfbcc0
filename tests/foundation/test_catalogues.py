"""The gettext catalogues: every text in Dutch and English, plural forms wherever a number is shown.

Babel reads the .po files (the source); the program reads the committed .mo files with the
standard library, so the .mo must be exactly its .po compiled.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from noticeboard.i18n import DOMAIN, LOCALE_DIR, catalog, languages, plural_keys, t, tn

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("noticeboard", "sync", "crypto", "bench")
# Values shown as "{name}" next to a word that changes with the number ("2 dorpen"): pass them through tn.
COUNT_NAMES = {"n", "m", "count", "minutes", "hours", "days", "months", "rows", "posts", "cards", "responses",
               "matches", "requests", "peers", "left", "failures", "entries"}
# Texts where such a value is not a count of things: a step, a rank, a label's figure, opening hours.
NOT_COUNTED = {"kiosk.step", "desk.suggest.row", "status.entries", "kiosk.hours", "staff.intake.found"}
PLACEHOLDER = re.compile(r"{([a-z_]+)[^}]*}")


def _po(lang: str) -> Catalog:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as fp:
        return read_po(fp, locale=lang)


def _calls(name: str) -> list[tuple[str, ast.Call]]:
    found = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and node.args:
                    func = node.func
                    called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) \
                        else ""
                    if called == name:
                        found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return found


def _literal_keys(node: ast.Call) -> list[str]:
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, ast.IfExp):
        return [b.value for b in (arg.body, arg.orelse) if isinstance(b, ast.Constant) and isinstance(b.value, str)]
    return []


def test_nl_and_en_are_there_and_plural_forms_are_real() -> None:
    assert languages()[:2] == ("nl", "en")
    for lang in ("nl", "en"):
        assert _po(lang).plural_forms == "nplurals=2; plural=(n != 1);"
        trans = gettext.translation(DOMAIN, LOCALE_DIR, [lang])
        assert trans.ngettext("x", "y", 1) == "x" and trans.ngettext("x", "y", 0) == "y"


def test_every_message_has_dutch_and_english_with_the_same_values_and_forms() -> None:
    nl, en = _po("nl"), _po("en")
    ids_nl = {m.id if isinstance(m.id, str) else m.id[0]: m for m in nl if m.id}
    ids_en = {m.id if isinstance(m.id, str) else m.id[0]: m for m in en if m.id}
    assert len(ids_nl) > 500
    assert set(ids_nl) == set(ids_en), "a text is in one language only"
    for key, dutch in ids_nl.items():
        english = ids_en[key]
        assert isinstance(dutch.id, tuple) == isinstance(english.id, tuple), f"{key}: counted in one language only"
        forms = [*(dutch.string if isinstance(dutch.id, tuple) else (dutch.string,)),
                 *(english.string if isinstance(english.id, tuple) else (english.string,))]
        assert all(form.strip() for form in forms), f"{key}: a text or plural form is empty"
        assert not dutch.fuzzy and not english.fuzzy, f"{key}: marked fuzzy (not shown)"
        # The other forms show every value (a "one" form may spell it out: "once", "het gekozen buurthuis").
        others = [dutch.string[-1], english.string[-1]] if isinstance(dutch.id, tuple) else forms
        names = [set(PLACEHOLDER.findall(form)) for form in others]
        assert all(n == names[0] for n in names), f"{key}: the languages fill in different values {names}"
        if isinstance(dutch.id, tuple):
            assert "n" in names[0], f"{key}: a counted text shows its number as {{n}}"


def test_the_compiled_catalogues_are_the_po_files_compiled() -> None:
    for lang in languages():
        with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as fp:
            compiled = dict(gettext.GNUTranslations(fp)._catalog)  # type: ignore[attr-defined]
        source = {}
        for message in _po(lang):
            if not message.id:
                continue
            if isinstance(message.id, tuple):
                source.update({(message.id[0], i): form for i, form in enumerate(message.string)})
            else:
                source[message.id] = message.string
        compiled.pop("", None)
        assert compiled == source, f"{lang}: the .mo is not its .po compiled: run ./dev texts"


def test_no_texts_modules_are_left_over() -> None:
    left = sorted(p.name for p in (ROOT / "noticeboard" / "i18n").glob("texts_*.py"))
    assert left == [], f"texts now live in the .po catalogues: run ./dev texts to take in {left}"


def test_counted_texts_are_shown_through_tn_and_tn_only_shows_counted_texts() -> None:
    counted = plural_keys()
    wrong = []
    for where, node in _calls("tn"):
        wrong += [f"{where} {key} has no plural forms" for key in _literal_keys(node) if key not in counted]
    for where, node in _calls("t"):
        keys = _literal_keys(node)
        wrong += [f"{where} {key} is counted: use tn(key, n)" for key in keys if key in counted]
        if set(keys) & NOT_COUNTED:
            continue
        for keyword in node.keywords:
            value = keyword.value
            shown = isinstance(value, ast.Call) and getattr(value.func, "id", "") == "tn"
            if keyword.arg in COUNT_NAMES and not shown:
                wrong.append(f"{where} {keys or '?'}: {keyword.arg}= shows a number: a counted text with tn")
    assert len(_calls("tn")) > 30
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize(("key", "values", "one", "two"), [
    ("kiosk.ago.hours", {}, ("1 uur geleden", "1 hour ago"), ("2 uur geleden", "2 hours ago")),
    ("kiosk.ago.days", {}, ("1 dag geleden", "1 day ago"), ("2 dagen geleden", "2 days ago")),
    ("kiosk.sync.last", {"ago": "net"}, ("Bijgewerkt net · 1 dorp", "Updated net · 1 village"),
     ("Bijgewerkt net · 2 dorpen", "Updated net · 2 villages")),
    ("desk.reason.helped_before", {}, ("hielp deze persoon al 1 keer", "helped this person once before"),
     ("hielp deze persoon al 2 keer", "helped this person 2 times before")),
    ("desk.reason.load", {}, ("helpt nu bij 1 andere vraag", "is helping with 1 other request now"),
     ("helpt nu bij 2 andere vragen", "is helping with 2 other requests now")),
    ("doctor.summary_fail", {}, ("1 probleem gevonden.", "1 problem found."),
     ("2 problemen gevonden.", "2 problems found.")),
    ("privacy.count.rows", {}, ("1 rij", "1 row"), ("2 rijen", "2 rows")),
    ("sync.amount.minutes", {}, ("1 minuut", "1 minute"), ("2 minuten", "2 minutes")),
])
def test_one_and_two_in_both_languages(key: str, values: dict[str, str], one: tuple[str, str],
                                       two: tuple[str, str]) -> None:
    for n, (dutch, english) in ((1, one), (2, two)):
        assert tn(key, n, lang="nl", **values).startswith(dutch)
        assert tn(key, n, lang="en", **values).startswith(english)
    assert tn(key, 0, lang="en", **values).startswith(two[1].replace("2", "0", 1))


def test_t_takes_the_plural_form_from_n_for_texts_chosen_at_run_time() -> None:
    assert t("desk.reason.load", lang="en", n=1) == "is helping with 1 other request now"
    with pytest.raises(TypeError):
        t("desk.reason.load", lang="en")
    with pytest.raises(KeyError):
        tn("error.store", 2)
    with pytest.raises(KeyError):
        t("no.such.key")


def test_the_catalog_view_has_both_languages_of_every_text() -> None:
    texts = catalog()
    assert texts["error.store"][0].startswith("Er ging iets mis") and texts["error.store"][1].startswith("Something")
    assert texts["kiosk.ago.days"] == ("{n} dagen geleden", "{n} days ago")
