"""Erasing a worker's personal data from every store that holds it (contract §5): the case
database (bot/cases/service.py), Rasa's tracker store (bot/cases/trackers.py) and the bot's
outbox (bot/cases/client.py), with one audit row saying what was done where."""

from __future__ import annotations

import logging
from typing import Any, Dict, Optional

from bot import settings
from bot.cases.roster import RosterService
from bot.cases.service import CaseService, hashed_key
from bot.console.audit import Audit

logger = logging.getLogger(__name__)


def local_outbox():
    """The bot's outbox when it is on this machine (`make run`, a kiosk); None elsewhere (a
    Kubernetes pod's own volume): there delivered rows are emptied on delivery anyway."""
    from bot.cases.client import Outbox

    path = settings.outbox_path()
    return Outbox(path) if path.exists() else None


class Eraser:
    def __init__(self, service: CaseService, audit: Audit, trackers=None, outbox=None) -> None:
        """`outbox`: an Outbox, or a function giving one (or None) when an erasure needs it."""
        self.service, self.audit, self.trackers, self._outbox = service, audit, trackers, outbox

    @property
    def outbox(self):
        return self._outbox() if callable(self._outbox) else self._outbox

    @classmethod
    def local(cls, service: CaseService) -> "Eraser":
        from bot.cases.trackers import RasaTrackers

        return cls(service, Audit(service.sessions), RasaTrackers(), local_outbox)

    def forget_conversation(self, case_no: str, sender_id: Optional[str]) -> Optional[bool]:
        """True when erased and read back, False when not (yet), None when no conversation is known."""
        if not sender_id:
            return None
        if self.trackers is None:
            return False
        if self.trackers.forget(sender_id):
            self.service.tracker_forgotten(case_no)
            return True
        return False

    def forget_member(self, sender_id: str) -> bool:
        """A roster member's own conversation erased (best effort: the member has no case of their own)."""
        if not sender_id or self.trackers is None:
            return False
        try:
            return bool(self.trackers.forget(sender_id))
        except Exception:
            logger.warning("a roster member's conversation could not be erased now", exc_info=True)
            return False

    def erase(self, case_no: str, actor: str, via: str = "api", tracker_now: bool = True) -> Optional[Dict[str, Any]]:
        """What was erased where, or None for an unknown case. Blocking: run it off the event loop.

        `tracker_now=False` when the request comes from inside the conversation's own turn (the
        chat's erase request): Rasa holds that conversation's lock and saves its tracker when the
        turn ends, so the tracker is erased afterwards (`forget_later`, then every purge round)."""
        facts = self.service.erase(case_no)
        if facts is None:
            return None
        done: Dict[str, Any] = {"case": True, "handoffs": facts["handoffs"]}
        # The group's roster goes with the case: its members' names and phones, and what they
        # said when joining (their conversations), wherever that conversation can be reached.
        joined = RosterService(self.service.sessions).erase_case(facts["case_no"])
        if joined:
            done["roster_conversations"] = sum(bool(self.forget_member(s)) for s in joined)
        outbox = self.outbox
        if outbox is not None:
            keys = [k for k in (facts["idempotency_key"],) if k]
            done["outbox"] = outbox.erase(keys + [hashed_key(k) for k in keys], facts["sender_id"])
        # A tracker Rasa could not erase now is tried again by the retention purge.
        done["tracker"] = (
            self.forget_conversation(facts["case_no"], facts["sender_id"])
            if tracker_now
            else ("later" if facts["sender_id"] else None)
        )
        self.audit.record(actor, "case.erase", facts["case_no"], {"via": via, **done})
        return done

    async def forget_later(self, case_no: str, run, sleep, delays=(3, 15, 60)) -> bool:
        """Erase the tracker once the conversation's turn is over (see `erase`); `run` puts the
        blocking calls off the event loop. The purge keeps trying if these tries fail."""
        for delay in delays:
            await sleep(delay)
            sender = await run(self.service.sender_to_forget, case_no)
            if sender is None:
                return True
            if await run(self.forget_conversation, case_no, sender):
                return True
        return False
