"""Sign-in throttling: a few wrong passwords per account and per address, then a pause.

Passwords are argon2 hashes, so guessing stays slow either way; this stops it early.
"""

from __future__ import annotations

import time
from typing import Callable, Optional

from bot.console.accounts import login_name
from bot.throttle import WINDOW, Throttle

PER_ACCOUNT = 5
PER_ADDRESS = 20


class LoginThrottle:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._throttle = Throttle({"account": PER_ACCOUNT, "address": PER_ADDRESS}, WINDOW, clock)

    def retry_after(self, username: str, address: str) -> Optional[int]:
        return self._throttle.retry_after(account=_account(username), address=address)

    def failed(self, username: str, address: str) -> None:
        self._throttle.failed(account=_account(username), address=address)

    def succeeded(self, username: str) -> None:
        self._throttle.forget(account=_account(username))


def _account(username: str) -> str:
    # The name as Accounts.verify looks it up (stripped), and case-blind: "Boss " is "boss".
    return login_name(username).lower()
