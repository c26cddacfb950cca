"""Which station gets a case (bot/stations/routing.py): the one nearest the workplace that handles
the problem, as 劳动争议调解仲裁法 §21 puts jurisdiction at the place of performance; else the
kiosk's; nothing when the workplace is unknown or could be two places. Stations here are the test's own, set
around the real coordinates the gazetteer gives, so each answer is known beforehand."""

import pytest

from bot.stations.finder import StationFinder
from bot.stations.routing import route_case
from bot.stations.station import Station

pytestmark = pytest.mark.unit

WUXI = (31.398604, 109.570062)  # 巫溪县, from the gazetteer
YUZHONG = (29.552736, 106.568896)  # 渝中区


def station(id_, kind, at, north_km=0.0):
    return Station(id_, f"{id_}站", kind, "某地", "", at[0] + north_km / 111.0, at[1])


STATIONS = [
    station("wuxi-union", "工会服务站", WUXI, 1),
    station("wuxi-mediation", "劳动争议调解中心", WUXI, 3),
    station("wuxi-social", "社保经办机构", WUXI, 8),
    station("yuzhong-union", "工会服务站", YUZHONG, 0.5),
    station("yuzhong-inspection", "人社局/劳动保障监察", YUZHONG, 1),
]


@pytest.fixture
def finder(monkeypatch):
    monkeypatch.delenv("AMAP_KEY", raising=False)  # the offline gazetteer only: no online geocoder
    return StationFinder(lambda: list(STATIONS))


def routed(finder, workplace, topic, kiosk=None):
    found = route_case(workplace, topic, kiosk, finder=finder)
    return found[0].id if found else None


def test_the_nearest_station_to_the_workplace_that_handles_the_topic(finder):
    assert routed(finder, "巫溪县", "wage_arrears") == "wuxi-union"
    assert routed(finder, "巫溪县", "dismissal") == "wuxi-union"
    assert routed(finder, "渝中区", "wage_arrears") == "yuzhong-union"


def test_a_topic_goes_past_nearer_stations_that_do_not_handle_it(finder):
    # Pension benefits are decided by the social-insurance agency: 8 km beats the union at 1 km.
    assert routed(finder, "巫溪县", "pension_adjustment") == "wuxi-social"
    assert routed(finder, "巫溪县", "social_insurance") == "wuxi-mediation"
    assert routed(finder, "渝中区", "work_injury") == "yuzhong-inspection"


def test_no_station_of_the_kind_near_anywhere_then_the_nearest_of_any_kind(finder):
    # No 人社局 in 巫溪: the nearest one is in 渝中, hundreds of km away, and is still the answer
    # for a work injury, since only that kind decides 工伤认定.
    assert routed(finder, "巫溪县", "work_injury") == "yuzhong-inspection"
    only_unions = StationFinder(lambda: [s for s in STATIONS if s.kind == "工会服务站"])
    assert routed(only_unions, "巫溪县", "work_injury") == "wuxi-union"


def test_without_a_topic_the_nearest_station(finder):
    assert routed(finder, "巫溪县", None) == "wuxi-union"


@pytest.mark.parametrize("workplace", [None, "", "火星", "朝阳区"])
def test_no_station_for_an_unknown_or_ambiguous_workplace(finder, workplace):
    assert route_case(workplace, "wage_arrears", finder=finder) is None


def test_no_station_at_all(monkeypatch):
    monkeypatch.delenv("AMAP_KEY", raising=False)
    assert route_case("巫溪县", "wage_arrears", finder=StationFinder(lambda: [])) is None


def test_the_reason_names_the_place_the_station_and_the_statute(finder):
    chosen, reason = route_case("巫溪县", "wage_arrears", finder=finder)
    assert "巫溪县" in reason and f"「{chosen.name}」" in reason
    assert "《劳动争议调解仲裁法》第二十一条" in reason


def test_a_kiosk_keeps_only_cases_it_cannot_route_to_a_workplace(finder):
    assert routed(finder, "巫溪县", "wage_arrears", kiosk="yuzhong-union") == "wuxi-union"
    home, reason = route_case("火星", "wage_arrears", "yuzhong-union", finder=finder)
    assert home.id == "yuzhong-union" and home.name in reason
    assert route_case("火星", "wage_arrears", "no-such-station", finder=finder) is None
