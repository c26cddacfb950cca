"""Job help in the chat (issue 16): after dismissal guidance, and for `job_seeking`, the offer and
the nearest 就业帮扶 stations. The seeds' worry is "维权赢了，饭碗丢了": unions link mediation with
就业帮扶 (巴南区总工会). The words themselves: bot/job_help_words.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional

from bot.job_help_words import OFFER
from bot.stations.finder import StationFinder, describe
from bot.stations.locate import FOUND, Where, locate_text

# Topics after whose guidance job help is offered at once.
AFTER_TOPICS = frozenset({"dismissal"})
ASK_PLACE = "告诉我在哪个区县，我帮您找最近的就业帮扶点。"


def where_to_look(
    finder: StationFinder,
    named: Optional[str] = None,
    context: str = "",
    earlier: Optional[str] = None,
    kiosk_station: Optional[str] = None,
) -> Optional[Where]:
    """The place picked out of this message, else one in the message itself (read offline: a
    complaint is not sent to a geocoder), else the worker's earlier place, else their kiosk."""
    found = finder.where(named, context) if named else None
    if (found is None or found.status != FOUND) and context:
        found = locate_text(context)
    if (found is None or found.status != FOUND) and earlier:
        found = finder.where(earlier)
    if found is not None and found.status == FOUND:
        return found
    return finder.kiosk_place(kiosk_station)


def offer(
    finder: StationFinder,
    named: Optional[str] = None,
    context: str = "",
    earlier: Optional[str] = None,
    kiosk_station: Optional[str] = None,
    now: Optional[datetime] = None,
    ask_place: bool = True,
    spelled_out: bool = True,
) -> Dict[str, Any]:
    """{"text", "stations"}: the offer, with the nearest 就业帮扶 stations when the place is known.
    `ask_place=False` where the reply already ends in a question (after dismissal guidance);
    `spelled_out=False` on pages that draw the stations as cards."""
    where = where_to_look(finder, named, context, earlier, kiosk_station)
    if where is None:
        return {"text": f"{OFFER}{ASK_PLACE}" if ask_place else OFFER, "stations": []}
    cards: List[Dict[str, Any]] = finder.job_help_near(where, now)
    if not cards:
        return {"text": OFFER, "stations": []}
    listed = f"\n{describe(cards)}" if spelled_out else ""
    return {"text": f"{OFFER}\n离{where.name}最近的就业帮扶点：{listed}", "stations": cards}
