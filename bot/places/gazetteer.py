"""China's administrative areas as one list of names and aliases.

The rows come from an offline data package (cpca's adcodes.csv: 3,500 areas with centroids) plus
our own `data/extra_places.csv`. Nothing here downloads anything.
"""

from __future__ import annotations

import csv
import importlib.resources
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

EXTRA_PLACES = Path(__file__).parent / "data" / "extra_places.csv"

SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
)

# Short forms that are ordinary words in a sentence (朝阳 = morning sun, 城关 = any county seat):
# matching them would tag "朝阳" in "朝阳产业" as a place.
COMMON_WORD_ALIASES = frozenset(
    "城关 城区 郊区 矿区 市中 城中 东区 西区 南区 北区 中区 新区 开发 高新 经济 和平 朝阳 长安 平安 安宁 "
    "吉利 新华 青山 白云 红旗 解放 人民 友谊 团结 建设 胜利 光明 先锋 向阳 前进 新城 老城 新市 铁东 铁西 "
    "河东 河西 江南 城东 城西 城南 城北 东城 西城 南城 北城 市辖 大同 永定 太平 和顺 长寿 安定 "
    "宁安 普安 兴安 长春 清河 通州 金水 金平 桥东 桥西 上城 下城 港口 海港 榆树 方正 "
    "东方 南部 西部 北部 东部 中部 东港 海城 黄山 白山 宝山 泰山 天全 资源 公安 运河 东风 光泽 会同".split()
)
# A two-character county alias that jieba knows as a verb, adjective, number, adverb… (延长,
# 合作, 比如, 富裕) is an ordinary word far more often than a place.
_WORD_TAGS = frozenset("v vn vd a ad an c d m f b t s p r u q".split())
_COMMON_NOUN_FREQ = 1000


@lru_cache(maxsize=1)
def _jieba_words() -> Tuple[dict, dict]:
    import jieba
    import jieba.posseg

    jieba.initialize()
    return jieba.dt.FREQ, jieba.posseg.dt.word_tag_tab


def is_ordinary_word(alias: str) -> bool:
    if alias in COMMON_WORD_ALIASES:
        return True
    if len(alias) != 2:
        return False
    freq, tags = _jieba_words()
    tag, count = tags.get(alias), freq.get(alias, 0)
    return (tag in _WORD_TAGS and count >= 100) or (tag == "n" and count >= _COMMON_NOUN_FREQ)


@dataclass(frozen=True)
class Place:
    name: str  # full official name: 沙坪坝区
    code: str  # administrative code, or "" for an extra place
    kind: str  # province | city | county | zone | street | landmark
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    parent: str = ""  # an extra place's parent area, by administrative code


def _kind_of(code: str) -> str:
    if code.endswith("0000000000"):
        return "province"
    if code.endswith("00000000"):
        return "city"
    return "county"


def admin_places() -> List[Place]:
    with importlib.resources.files("cpca").joinpath("resources/adcodes.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    places = []
    for row in rows:
        lat = float(row["latitude"]) if row.get("latitude") else None
        lng = float(row["longitude"]) if row.get("longitude") else None
        places.append(Place(row["name"], row["adcode"], _kind_of(row["adcode"]), lat, lng))
    return places


def extra_places() -> List[Place]:
    with EXTRA_PLACES.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return [Place(r["name"], "", r["kind"], parent=r["parent"]) for r in csv.DictReader(lines)]


def all_places() -> List[Place]:
    admin = admin_places()
    names = {p.name for p in admin}
    # Where the administrative table already knows a name (滨海新区), it wins over our list.
    return admin + [p for p in extra_places() if p.name not in names]


def aliases(place: Place) -> Iterator[str]:
    """The official name, and the short form people type (沙坪坝区 → 沙坪坝, 浙江省 → 浙江)."""
    yield place.name
    if place.kind not in ("province", "city", "county"):
        return
    for suffix in SUFFIXES:
        if place.name.endswith(suffix) and len(place.name) > len(suffix) + 1:
            short = place.name[: -len(suffix)]
            # 广西壮族自治区 → 广西; 恩施土家族苗族自治州 → 恩施
            if "族" in short:
                short = short[:2]
            # Provinces and cities keep their short form (重庆, 景德镇); a county's short form
            # must not be an ordinary word.
            if len(short) >= 2 and (place.kind != "county" or not is_ordinary_word(short)):
                yield short
            break


def alias_table() -> dict:
    """alias → list of places it may mean (朝阳区 → two places: Beijing and Changchun)."""
    table: dict = {}
    for place in all_places():
        for alias in aliases(place):
            table.setdefault(alias, [])
            if place not in table[alias]:
                table[alias].append(place)
    return table
