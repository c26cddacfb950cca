"""Failures counted per key in a sliding window; a key past its limit waits for the window.

Kept in memory: the web side runs one worker (bot/web/app.py), and a restart forgetting a
pause is acceptable. Used for operator sign-in and for the worker's case lookup.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from typing import Callable, Deque, Dict, Optional, Tuple

WINDOW = 15 * 60
MAX_KEYS = 50_000


class Throttle:
    def __init__(self, limits: Dict[str, int], window: float = WINDOW,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """`limits` maps a kind of key ("account", "address", "case") to the failures it may have."""
        self._limits, self._window, self._clock = limits, window, clock
        self._failures: Dict[Tuple[str, str], Deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: Tuple[str, str]) -> Deque[float]:
        times = self._failures[key]
        while times and self._clock() - times[0] > self._window:
            times.popleft()
        return times

    def retry_after(self, **keys: str) -> Optional[int]:
        """Seconds to wait before another try, or None when a try is allowed."""
        with self._lock:
            waits = []
            for kind, value in keys.items():
                times = self._recent((kind, value))
                if len(times) >= self._limits[kind]:
                    waits.append(int(self._window - (self._clock() - times[0])) + 1)
            return max(waits) if waits else None

    def failed(self, **keys: str) -> None:
        with self._lock:
            self._record(keys)

    def _record(self, keys: Dict[str, str]) -> None:
        now = self._clock()
        if len(self._failures) > MAX_KEYS:
            # Memory stays bounded whatever keys callers send: drop the keys with nothing recent.
            for key in [k for k in self._failures if not self._recent(k)]:
                del self._failures[key]
        for kind, value in keys.items():
            self._failures[(kind, value)].append(now)

    def attempt(self, **keys: str) -> Optional[int]:
        """Check and count a try as failed in one step (no await can slip between): None when
        it may go ahead, else the seconds to wait. `undo` takes a try back once it succeeded."""
        with self._lock:
            waits = []
            for kind, value in keys.items():
                times = self._recent((kind, value))
                if len(times) >= self._limits[kind]:
                    waits.append(int(self._window - (self._clock() - times[0])) + 1)
            if waits:
                return max(waits)
            self._record(keys)
            return None

    def undo(self, **keys: str) -> None:
        with self._lock:
            for kind, value in keys.items():
                times = self._failures.get((kind, value))
                if times:
                    times.pop()

    def forget(self, **keys: str) -> None:
        with self._lock:
            for kind, value in keys.items():
                self._failures.pop((kind, value), None)
