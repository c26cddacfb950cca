"""Sign-in throttling: a few wrong passwords per account and per address, then a pause.

Kept in memory: the web side runs one worker (bot/web/app.py), and a restart forgetting a
pause is acceptable; passwords are argon2 hashes, so guessing stays slow either way.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from typing import Callable, Deque, Dict, Optional

WINDOW = 15 * 60
PER_ACCOUNT = 5
PER_ADDRESS = 20


class LoginThrottle:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: Dict[str, Deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str) -> Deque[float]:
        times = self._failures[key]
        while times and self._clock() - times[0] > WINDOW:
            times.popleft()
        return times

    def retry_after(self, username: str, address: str) -> Optional[int]:
        """Seconds to wait before another try, or None when a try is allowed."""
        with self._lock:
            waits = []
            for key, limit in ((f"u:{username.lower()}", PER_ACCOUNT), (f"a:{address}", PER_ADDRESS)):
                times = self._recent(key)
                if len(times) >= limit:
                    waits.append(int(WINDOW - (self._clock() - times[0])) + 1)
            return max(waits) if waits else None

    def failed(self, username: str, address: str) -> None:
        with self._lock:
            now = self._clock()
            self._failures[f"u:{username.lower()}"].append(now)
            self._failures[f"a:{address}"].append(now)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(f"u:{username.lower()}", None)
