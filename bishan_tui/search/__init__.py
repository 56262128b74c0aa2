"""Search over a dataset: the public API of this package.

No Textual, no Rich.  The layers, each a module of at most a few hundred lines:

* :mod:`.query` — the query language (``kind:``, ``title:``, ``-word`` …);
* :mod:`.fields` — which record fields are searched, as names, as pinyin;
* :mod:`.bitsets` — sets of records as bitmaps;
* :mod:`.pinyin` — readings and query words read as pinyin; :mod:`.typo` — one edit;
* :mod:`.groups` — the inverted index of a group of fields;
  :mod:`.words` — a query word and its spans;
* :mod:`.state`, :mod:`.filters`, :mod:`.rank`, :mod:`.index` — the index, layer by
  layer; :mod:`.match` — what a search returns; :mod:`.suggest` — "did you mean";
* :mod:`.scan` — a provisional search while the index builds;
* :mod:`.store` — the saved index; :mod:`.build` — load it or build it;
* :mod:`.lru` — the per-index caches;
* :mod:`.dataset_cache` — loaded datasets kept on disk.

Names are imported on first use (PEP 562), so ``from bishan_tui.search.query import
…`` at start-up does not import the index.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import build_index, dataset_key, index_cache_path, load_index
    from .dataset_cache import load_dataset_cached
    from .index import SearchIndex
    from .match import (
        TIER_OTHER,
        TIER_TITLE_EXACT,
        TIER_TITLE_GAPPED,
        TIER_TITLE_PREFIX,
        TIER_TITLE_SUBSTRING,
        TIER_TYPO,
        FieldMatch,
        Match,
        SearchResult,
    )
    from .query import Query, parse_query
    from .scan import ScanIndex
    from .store import INDEX_FORMAT

_WHERE = {
    "build_index": "build",
    "dataset_key": "build",
    "index_cache_path": "build",
    "load_index": "build",
    "load_dataset_cached": "dataset_cache",
    "SearchIndex": "index",
    "TIER_OTHER": "match",
    "TIER_TITLE_EXACT": "match",
    "TIER_TITLE_GAPPED": "match",
    "TIER_TITLE_PREFIX": "match",
    "TIER_TITLE_SUBSTRING": "match",
    "TIER_TYPO": "match",
    "FieldMatch": "match",
    "Match": "match",
    "SearchResult": "match",
    "Query": "query",
    "parse_query": "query",
    "ScanIndex": "scan",
    "INDEX_FORMAT": "store",
}

__all__ = [
    "INDEX_FORMAT",
    "TIER_OTHER",
    "TIER_TITLE_EXACT",
    "TIER_TITLE_GAPPED",
    "TIER_TITLE_PREFIX",
    "TIER_TITLE_SUBSTRING",
    "TIER_TYPO",
    "FieldMatch",
    "Match",
    "Query",
    "ScanIndex",
    "SearchIndex",
    "SearchResult",
    "build_index",
    "dataset_key",
    "index_cache_path",
    "load_dataset_cached",
    "load_index",
    "parse_query",
]


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
