"""Answers about stations: the nearest ones for a worker's problem, and the one for a case."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import quote

from bot.stations.geocoder import geocode
from bot.stations.hours import open_now
from bot.stations.locate import AMBIGUOUS, FOUND, Where, locate_text
from bot.stations.nearest import Nearby, StationIndex
from bot.stations.station import JOB_HELP, Station, kinds_asked, kinds_for

logger = logging.getLogger(__name__)
REFRESH_SECONDS = 60
RETRY_SECONDS = 10  # after a failed reload: try again soon, but not on every message
# The routing reasons below: a labour dispute goes where the work is done (劳动争议调解仲裁法 §21),
# a pension question to the 社保经办机构 (社会保险法 §8), a 工伤认定 to the 社会保险行政部门
# where the employer is (工伤保险条例 §17) — not the arbitration venue rule.
CITATIONS = (("劳动争议调解仲裁法", 21), ("社会保险法", 8), ("工伤保险条例", 17))
SHOWN = 3
# Beyond this a station is not "near": it is never listed, and GongYou gives the hotlines instead
# of sending a worker hundreds of kilometres.
FAR_KM = 50


def _area(code: str) -> str:
    """A division code cut to the level it names: 500113 (a district), 3602 (a city), 50 (重庆)."""
    code = (code or "")[:6]
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def serves(station: Station, code: str) -> bool:
    """Whether the station belongs to the area of `code` (its district, or the city above it)."""
    area = _area(station.district_code)
    return bool(area) and bool(code) and code[:6].startswith(area)


def map_link(station: Station) -> str:
    return (
        f"https://uri.amap.com/marker?position={station.longitude},{station.latitude}"
        f"&name={quote(station.name)}&coordinate=wgs84"
    )


def card(near: Nearby, now: datetime) -> Dict[str, Any]:
    state = open_now(near.station.hours, now)
    return {**near.station.as_dict(), "km": round(near.km, 1), "open_now": state, "map": map_link(near.station)}


def describe(cards: List[Dict[str, Any]]) -> str:
    lines = []
    for i, c in enumerate(cards, start=1):
        state = {True: "现在开门", False: "现在不开门", None: ""}[c["open_now"]]
        lines.append(
            f"{i}. {c['name']}（{c['kind']}），约{c['km']:g}公里\n   地址：{c['address']}\n"
            f"   时间：{c['hours'] or '请电话询问'}{('，' + state) if state else ''}\n"
            f"   电话：{c['phone']}  地图：{c['map']}"
        )
    return "\n".join(lines)


def venue_reason(topic: Optional[str], place: str, station: str) -> str:
    """Why a case goes to this station, in the words of the rule that decides it for the topic."""
    if topic == "pension_adjustment":
        return (
            f"养老金等社保待遇由社保经办机构支付（《社会保险法》第八条），不走劳动仲裁，"
            f"所以交给离{place}最近的「{station}」，帮您对接经办机构。"
        )
    if topic == "work_injury":
        return (
            f"工伤认定要向单位所在地的社保行政部门申请（《工伤保险条例》第十七条）。"
            f"按您说的{place}，先交给离那里最近的「{station}」；单位注册在别处的，工作人员会告诉您去哪里申请。"
        )
    return (
        f"您在{place}干活，劳动争议由劳动合同履行地（也就是干活的地方）优先管辖"
        f"（《劳动争议调解仲裁法》第二十一条），所以交给离那里最近的「{station}」。"
    )


class StationFinder:
    def __init__(self, load) -> None:
        """`load()` returns the current station list (from the database, or a test's list)."""
        self._load = load
        self._lock = threading.Lock()
        self._index: Optional[StationIndex] = None
        self._loaded_at = 0.0

    def index(self) -> StationIndex:
        """The stations, reloaded every minute; the last good list while the database is away.

        Raises only when no list was ever loaded (then there is nothing to answer from).
        """
        with self._lock:
            if self._index is None or time.monotonic() - self._loaded_at > REFRESH_SECONDS:
                try:
                    self._index = StationIndex(self._load())
                    self._loaded_at = time.monotonic()
                except Exception:
                    if self._index is None:
                        raise
                    logger.warning("station reload failed; keeping the last good list", exc_info=True)
                    self._loaded_at = time.monotonic() - REFRESH_SECONDS + RETRY_SECONDS
            return self._index

    def where(self, text: str, context: str = "") -> Where:
        """Where `text` (a place the NLU picked out) is; the whole message `context` wins when it
        reads a longer name through a typo that the pick cut in half (沙平坝区: not 平坝区)."""
        if context and context != text:
            wider = locate_text(context)
            if wider.status == FOUND and wider.corrected:
                return wider
        found = locate_text(text)
        if found.status != FOUND and found.status != AMBIGUOUS:
            online = geocode(text)
            if online:
                return Where(FOUND, online[0], online[1], text)
        return found

    def nearby(
        self,
        where: Where,
        topic: Optional[str] = None,
        kiosk_station: Optional[str] = None,
        now: Optional[datetime] = None,
        asked: str = "",
    ) -> List[Dict[str, Any]]:
        """The closest stations that handle the problem (or what the worker asked for by name)."""
        now = now or datetime.now()
        if where.latitude is None or where.longitude is None:
            return []
        index = self.index()
        lat, lng = where.latitude, where.longitude
        near = [n for n in index.nearest(lat, lng, SHOWN, kinds_asked(asked) or kinds_for(topic)) if n.km <= FAR_KM]
        if not near:  # nothing of the needed kind nearby: any near station can point the way
            near = [n for n in index.nearest(lat, lng, SHOWN) if n.km <= FAR_KM]
        if near and where.code and not any(serves(n.station, where.code) for n in near):
            # The worker's own district comes first: a 巴南 worker is not sent to 渝中's office
            # while a station of 巴南 can point the way (labour inspection goes by district).
            local = [n for n in index.nearest(lat, lng, SHOWN * 3) if n.km <= FAR_KM and serves(n.station, where.code)]
            near = local[:1] + near[: SHOWN - 1]
        cards = [card(n, now) for n in near]
        home = index.by_id.get(kiosk_station or "")
        if home:
            cards = [card(Nearby(home, 0.0), now)] + [c for c in cards if c["id"] != home.id][: SHOWN - 1]
        return cards

    def job_help_near(self, where: Where, now: Optional[datetime] = None) -> List[Dict[str, Any]]:
        """Stations offering 就业帮扶 within FAR_KM; none of another kind stands in for them."""
        if where.latitude is None or where.longitude is None:
            return []
        found = self.index().nearest(where.latitude, where.longitude, SHOWN, (JOB_HELP,))
        return [card(n, now or datetime.now()) for n in found if n.km <= FAR_KM]

    def nearest_of_kind(self, kinds: Tuple[str, ...], latitude: float, longitude: float) -> Optional[Nearby]:
        """The nearest station of one of `kinds` (or offering it as a service), however far: a
        referral must land somewhere, and the operator sees the distance."""
        found = self.index().nearest(latitude, longitude, 1, kinds)
        return found[0] if found else None

    def kiosk_place(self, station_id: Optional[str]) -> Optional[Where]:
        """A kiosk's own station as the place to search from, when the worker names none."""
        home = self.index().by_id.get(station_id or "")
        return Where(FOUND, home.latitude, home.longitude, home.name) if home else None

    def kiosk_station(self, station_id: Optional[str]) -> Optional[Tuple[Station, str]]:
        home = self.index().by_id.get(station_id or "")
        return (home, f"您是在「{home.name}」登记的，由这里的工作人员跟进。") if home else None

    def for_case(self, workplace: Optional[str], topic: Optional[str]) -> Optional[Tuple[Station, str]]:
        """The station serving the workplace, and why (`venue_reason`)."""
        if not workplace:
            return None
        where = self.where(workplace)
        if where.status != FOUND or where.latitude is None or where.longitude is None:
            return None
        found = self.index().nearest(where.latitude, where.longitude, 1, kinds_for(topic)) or self.index().nearest(
            where.latitude, where.longitude, 1
        )
        if not found:
            return None
        return found[0].station, venue_reason(topic, where.name, found[0].station.name)
