"""Answers about stations: the nearest ones for a worker's problem, and the one for a case."""
from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import quote

from bot.stations.geocoder import geocode
from bot.stations.hours import open_now
from bot.stations.locate import AMBIGUOUS, FOUND, Where, locate_text
from bot.stations.station import Station, kinds_asked, kinds_for
from bot.stations.nearest import Nearby, StationIndex

REFRESH_SECONDS = 60
CITATIONS = (("劳动争议调解仲裁法", 21),)  # the routing reason below
SHOWN = 3


def map_link(station: Station) -> str:
    return (f"https://uri.amap.com/marker?position={station.longitude},{station.latitude}"
            f"&name={quote(station.name)}&coordinate=wgs84")


def card(near: Nearby, now: datetime) -> Dict[str, Any]:
    state = open_now(near.station.hours, now)
    return {**near.station.as_dict(), "km": round(near.km, 1), "open_now": state, "map": map_link(near.station)}


def describe(cards: List[Dict[str, Any]]) -> str:
    lines = []
    for i, c in enumerate(cards, start=1):
        state = {True: "现在开门", False: "现在不开门", None: ""}[c["open_now"]]
        lines.append(f"{i}. {c['name']}（{c['kind']}），约{c['km']:g}公里\n   地址：{c['address']}\n"
                     f"   时间：{c['hours'] or '请电话询问'}{('，' + state) if state else ''}\n"
                     f"   电话：{c['phone']}  地图：{c['map']}")
    return "\n".join(lines)


class StationFinder:
    def __init__(self, load) -> None:
        """`load()` returns the current station list (from the database, or a test's list)."""
        self._load = load
        self._lock = threading.Lock()
        self._index: Optional[StationIndex] = None
        self._loaded_at = 0.0

    def index(self) -> StationIndex:
        with self._lock:
            if self._index is None or time.monotonic() - self._loaded_at > REFRESH_SECONDS:
                self._index = StationIndex(self._load())
                self._loaded_at = time.monotonic()
            return self._index

    def where(self, text: str) -> Where:
        found = locate_text(text)
        if found.status != FOUND and found.status != AMBIGUOUS:
            online = geocode(text)
            if online:
                return Where(FOUND, online[0], online[1], text)
        return found

    def nearby(self, where: Where, topic: Optional[str] = None, kiosk_station: Optional[str] = None,
               now: Optional[datetime] = None, asked: str = "") -> List[Dict[str, Any]]:
        """The closest stations that handle the problem (or what the worker asked for by name)."""
        now = now or datetime.now()
        index = self.index()
        found = index.nearest(where.latitude, where.longitude, SHOWN, kinds_asked(asked) or kinds_for(topic))
        if not found:  # nothing of the needed kind: any station can point the way
            found = index.nearest(where.latitude, where.longitude, SHOWN)
        cards = [card(n, now) for n in found]
        home = index.by_id.get(kiosk_station or "")
        if home:
            cards = [card(Nearby(home, 0.0), now)] + [c for c in cards if c["id"] != home.id][: SHOWN - 1]
        return cards

    def kiosk_place(self, station_id: Optional[str]) -> Optional[Where]:
        """A kiosk's own station as the place to search from, when the worker names none."""
        home = self.index().by_id.get(station_id or "")
        return Where(FOUND, home.latitude, home.longitude, home.name) if home else None

    def kiosk_station(self, station_id: Optional[str]) -> Optional[Tuple[Station, str]]:
        home = self.index().by_id.get(station_id or "")
        return (home, f"您是在「{home.name}」登记的，由这里的工作人员跟进。") if home else None

    def for_case(self, workplace: Optional[str], topic: Optional[str]) -> Optional[Tuple[Station, str]]:
        """The station serving the workplace, and why (劳动争议调解仲裁法 §21: place of performance)."""
        if not workplace:
            return None
        where = self.where(workplace)
        if where.status != FOUND:
            return None
        found = self.index().nearest(where.latitude, where.longitude, 1, kinds_for(topic)) or \
            self.index().nearest(where.latitude, where.longitude, 1)
        if not found:
            return None
        reason = (f"您在{where.name}干活，劳动争议由劳动合同履行地（也就是干活的地方）优先管辖"
                  f"（《劳动争议调解仲裁法》第二十一条），所以交给离那里最近的「{found[0].station.name}」。")
        return found[0].station, reason
