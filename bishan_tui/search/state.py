"""What every index of a dataset holds, whether built (:class:`.SearchIndex`) or a
provisional scan (:class:`.ScanIndex`): one definition, so the two cannot drift.

No Textual, no Rich.
"""

from __future__ import annotations

import threading
from typing import NamedTuple

from ..model import Dataset, Kind
from .groups import Group, GroupData
from .lru import LRU
from .pinyin import Pinyin, Readings
from .query import DateRange, ValueTest

_FILTERS_KEPT = 64  # bitmaps of value and date filters kept


class IndexData(NamedTuple):
    """What a built index is made of, and all that is saved of it (:mod:`.store`
    converts it to and from its file; nothing else knows the file's layout)."""

    readings: Readings  # toneless pinyin of each character of the searched names
    title: GroupData  # title, title_en, aliases, aliases_en
    other: GroupData  # every other text field
    exact: dict[str, list[int]]  # a whole normalised name -> records
    title_keys: list[str]  # every normalised name, sorted ...
    title_ids: list[int]  # ... and the record of each
    kind_masks: dict[Kind, int]  # kind -> records
    pairs: frozenset[str]  # two-character words of the dictionary (mid_word)
    spoken: Readings  # such words read otherwise than their characters (重庆)


class IndexState:
    """The dataset, its pinyin, its records per kind, and what queries make and keep."""

    provisional = False  # a scan says True: the real index is on its way

    # Set by SearchIndex only (a scan has no groups); declared here for the layers.
    _title: Group
    _other: Group
    _exact: dict[str, list[int]]
    _title_keys: list[str]
    _title_ids: list[int]

    def __init__(
        self,
        dataset: Dataset,
        readings: Readings,
        kind_masks: dict[Kind, int],
        pairs: frozenset[str] = frozenset(),
        spoken: Readings | None = None,
    ) -> None:
        self.dataset = dataset
        self.records = dataset.records
        self._readings = readings
        self._pinyin = Pinyin(readings)
        self._kind_masks = kind_masks
        self._pairs = pairs
        self._spoken: Readings = spoken or {}
        # made when a query first needs them (not saved)
        self._sort_readings: Readings | None = None
        self._token_lists: dict[int, list[str]] = {}
        self._value_list: list[tuple[float, int]] | None = None
        self._date_list: list[tuple[str, str, int]] | None = None
        self._field_blobs: dict[str, tuple[str, list[int]]] = {}
        self._value_filters: LRU[ValueTest, int] = LRU(_FILTERS_KEPT)
        self._date_filters: LRU[DateRange, int] = LRU(_FILTERS_KEPT)
        self._lock = threading.Lock()

    @property
    def readings(self) -> Readings:
        """Toneless pinyin readings of the characters of the data's names, and of
        the two-character words read otherwise than their characters (重庆: *chong
        qing*), for :mod:`bishan_tui.sorting`."""
        if self._sort_readings is None:
            self._sort_readings = {**self._readings, **self._spoken}
        return self._sort_readings
