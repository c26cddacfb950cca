"""The chat channels' memory of senders the case service said have nothing pending, for a while.

Almost every message learns from the case service that nothing waits for its sender. When the
case service says so it also says for how long that holds at most (`quiet`, seconds: bounded by
GONGYOU_FOLLOWUP_QUIET_SECONDS and by the next follow-up due for the sender, bot/followups/replies.py),
and the chat channels skip the call for the sender's messages until then. What that must not
lose (contract §6):

- An answer to a question: a message that could answer one (`answers.could_answer`: a payment
  answer or a rating, the only answers the case service takes besides the free comment) always
  goes to the case service, so a question WeChat delivered meanwhile still gets it. The free
  comment is asked only in the reply to a call, which never carries `quiet`.
- A follow-up planned after the grant waits at most the grant (one planned before it bounds it).
- Two calls for one sender in flight at once: neither may grant (the earlier one's "nothing"
  may predate what the later one changed), and a call forgets any grant when it starts.

The clock is monotonic and the grant counts from before the call was sent, so it ends no later
than the case service meant, whatever the two machines' clocks say. One event loop owns it (the
channels call it from their coroutines), so it needs no lock.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Callable, Dict, Optional, Set

from bot.followups import answers

# Whatever the case service says, a sender is never skipped for longer (a misconfiguration must
# not hide follow-ups for hours).
LONGEST = 300.0
# Senders remembered at most; forgetting one only costs its next message a call.
LIMIT = 100_000


class QuietSenders:
    def __init__(self, limit: int = LIMIT, clock: Callable[[], float] = time.monotonic) -> None:
        self._until: "OrderedDict[str, float]" = OrderedDict()
        self._asking: Dict[str, int] = {}
        self._crossed: Set[str] = set()
        self._limit, self._clock = limit, clock

    def skips(self, sender: str, text: str) -> bool:
        """True: this message need not go to the case service."""
        until = self._until.get(sender)
        if until is None:
            return False
        if self._clock() >= until:
            del self._until[sender]
            return False
        return not answers.could_answer(text)

    def asking(self, sender: str) -> float:
        """A call for `sender` starts: its grant ends now. Returns the call's start, for `answered`."""
        self._until.pop(sender, None)
        calls = self._asking.get(sender, 0)
        if calls:
            self._crossed.add(sender)
        self._asking[sender] = calls + 1
        return self._clock()

    def answered(self, sender: str, started: float, quiet: Optional[float]) -> None:
        """The call that started at `started` ended; `quiet`: the seconds the case service granted."""
        calls = self._asking.pop(sender, 1) - 1
        crossed = sender in self._crossed
        if calls > 0:
            self._asking[sender] = calls
        else:
            self._crossed.discard(sender)
        if crossed or not quiet or quiet <= 0:
            return
        self._until[sender] = started + min(float(quiet), LONGEST)
        self._until.move_to_end(sender)
        self._trim()

    def _trim(self) -> None:
        now = self._clock()
        while self._until:
            sender, until = next(iter(self._until.items()))
            if until > now and len(self._until) <= self._limit:
                return
            del self._until[sender]

    def __len__(self) -> int:
        return len(self._until)
