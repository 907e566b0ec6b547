"""Wagtail's OpenSearch backend (modelsearch's ``opensearch3``), folding
Vietnamese as the database backends do: ``OPENSEARCH_URL`` selects it
(README, "Search at newsroom scale").

Stories are indexed already folded (``ArticlePage.folded_title`` and
``folded_text``, assets.text.fold), and queries are folded before they
are sent (newsroom.search.query_terms). What Wagtail indexes as typed (a
page's or an image's title) is folded by OpenSearch: every text field is
analysed with ``asciifolding``, which turns đ into d and drops the tones,
at indexing and at search time alike. modelsearch searches its
autocomplete fields with the ``standard`` analyser, which keeps the
diacritics its own indexing folds away (wagtail/wagtail#13005): here they
are searched folded too.
"""

from modelsearch.backends.opensearch3 import OpenSearch3Mapping, OpenSearch3SearchBackend

FOLDED = "folded"
_FOLDING_ANALYZER = {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"]}

INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            # "default": every text field without an analyser of its own.
            "analyzer": {FOLDED: _FOLDING_ANALYZER, "default": _FOLDING_ANALYZER},
        }
    }
}


class FoldedMapping(OpenSearch3Mapping):
    edgengram_analyzer_config = {"analyzer": "edgengram_analyzer", "search_analyzer": FOLDED}


class FoldedSearchBackend(OpenSearch3SearchBackend):
    mapping_class = FoldedMapping

    def __init__(self, params):
        params.setdefault("INDEX_SETTINGS", INDEX_SETTINGS)
        super().__init__(params)


SearchBackend = FoldedSearchBackend
