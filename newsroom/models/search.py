"""Public story search on PostgreSQL: one row per live story holding its
folded words as a weighted ``tsvector`` under a GIN index.

Wagtail's database backend matches ``(title || body) @@ query``, an
expression no index serves: every search read the whole index table. Here
the words are stored once, maintained after each publication by the worker
(``newsroom.indexing``), and a query is answered from the GIN index (a rare
word) or by walking the unit's newest stories through a B-tree until enough
match (a common one); PostgreSQL's planner picks. Only the newest
``SEARCH_RESULTS_LIMIT`` matches are ranked and counted, as large news sites
do ("hơn 1.000 kết quả"): ranking every story holding "Việt Nam" in a
million would read a third of them.

Weights: A the headline, B the kicker and sapo, C tags and bylines, D the
body. SQLite (development, tests) searches with FTS5 through Wagtail's
backend instead and keeps this table empty.
"""

import json

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models

RECENT_INDEX = "story_search_recent"
WORDS_INDEX = "story_search_words"

_COLUMNS = ("page_id", "home_id", "published_at", "embargo_until", "headline", "standfirst", "labels", "body")

_STORE = """
INSERT INTO newsroom_storysearchentry (page_id, home_id, published_at, embargo_until, words)
SELECT page_id, home_id, published_at, embargo_until,
       setweight(to_tsvector('simple', headline), 'A') || setweight(to_tsvector('simple', standfirst), 'B')
       || setweight(to_tsvector('simple', labels), 'C') || setweight(to_tsvector('simple', body), 'D')
FROM json_to_recordset(%s::json) AS story(
    page_id integer, home_id integer, published_at timestamptz, embargo_until timestamptz,
    headline text, standfirst text, labels text, body text
)
ON CONFLICT (page_id) DO UPDATE SET
    home_id = excluded.home_id, published_at = excluded.published_at,
    embargo_until = excluded.embargo_until, words = excluded.words
"""

# The newest matches first (what the B-tree walk yields), then the best of
# those: a common word's candidates stop at the limit instead of every match.
_MATCH = """
SELECT page_id FROM (
    SELECT page_id, published_at, ts_rank(words, query) AS rank
    FROM (
        SELECT page_id, published_at, words
        FROM newsroom_storysearchentry
        WHERE home_id = %s AND words @@ to_tsquery('simple', %s)
          AND (embargo_until IS NULL OR embargo_until <= now())
        ORDER BY published_at DESC
        LIMIT %s
    ) AS newest, to_tsquery('simple', %s) AS query
) AS ranked
ORDER BY rank DESC, published_at DESC, page_id DESC
"""


def _iso(moment):
    return moment.isoformat() if moment is not None else None


class StorySearchQuerySet(models.QuerySet):
    def serves_search(self):
        """Whether the database answers public search from this table
        (on PostgreSQL, unless an external engine is configured)."""
        return connections[self.db].vendor == "postgresql" and not settings.OPENSEARCH_URL

    def store(self, stories):
        """Insert or replace the entries of ``stories``: (page id, home id,
        published at, embargo until, headline, standfirst, labels, body),
        the four texts already folded and split into words. One statement
        however many stories."""
        if not stories:
            return
        # One JSON text, not eight arrays: the driver quotes an array's
        # strings one by one in Python, which cost more than the indexing.
        rows = [dict(zip(_COLUMNS, (*story[:2], _iso(story[2]), _iso(story[3]), *story[4:]), strict=True)) for story in stories]
        with connections[self.db].cursor() as cursor:
            cursor.execute(_STORE, [json.dumps(rows, ensure_ascii=False)])

    def matching(self, home_id, terms, limit):
        """Ids of the unit's stories holding every term (folded words), best
        first, out of its ``limit`` newest matches."""
        query = " & ".join(terms)
        with connections[self.db].cursor() as cursor:
            cursor.execute(_MATCH, [home_id, query, limit, query])
            return [row[0] for row in cursor.fetchall()]

    def plan(self, home_id, terms, limit):
        """PostgreSQL's plan for ``matching``: which indexes answer it."""
        query = " & ".join(terms)
        with connections[self.db].cursor() as cursor:
            cursor.execute("EXPLAIN " + _MATCH, [home_id, query, limit, query])
            return "\n".join(row[0] for row in cursor.fetchall())


class StorySearchEntry(models.Model):
    page = models.OneToOneField("wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="+")
    # The unit's home page: search is per unit.
    home = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+", db_index=False)
    published_at = models.DateTimeField()
    embargo_until = models.DateTimeField(null=True, blank=True)
    words = SearchVectorField()

    objects = StorySearchQuerySet.as_manager()

    class Meta:
        # The GIN index on ``words`` is PostgreSQL's own: made by the
        # migration, on PostgreSQL only.
        indexes = [models.Index(models.F("home"), models.F("published_at").desc(), name=RECENT_INDEX)]

    def __str__(self):
        return f"search entry of page {self.page_id}"
