"""Stations: import, where the worker is, nearest, hours, and the station for a case."""

import json
import math
import random
from datetime import datetime

import pytest

from bot.stations.finder import StationFinder
from bot.stations.hours import open_now
from bot.stations.importer import main as import_main
from bot.stations.locate import AMBIGUOUS, FOUND, UNKNOWN, locate_position, locate_text
from bot.stations.nearest import EARTH_RADIUS_KM, StationIndex
from bot.stations.parsing import ImportFailed, parse
from bot.stations.station import Station
from bot.stations.store import DEMO_FILE, load_all, replace_all
from bot.storage.engine import make_engine, upgrade

HEADER = "id,name,kind,address,district_code,latitude,longitude,phone,hours,services\n"
GOOD = "a,渝中调解中心,劳动争议调解中心,重庆市渝中区,500103,29.55,106.57,,周一至周五 9:00-17:00,调解\n"


@pytest.mark.unit
def test_demo_file_imports_and_has_no_invented_phone():
    stations = parse(DEMO_FILE)
    assert len(stations) >= 10
    assert all(s.phone == "" for s in stations)
    # No phone is published in the seeds: each kind shows its national line (issue 16 added the
    # court's, the procuratorate's, the tax office's and 12345 for 信访).
    assert {s.phone_or_hotline for s in stations} == {"12333", "12351", "12368", "12309", "12366", "12345"}
    names = " ".join(s.name + s.address for s in stations)
    for place in ("陶溪川", "浙江路", "高新区", "昌南新区", "渝中区", "沙坪坝区", "巴南区", "江北区", "巫溪县"):
        assert place in names


@pytest.mark.db
def test_bad_rows_are_reported_by_line_and_nothing_is_written(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)  # the import command's database
    engine = make_engine(url)
    upgrade(engine)
    replace_all(engine, parse(DEMO_FILE))
    before = load_all(engine)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + GOOD + "b,无坐标站,工会服务站,某地,,,,,,\n"
        "c,境外站,工会服务站,东京,,35.68,139.69,,,\n"
        "d,怪类型,咖啡馆,某地,,29.5,106.5,,,\n"
        "e,错电话,工会服务站,某地,,29.5,106.5,12345,,\n"
        "a,重复编号,工会服务站,某地,,29.5,106.5,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as failed:
        parse(bad)
    assert [line for line, _ in failed.value.errors] == [3, 4, 5, 6, 7]
    assert "不在中国境内" in failed.value.errors[1][1]
    assert import_main([str(bad)]) == 1
    assert load_all(engine) == before
    good = tmp_path / "good.csv"
    good.write_text(HEADER + GOOD, encoding="utf-8")
    assert import_main([str(good)]) == 0
    assert [s.id for s in load_all(engine)] == ["a"]


@pytest.mark.unit
def test_geojson_imports(tmp_path):
    path = tmp_path / "s.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [106.57, 29.55]},
                        "properties": {
                            "id": "g1",
                            "name": "渝中工会",
                            "kind": "工会服务站",
                            "address": "渝中区",
                            "phone": "023-63801234",
                        },
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    (station,) = parse(path)
    assert (station.latitude, station.longitude, station.phone) == (29.55, 106.57, "02363801234")


@pytest.mark.parametrize(
    "text,code",
    [
        ("我在渝中区", "500103000000"),
        ("沙坪坝这边哪里能调解", "500106000000"),
        ("北京朝阳区的服务站", "110105000000"),
        ("景德镇浙江路附近", "360203000000"),
        ("重庆江北", "500105000000"),
        ("宁波江北区", "330205000000"),
        ("陶溪川", "360203000000"),
        ("解放碑附近", "500103000000"),
        ("巫溪县的", "500238000000"),
    ],
)
@pytest.mark.unit
def test_places_in_text(text, code):
    where = locate_text(text)
    assert where.status == FOUND and where.code == code


@pytest.mark.unit
def test_ambiguous_and_unknown_places():
    where = locate_text("我在朝阳区")
    assert where.status == AMBIGUOUS and set(where.choices) == {"北京市朝阳区", "长春市朝阳区"}
    assert locate_text("我在火星").status == UNKNOWN
    assert locate_text("").status == UNKNOWN


@pytest.mark.parametrize(
    "position,ok",
    [
        ({"latitude": 29.557, "longitude": 106.577}, True),
        ({"latitude": float("nan"), "longitude": 106.5}, False),
        ({"latitude": 91, "longitude": 106.5}, False),
        ({"latitude": 48.85, "longitude": 2.35}, False),
        ({"latitude": "x", "longitude": 1}, False),
        ("29.5,106.5", False),
        ({}, False),
    ],
)
@pytest.mark.unit
def test_shared_positions(position, ok):
    where, problem = locate_position(position)
    assert (where is not None) == ok and (problem is None) == ok


def haversine(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@pytest.mark.unit
def test_balltree_agrees_with_brute_force():
    rng = random.Random(7)
    stations = [
        Station(str(i), f"站{i}", "工会服务站", "x", "", rng.uniform(20, 45), rng.uniform(100, 122))
        for i in range(2000)
    ]
    index = StationIndex(stations)
    for _ in range(20):
        point = (rng.uniform(20, 45), rng.uniform(100, 122))
        got = [n.station.id for n in index.nearest(*point, k=3)]
        expected = sorted(stations, key=lambda s: haversine(point, (s.latitude, s.longitude)))[:3]
        assert got == [s.id for s in expected]


@pytest.mark.unit
def test_open_now():
    hours = "周一至周五 9:00-12:00 14:00-17:30"
    assert open_now(hours, datetime(2026, 11, 23, 10, 0)) is True  # Monday morning
    assert open_now(hours, datetime(2026, 11, 23, 13, 0)) is False  # lunch
    assert open_now(hours, datetime(2026, 11, 22, 10, 0)) is False  # Sunday
    assert open_now("请电话预约", datetime(2026, 11, 23, 10, 0)) is None


def finder():
    return StationFinder(lambda: parse(DEMO_FILE))


@pytest.mark.unit
def test_nearest_follows_the_problem():
    f = finder()
    where = locate_text("我在渝中区")
    assert f.nearby(where, "pension_adjustment")[0]["kind"] == "社保经办机构"
    assert f.nearby(where, "work_injury")[0]["kind"] == "人社局/劳动保障监察"
    mediators = ("工会服务站", "劳动争议调解中心", "劳动关系公共服务站")
    assert f.nearby(where, asked="最近的调解的地方")[0]["kind"] in mediators
    first = f.nearby(where)[0]
    assert first["km"] < 5 and first["map"].startswith("https://") and first["phone"] in ("12333", "12351")


@pytest.mark.unit
def test_kiosk_station_comes_first():
    cards = finder().nearby(locate_text("渝中区"), kiosk_station="cq-wuxi-union")
    assert cards[0]["id"] == "cq-wuxi-union" and len(cards) == 3


@pytest.mark.unit
def test_case_goes_to_the_workplace_not_the_worker():
    station, reason = finder().for_case("巫溪县", "wage_arrears")
    assert station.id.startswith("cq-wuxi") and "第二十一条" in reason
    assert finder().for_case("火星", "wage_arrears") is None


@pytest.mark.unit
def test_pension_and_injury_cases_are_not_routed_by_the_arbitration_venue_rule():
    _, pension = finder().for_case("巫溪县", "pension_adjustment")
    assert "第二十一条" not in pension and "劳动争议" not in pension
    assert "社保经办机构" in pension and "《社会保险法》第八条" in pension
    _, injury = finder().for_case("巫溪县", "work_injury")
    assert "第二十一条" not in injury
    assert "单位所在地的社保行政部门" in injury and "《工伤保险条例》第十七条" in injury


@pytest.mark.unit
def test_place_table_resolves():
    """bench/data/place_phrasings.csv: 123 messages naming districts, short forms, city + district,
    landmarks, and ambiguous or unknown places."""
    import csv
    from pathlib import Path

    rows = list(
        csv.DictReader(
            (Path(__file__).resolve().parents[1] / "bench" / "data" / "place_phrasings.csv").open(encoding="utf-8")
        )
    )
    assert len(rows) >= 100
    right = 0
    for row in rows:
        where = locate_text(row["text"])
        got = {AMBIGUOUS: "AMBIGUOUS", UNKNOWN: "UNKNOWN"}.get(where.status, where.code)
        right += got == row["expected"]
    assert right / len(rows) >= 0.95
