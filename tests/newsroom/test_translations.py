"""The Vietnamese catalogue is complete and its compiled form is current:
an English string on a Vietnamese page is a bug a reader sees."""

import gettext
import json
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES"
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
