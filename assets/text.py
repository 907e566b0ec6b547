"""Vietnamese text helpers: ASCII folding for search and slugs. In the
lowest content app because every app above folds the same way, the
archive's own search included."""

import math
import re
import unicodedata

from django.utils.text import slugify
from unidecode import unidecode

WORDS_PER_MINUTE = 220
# A number with separators ("1.541", "2,5") is one word, not two.
_WORD_RE = re.compile(r"\d+(?:[.,]\d+)*|\w+")


class _Folding(dict):
    """Each character's ASCII form, as unidecode gives it, looked up once."""

    def __missing__(self, codepoint):
        self[codepoint] = folded = unidecode(chr(codepoint))
        return folded


_FOLDING = _Folding()
# What Vietnamese text holds besides letters that decompose into an ASCII
# letter and its marks: đ, and the typography of a news story.
_REPLACED = [(char, unidecode(char)) for char in "đĐ–—“”‘’…«»·•\u00a0"]
# Left after decomposing: anything but ASCII and the combining accents
# (not U+0338, the stroke of ≠, nor U+0363 on, small letters written
# above: unidecode spells those out).
_NOT_DECOMPOSED = re.compile("[^\x00-\x7f\u0300-\u0337\u0339-\u0362]")


def fold(text):
    """Lower-case ASCII form of Vietnamese text: "Đường sắt" → "duong sat".

    Used on both sides of search so a query with or without diacritics
    matches text with or without them.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    if text.isascii():
        return text.lower()
    # Unidecode walks a text a character at a time in Python (a millisecond
    # for a long story: most of the search index's rebuild). The same result
    # in C: đ and punctuation replaced, letters decomposed and their marks
    # dropped; a text with anything else (ß, CJK, emoji) goes the slow way.
    for char, ascii_form in _REPLACED:
        if char in text:
            text = text.replace(char, ascii_form)
    decomposed = unicodedata.normalize("NFD", text)
    if _NOT_DECOMPOSED.search(decomposed) is None:
        return decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return text.translate(_FOLDING).lower()


def ascii_slug(text, max_length=255):
    """ "Đường sắt Bắc–Nam" → "duong-sat-bac-nam"."""
    return slugify(unidecode(str(text)))[:max_length].strip("-")


def word_count(text):
    return len(_WORD_RE.findall(text or ""))


def reading_minutes(words):
    return max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else 0


def fold_with_offsets(text):
    """Fold ``text`` char by char, returning the folded string and, for every
    folded character, the index of the original character it came from.
    Lets highlighting find a folded match and mark the original letters."""
    folded, offsets = [], []
    for index, char in enumerate(unicodedata.normalize("NFC", text)):
        piece = _FOLDING[ord(char)].lower() if ord(char) > 127 else char.lower()
        folded.append(piece)
        offsets.extend([index] * len(piece))
    return "".join(folded), offsets


def clock(seconds):
    """A length as people read it: "4:05", "1:02:03"."""
    minutes, seconds = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
