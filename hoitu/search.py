"""Wagtail's database search backend, with a typed double quote kept as a
character on SQLite.

modelsearch wraps each word (or a phrase) of a query in FTS5 quotes without
escaping a quote typed inside it, so a `"` in any admin or chooser search
box ended the MATCH string early ("unterminated string", an HTTP 500). FTS5
reads a doubled quote inside a string as one quote, which its tokenizer then
drops like any punctuation."""

import functools

from modelsearch.backends import database
from modelsearch.query import Phrase, PlainText


class QuotesEscaped:
    """Mixed into modelsearch's SQLite query compilers."""

    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText):
            query = PlainText(query.query_string.replace('"', '""'), operator=query.operator, boost=query.boost)
        elif isinstance(query, Phrase):
            query = Phrase(query.query_string.replace('"', '""'))
        return super().build_search_query_content(query, config=config)


@functools.cache
def quote_safe(sqlite_backend):
    # Built from the class modelsearch picked: its SQLite module looks up
    # SQLite-only models when imported, so it cannot be imported by name on
    # PostgreSQL.
    def escaped(compiler):
        return type(compiler.__name__, (QuotesEscaped, compiler), {})

    return type(
        sqlite_backend.__name__,
        (sqlite_backend,),
        {
            "query_compiler_class": escaped(sqlite_backend.query_compiler_class),
            "autocomplete_query_compiler_class": escaped(sqlite_backend.autocomplete_query_compiler_class),
        },
    )


def SearchBackend(params):  # noqa: N802 — the name Wagtail looks up in a backend module
    """The backend modelsearch picks for the database in use, with the
    SQLite one made safe for quotes (PostgreSQL binds its queries safely)."""
    backend = database.SearchBackend(params)
    if type(backend).__name__ == "SQLiteSearchBackend":
        return quote_safe(type(backend))(params)
    return backend
