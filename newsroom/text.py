"""Vietnamese text helpers: ASCII folding for search and slugs."""

import math
import re
import unicodedata

from django.utils.text import slugify
from unidecode import unidecode

WORDS_PER_MINUTE = 220
# A number with separators ("1.541", "2,5") is one word, not two.
_WORD_RE = re.compile(r"\d+(?:[.,]\d+)*|\w+")


def fold(text):
    """Lower-case ASCII form of Vietnamese text: "Đường sắt" → "duong sat".

    Used on both sides of search so a query with or without diacritics
    matches text with or without them.
    """
    if not text:
        return ""
    return unidecode(unicodedata.normalize("NFC", str(text))).lower()


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
        piece = unidecode(char).lower() if ord(char) > 127 else char.lower()
        folded.append(piece)
        offsets.extend([index] * len(piece))
    return "".join(folded), offsets
