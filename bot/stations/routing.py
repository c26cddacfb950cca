"""Which station gets a case: the one rule, for the bot's intake and the console's hotline drafts.

The station serving the workplace (劳动争议调解仲裁法 §21: place of performance) when the place
is known; else the kiosk where the worker registered; else none (a supervisor assigns it).
"""

from __future__ import annotations

import threading
from typing import Any, Dict, Optional, Tuple

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


# 保障农民工工资支付条例: who pays a construction worker's wages besides the one who hired them.
CITATIONS = (("保障农民工工资支付条例", 30), ("保障农民工工资支付条例", 34), ("保障农民工工资支付条例", 36))


def construction_basis(details: Dict[str, Any]) -> Optional[str]:
    """On a construction project, who answers for the wages beyond the subcontractor or 包工头,
    told to the worker and written into the document; None for any other workplace."""
    if not details.get("construction"):
        return None
    contractor = details.get("general_contractor")
    who = f"施工总承包单位（{contractor}）" if contractor else "施工总承包单位"
    return (
        f"这是工程建设项目：分包单位拖欠农民工工资的，由{who}先行清偿（《保障农民工工资支付条例》第三十条）；"
        f"总承包单位把活分包给个人包工头或没有资质的单位的，由它清偿（第三十六条）。"
        + (
            "文书里已把总承包单位列为被申请人。"
            if contractor
            else "总承包单位的名字写在工地门口的维权信息告示牌上（第三十四条），问清了就能写进文书。"
        )
    )
