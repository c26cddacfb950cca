"""Job help in the chat (issue 16): after dismissal guidance, and for `job_seeking`, the offer and
the nearest 就业帮扶 stations. The seeds' worry is "维权赢了，饭碗丢了": unions link mediation with
就业帮扶 (巴南区总工会). The words themselves: bot/job_help_words.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional, Sequence

from bot.job_help_words import OFFER
from bot.stations.finder import StationFinder, describe
from bot.stations.locate import FOUND, Where

# Topics after whose guidance job help is offered at once.
AFTER_TOPICS = frozenset({"dismissal"})
ASK_PLACE = "告诉我在哪个区县，我帮您找最近的就业帮扶点。"


def where_to_look(
    finder: StationFinder, places: Sequence[Optional[str]], kiosk_station: Optional[str] = None, context: str = ""
) -> Optional[Where]:
    """The first of `places` that is found (the place in this message, the message, an earlier
    place), else the kiosk the worker stands at. `context`: the message, for typos."""
    for text in places:
        if text:
            where = finder.where(text, context)
            if where.status == FOUND:
                return where
    return finder.kiosk_place(kiosk_station)


def offer(
    finder: StationFinder,
    places: Sequence[Optional[str]] = (),
    kiosk_station: Optional[str] = None,
    context: str = "",
    now: Optional[datetime] = None,
) -> Dict[str, Any]:
    """{"text", "stations"}: the offer, with the nearest 就业帮扶 stations when the place is known."""
    where = where_to_look(finder, places, kiosk_station, context)
    if where is None:
        return {"text": f"{OFFER}{ASK_PLACE}", "stations": []}
    cards: List[Dict[str, Any]] = finder.job_help_near(where, now)
    if not cards:
        return {"text": OFFER, "stations": []}
    return {"text": f"{OFFER}\n离{where.name}最近的就业帮扶点：\n{describe(cards)}", "stations": cards}
