"""Indonesian is the default UI language; English comes from locale/en through Django i18n.

The catalogue checks parse the committed .po and .mo files in pure Python: CI does not run
compilemessages, so a missing translation or a stale .mo would otherwise ship unnoticed.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

PO_PATH = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%(?:\([A-Za-z0-9_]+\))?[-+ #0-9.]*[sdifr%]")


def parse_po(text):
    """Return the non-obsolete entries of a PO file as dicts (msgctxt, msgid, msgid_plural, msgstr, flags)."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            continue  # obsolete entry, ignored by msgfmt
        if not line:
            finish()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += value
            else:
                entry[field] += value
        else:
            keyword, _, literal = line.partition(" ")
            value = ast.literal_eval(literal)
            plural_form = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if plural_form:
                field = ("msgstr", int(plural_form.group(1)))
                entry["msgstr"][field[1]] = value
            elif keyword == "msgstr":
                field = ("msgstr", 0)
                entry["msgstr"][0] = value
            else:
                field = keyword
                entry[field] = value
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries():
    return [e for e in parse_po(PO_PATH.read_text(encoding="utf-8")) if e["msgid"]]


def english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


# --- the catalogue -------------------------------------------------------------------------


def test_parser_reads_plural_context_and_fuzzy_entries():
    sample = (
        'msgid ""\nmsgstr "Language: en\\n"\n\n'
        '#, fuzzy, python-format\nmsgctxt "c"\nmsgid "%(n)s a"\nmsgid_plural "%(n)s b"\n'
        'msgstr[0] "one"\nmsgstr[1] ""\n"more"\n\n#~ msgid "old"\n#~ msgstr "lama"\n'
    )
    header, entry = parse_po(sample)
    assert header["msgstr"] == {0: "Language: en\n"}
    assert entry["msgctxt"] == "c"
    assert entry["msgid_plural"] == "%(n)s b"
    assert entry["msgstr"] == {0: "one", 1: "more"}
    assert entry["flags"] == {"fuzzy", "python-format"}


def test_catalogue_is_large_and_has_plural_forms(po_entries):
    assert len(po_entries) > 500
    assert any("msgid_plural" in e for e in po_entries)


def test_every_message_is_translated_and_none_is_fuzzy(po_entries):
    untranslated = [e["msgid"] for e in po_entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in po_entries if "fuzzy" in e["flags"]]
    missing_plurals = [e["msgid"] for e in po_entries if "msgid_plural" in e and set(e["msgstr"]) != {0, 1}]
    assert untranslated == []
    assert fuzzy == []
    assert missing_plurals == []


def test_header_is_not_fuzzy_and_declares_english_plurals():
    text = PO_PATH.read_text(encoding="utf-8")
    header = parse_po(text)[0]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]


def test_translations_keep_every_placeholder(po_entries):
    broken = []
    for e in po_entries:
        if "python-format" not in e["flags"]:
            continue
        sources = [e["msgid"], e.get("msgid_plural", e["msgid"])]
        for index, target in e["msgstr"].items():
            source = sources[min(index, 1)]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target)):
                broken.append((e["msgid"], target))
    assert broken == []


def test_compiled_catalogue_matches_the_po_file(po_entries):
    """The committed .mo holds exactly the .po translations (CI does not compile)."""
    with MO_PATH.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    stale = []
    for e in po_entries:
        key = f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]
        compiled = {n: catalog.get((key, n) if "msgid_plural" in e else key) for n in e["msgstr"]}
        if compiled != e["msgstr"]:
            stale.append(e["msgid"])
    assert stale == []


def test_english_catalogue_is_used_by_gettext():
    with translation.override("en"):
        assert translation.gettext("Masuk ke KKS") == "Log in to KKS"
        assert translation.ngettext("%(n)s indikator", "%(n)s indikator", 1) % {"n": 1} == "1 indicator"
        assert translation.ngettext("%(n)s indikator", "%(n)s indikator", 3) % {"n": 3} == "3 indicators"
        assert translation.pgettext("nomor urut", "No") == "No."
    with translation.override("id"):
        assert translation.gettext("Masuk ke KKS") == "Masuk ke KKS"


# --- pages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_default_to_indonesian(client, coordinator, assessment):
    login = client.get(reverse("login")).content.decode()
    assert '<html lang="id">' in login
    assert "Masuk ke KKS" in login
    client.force_login(coordinator)
    home = client.get(reverse("home")).content.decode()
    assert '<html lang="id">' in home
    assert "Selamat datang" in home
    assert "Welcome" not in home


@pytest.mark.django_db
def test_language_switch_sets_cookie_and_turns_login_page_english(client):
    english(client)
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert "Log in to KKS" in html
    assert "Forgot your password?" in html
    assert "Masuk ke KKS" not in html
    assert '<option value="en" selected>' in html


@pytest.mark.django_db
def test_accept_language_header_selects_english(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="en">' in html
    assert "Log in to KKS" in html


@pytest.mark.django_db
def test_unknown_language_falls_back_to_indonesian(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="id">' in html
    assert "Masuk ke KKS" in html


@pytest.mark.django_db
def test_home_in_english_for_logged_in_user(client, coordinator, assessment):
    client.force_login(coordinator)
    english(client)
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "Welcome, " in html
    assert "Skip to content" in html
    assert "Log out" in html
    assert "Filling in" in html  # assessment status from the model choices
    assert "Selamat datang" not in html


@pytest.mark.django_db
def test_tatanan_fill_page_in_english(client, coordinator, assessment):
    tatanan = assessment.cycle.framework.tatanan.order_by("number").first()
    client.force_login(coordinator)
    english(client)
    url = reverse("evaluations:tatanan-fill", args=[assessment.pk, tatanan.pk])
    html = client.get(url).content.decode()
    assert '<html lang="en">' in html
    assert f"Tatanan {tatanan.number}: {tatanan.name}" in html
    assert "Go to another tatanan" in html
    assert "Operational definition" in html
    assert "Self-assessment score" in html or "self-assessment score" in html
    assert "Pindah ke tatanan lain" not in html
    assert "Definisi operasional" not in html


@pytest.mark.django_db
def test_switching_back_to_indonesian(client, coordinator, assessment):
    client.force_login(coordinator)
    english(client)
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="id">' in html
    assert "Selamat datang" in html


def test_english_dates_are_day_first_with_a_24_hour_clock():
    import datetime

    from django.utils import formats

    moment = datetime.datetime(2026, 12, 3, 13, 58, tzinfo=datetime.UTC)
    with translation.override("en"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "3 December 2026 13:58"
        assert formats.date_format(moment.date()) == "3 December 2026"
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "03/12/2026"
        assert formats.number_format(1234.5, decimal_pos=2, use_l10n=True, force_grouping=True) == "1,234.50"
    with translation.override("id"):
        assert formats.date_format(moment.date()) == "3 Des. 2026"  # Django's "id" formats, day first too
        assert formats.number_format(1234.5, decimal_pos=2, force_grouping=True) == "1.234,50"


def test_english_date_input_is_read_day_first():
    import datetime

    from django import forms

    with translation.override("en"):
        assert forms.DateField().clean("03/12/2026") == datetime.date(2026, 12, 3)
        assert forms.DateField().clean("2026-12-03") == datetime.date(2026, 12, 3)
