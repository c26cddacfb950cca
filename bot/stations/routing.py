"""Which station gets a case: the one rule, for the bot's intake and the console's hotline drafts.

The station serving the workplace (劳动争议调解仲裁法 §21: place of performance) when the place
is known; else the kiosk where the worker registered; else none (a supervisor assigns it).
"""

from __future__ import annotations

import threading
from typing import Optional, Tuple

from bot.stations.finder import StationFinder
from bot.stations.nearest import Nearby
from bot.stations.station import REFERRAL_KINDS, Station

_finder: Optional[StationFinder] = None
_lock = threading.Lock()


def station_finder() -> StationFinder:
    """This process's one finder, over the stations in the case database (DATABASE_URL);
    a fresh database gets the demo list."""
    global _finder
    with _lock:
        if _finder is None:
            from bot.stations.store import ensure_some, load_all
            from bot.storage.engine import make_engine, upgrade

            engine = make_engine()
            upgrade(engine)

            def load():
                ensure_some(engine)
                return load_all(engine)

            _finder = StationFinder(load)
        return _finder


def route_case(
    location: Optional[str],
    category: Optional[str],
    kiosk_station: Optional[str] = None,
    finder: Optional[StationFinder] = None,
) -> Optional[Tuple[Station, str]]:
    """(station, the reason told to the worker), or None. `finder` is for tests."""
    finder = finder or station_finder()
    return finder.for_case(location, category) or finder.kiosk_station(kiosk_station)


def nearest_of_kind(kind: str, station_id: Optional[str], finder: Optional[StationFinder] = None) -> Optional[Nearby]:
    """Where a case at `station_id` goes when referred (contract §6 `to`): the nearest station of
    that kind. `kind` is a referral target (`procuratorate`) or a station kind (人民检察院).
    None when the case has no known station or no station of the kind is registered."""
    finder = finder or station_finder()
    home = finder.index().by_id.get(station_id or "")
    if home is None:
        return None
    return finder.nearest_of_kind(REFERRAL_KINDS.get(kind, (kind,)), home.latitude, home.longitude)
