"""The one rule for which station gets a case (bot/stations/routing.py), without any server."""

import re
from pathlib import Path

import pytest

from bot.stations.finder import StationFinder
from bot.stations.importer import parse
from bot.stations.routing import route_case
from bot.stations.store import DEMO_FILE

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[1]


def finder():
    return StationFinder(lambda: parse(DEMO_FILE))


def test_the_workplace_decides_before_the_kiosk():
    station, reason = route_case("巫溪县", "wage_arrears", "jdz-taoxichuan", finder=finder())
    assert station.id.startswith("cq-wuxi") and "第二十一条" in reason


def test_the_kiosk_takes_a_case_whose_workplace_is_unknown():
    station, reason = route_case("火星", "wage_arrears", "jdz-taoxichuan", finder=finder())
    assert station.id == "jdz-taoxichuan" and station.name in reason
    station, _ = route_case(None, "overtime", "jdz-taoxichuan", finder=finder())
    assert station.id == "jdz-taoxichuan"


def test_no_place_and_no_kiosk_leaves_the_case_for_a_supervisor():
    assert route_case("火星", "wage_arrears", finder=finder()) is None
    assert route_case(None, None, "no-such-station", finder=finder()) is None


def test_the_problem_picks_the_kind_of_station():
    station, _ = route_case("渝中区", "pension_adjustment", finder=finder())
    assert station.kind == "社保经办机构"


def test_nothing_else_decides_a_cases_station():
    """The bot's intake and the console both call route_case; no second StationFinder appears."""
    makers = [
        str(p.relative_to(ROOT))
        for folder in ("bot", "actions")
        for p in (ROOT / folder).rglob("*.py")
        if re.search(r"\bStationFinder\(|\.for_case\(", p.read_text(encoding="utf-8"))
    ]
    assert makers == ["bot/stations/routing.py"]
    for user in ("actions/intake.py", "bot/console/drafts.py"):
        assert "route_case(" in (ROOT / user).read_text(encoding="utf-8")
