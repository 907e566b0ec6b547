"""Diacritic-insensitive search: the words of a query, and highlighting.

The index stores folded text (assets.text.fold) and queries are folded the
same way, so "duong sat", "Đường sắt" and "ĐƯỜNG SẮT" all find "Đường sắt" on
SQLite (FTS5) and PostgreSQL alike, ranked by Wagtail's database backend
(``newsroom.models.pages.search_articles`` runs the query).
"""

import re
import unicodedata

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe

from assets.text import fold, fold_with_offsets


def search_engine_errors():
    """What the external search engine (OpenSearch) raises when it is down,
    slow past its timeout or refuses a query; none without one."""
    if not settings.OPENSEARCH_URL:
        return ()
    # Its client only when configured: importing it costs every process
    # 140 ms at start-up.
    from opensearchpy.exceptions import TransportError

    return (TransportError,)

_TERM_RE = re.compile(r"[a-z0-9]+")


def query_terms(query):
    return _TERM_RE.findall(fold(query))


def weighted_words(headline, standfirst, labels, body):
    """A story's folded words for public search, by weight: headline,
    kicker and sapo, tag and author names, body (each body word once: its
    count would only grow the stored vector)."""
    return (
        " ".join(query_terms(headline)),
        " ".join(query_terms(standfirst)),
        " ".join(query_terms(" ".join(labels))),
        " ".join(dict.fromkeys(query_terms(body))),
    )


def highlight(text, query, max_length=None):
    """Escape ``text`` and wrap every folded match of the query's terms in
    <mark>, marking the original (accented) letters."""
    text = unicodedata.normalize("NFC", text or "")
    terms = sorted(set(query_terms(query)), key=len, reverse=True)
    if max_length and len(text) > max_length:
        text = _excerpt(text, terms, max_length)
    if not terms:
        return escape(text)
    folded, offsets = fold_with_offsets(text)
    spans = []
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\b")
    for match in pattern.finditer(folded):
        start, end = offsets[match.start()], offsets[match.end() - 1] + 1
        # Words of the query next to each other read as one phrase:
        # "<mark>Đường sắt</mark>", not "<mark>Đường</mark> <mark>sắt</mark>".
        if spans and not text[spans[-1][1] : start].strip():
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    out, cursor = [], 0
    for start, end in spans:
        out.append(escape(text[cursor:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(out))


def _excerpt(text, terms, max_length):
    folded = fold(text)
    positions = [folded.find(t) for t in terms if folded.find(t) >= 0]
    start = max(0, min(positions) - max_length // 3) if positions else 0
    snippet = text[start : start + max_length]
    return ("…" if start else "") + snippet + ("…" if start + max_length < len(text) else "")
