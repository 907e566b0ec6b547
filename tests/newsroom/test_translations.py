"""The Vietnamese catalogues are complete and their compiled forms are
current: an English string on a Vietnamese page is a bug a reader sees.
The project's own strings are in locale/vi; its Vietnamese for Wagtail's
and Django's own strings in locale/upstream/vi, held complete against the
installed packages' catalogues (locale/upstream/sources.txt)."""

import gettext
import json
import re
import sysconfig
from pathlib import Path

from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES"
UPSTREAM = LOCALE.parents[2] / "locale" / "upstream"
QUOTED = r'(?:"(?:[^"\\]|\\.)*"\n?)+'
MESSAGE = re.compile(rf"^((?:#[^\n]*\n)*)(?:msgctxt ({QUOTED}))?msgid ({QUOTED})(?:msgid_plural {QUOTED})?msgstr(?:\[0\])? ({QUOTED})", re.M)
ENTRY = re.compile(r'^(#, [^\n]*\n)?msgid ((?:"(?:[^"\\]|\\.)*"\n)+)(msgid_plural (?:"(?:[^"\\]|\\.)*"\n)+)?msgstr(?:\[0\])? ((?:"(?:[^"\\]|\\.)*"\n?)+)', re.M)


def entries():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("#~")) + "\n"
    for match in ENTRY.finditer(text):
        flags, msgid, plural, msgstr = match.groups()
        join = lambda raw: "".join(json.loads(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', raw))  # noqa: E731
        if join(msgid):
            yield flags or "", join(msgid), bool(plural), join(msgstr)


def test_every_string_is_translated_and_none_is_fuzzy():
    found = list(entries())
    assert len(found) > 150
    assert [msgid for flags, msgid, _, msgstr in found if not msgstr] == []
    assert [msgid for flags, msgid, _, _ in found if "fuzzy" in flags] == []


def test_compiled_catalogue_matches_the_source():
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for _, msgid, plural, msgstr in entries():
        got = compiled.ngettext(msgid, msgid, 1) if plural else compiled.gettext(msgid)
        if got != msgstr:
            stale.append(msgid)
    assert stale == [], "run `make messages`"


def test_the_passkey_scripts_messages_are_all_translated():
    """djangojs.po holds the Vietnamese of django-otp-webauthn's scripts (the
    library ships none, and `make messages` does not read installed
    packages): every message its scripts show is there, compiled."""
    import django_otp_webauthn

    scripts = Path(django_otp_webauthn.__file__).parent / "static" / "django_otp_webauthn"
    shown = {json.loads(raw) for script in scripts.glob("*.js") for raw in re.findall(r'gettext\(("(?:[^"\\]|\\.)*")\)', script.read_text())}
    assert len(shown) > 15
    with open(LOCALE / "djangojs.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert sorted(msgid for msgid in shown if compiled.gettext(msgid) == msgid) == []


def _joined(raw):
    return "".join(json.loads(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', raw or ""))


def messages(path):
    """{(context, msgid): (msgstr, fuzzy)} of a .po file, obsolete ones left out."""
    found = {}
    for comments, context, msgid, msgstr in MESSAGE.findall(path.read_text(encoding="utf-8")):
        if _joined(msgid):
            found[(_joined(context) or None, _joined(msgid))] = (_joined(msgstr), "fuzzy" in comments)
    return found


def upstream_sources(domain):
    site = Path(sysconfig.get_paths()["purelib"])
    lines = (UPSTREAM / "sources.txt").read_text().splitlines()
    return [site / line for line in lines if line and not line.startswith("#") and line.endswith(f"/{domain}.po")]


def test_wagtails_and_djangos_strings_are_all_in_vietnamese():
    """Every message of the installed Wagtail and Django catalogues that
    staff meet has our Vietnamese: a package upgrade that adds strings
    fails here until `make messages` and a translator have been by."""
    for domain in ("django", "djangojs"):
        ours = messages(UPSTREAM / "vi" / "LC_MESSAGES" / f"{domain}.po")
        sources = upstream_sources(domain)
        assert sources and all(source.is_file() for source in sources), sources
        wanted = {key for source in sources for key in messages(source)}
        assert len(wanted) > (2000 if domain == "django" else 80)
        missing = sorted(key[1] for key in wanted if not ours.get(key, ("", False))[0])
        fuzzy = sorted(key[1] for key in wanted if ours.get(key, ("", False))[1])
        assert (missing[:20], len(missing)) == ([], 0), "run `make messages` and translate locale/upstream/vi"
        assert fuzzy == []


def test_the_upstream_catalogues_are_compiled():
    for domain in ("django", "djangojs"):
        with open(UPSTREAM / "vi" / "LC_MESSAGES" / f"{domain}.mo", "rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        stale = [
            msgid for (context, msgid), (msgstr, _) in messages(UPSTREAM / "vi" / "LC_MESSAGES" / f"{domain}.po").items()
            if (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) != msgstr
        ]
        assert stale == [], "run `make messages`"


def test_ours_win_over_the_packages_own_vietnamese():
    """Wagtail's Vietnamese says "Tập" (volume) for a parent (page or
    collection) and leaves "Save draft" in English; the project's
    catalogues come first."""
    with translation.override("vi"):
        assert translation.gettext("Parent") == "Mục cha"
        assert translation.gettext("Save draft") == "Lưu nháp"
        assert translation.gettext("Drafts") == "Bản nháp"  # the project's own wins over both
