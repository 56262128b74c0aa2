"""A small least-recently-used cache of one object's derived values.

No Textual, no Rich.  ``functools.lru_cache`` around a bound method would make the
object and its cache a reference cycle: an index of 100,000 records (hundreds of MB)
would then wait for the cyclic garbage collector, which the app pauses and freezes,
instead of being freed when the app lets go of it.  This cache holds values only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    """At most ``size`` values, the least recently used dropped first; thread-safe."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[K], V]) -> V:
        """The value of ``key``, made by ``make(key)`` if it is not kept."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make(key)  # outside the lock: two threads may both make it, harmlessly
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)
