"""Where the worker is, offline: a shared position, or a place named in text.

Text is matched against the gazetteer (bot/places); a name that several places share (朝阳区
is in 北京 and 长春) is resolved by the other places the text names (北京朝阳区), else the
worker is asked. Streets, zones and landmarks stand at their parent area's centroid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from bot.places.gazetteer import Place, alias_table
from bot.stations.parsing import check_position
from bot.text.cleaning import normalise_script

FOUND, AMBIGUOUS, UNKNOWN = "found", "ambiguous", "unknown"
_KIND_RANK = {"province": 0, "city": 1, "zone": 2, "county": 3, "street": 4, "landmark": 4}


@dataclass
class Where:
    status: str
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    name: str = ""
    code: str = ""
    choices: List[str] = field(default_factory=list)  # for the clarifying question
    corrected: bool = False  # read through a one-character typo (沙平坝 → 沙坪坝)


@lru_cache(maxsize=1)
def _table() -> Tuple[Dict[str, List[Place]], int]:
    table = alias_table()
    return table, max(len(alias) for alias in table)


def _placed(place: Place) -> Optional[Place]:
    """An extra place (street, zone, landmark) stands where its parent area is."""
    if place.latitude is not None:
        return place
    parent = _by_code().get(place.parent)
    if parent is not None and parent.latitude is not None:
        return Place(place.name, parent.code, place.kind, parent.latitude, parent.longitude, place.parent)
    return None


_SUFFIXES = "区县市旗"
TYPO_LONGEST = 8  # a typo is looked for in names up to this long


@lru_cache(maxsize=1)
def _near_misses() -> Dict[Tuple[int, str, str], List[str]]:
    """Names of three characters or more, by (length, first, last): where a typo is looked for."""
    table, _ = _table()
    index: Dict[Tuple[int, str, str], List[str]] = {}
    for alias in table:
        if len(alias) >= 3:
            index.setdefault((len(alias), alias[0], alias[-1]), []).append(alias)
    return index


def _typo_of(window: str, inner_name: bool) -> Optional[str]:
    """The one name `window` misspells by one inner character (沙平坝区 → 沙坪坝区), if only one.

    Taken only where a typo is likely to be one: a district's full name (ending in 区/县/市/旗),
    or where the typo happens to spell a shorter real name inside (沙平坝 hides 平坝, in 贵州).
    """
    if not (len(window) >= 4 and window[-1] in _SUFFIXES or inner_name):
        return None
    close = [
        alias
        for alias in _near_misses().get((len(window), window[0], window[-1]), ())
        if sum(a != b for a, b in zip(alias, window)) == 1
    ]
    return close[0] if len(close) == 1 else None


def _mentions(text: str) -> List[Tuple[int, str, bool]]:
    """Longest place names in the text, left to right, not overlapping: (where, name, read through a typo)."""
    table, longest = _table()
    spans = {(i, i + size) for i in range(len(text)) for size in range(2, longest + 1) if text[i : i + size] in table}
    longest_at: Dict[int, int] = {}
    for start, end in spans:
        longest_at[start] = max(longest_at.get(start, 0), end - start)
    found: List[Tuple[int, str, bool]] = []
    i = 0
    while i < len(text):
        exact = longest_at.get(i, 0)
        typo = None
        for size in range(min(TYPO_LONGEST, len(text) - i), max(exact, 2), -1):
            inner = any((j, i + size) in spans for j in range(i + 1, i + size - 1))
            typo = _typo_of(text[i : i + size], inner)
            if typo:
                break
        if typo:
            found.append((i, typo, True))
            i += len(typo)
        elif exact:
            found.append((i, text[i : i + exact], False))
            i += exact
        else:
            i += 1
    return found


@lru_cache(maxsize=1)
def _by_code() -> Dict[str, Place]:
    return {p.code: p for places in _table()[0].values() for p in places if p.code}


def _full_name(place: Place) -> str:
    """长春市朝阳区 / 北京市朝阳区: the name with the city (or province) that tells it apart."""
    codes = _by_code()
    for code in (place.code[:4] + "0" * 8, place.code[:2] + "0" * 10):
        parent = codes.get(code)
        # Municipalities list a placeholder city level (市辖区): name the province instead.
        if parent and parent.code != place.code and "辖" not in parent.name and parent.name != "县":
            return parent.name + place.name
    return place.name


def locate_text(text: str) -> Where:
    text = normalise_script(text or "")
    mentions = _mentions(text)
    if not mentions:
        return Where(UNKNOWN)
    table, _ = _table()
    candidates = [[c for c in (_placed(p) for p in table[alias]) if c is not None] for _, alias, _ in mentions]

    # The most specific mention says where; the others (重庆, 北京) pick among its places. A short
    # form counts as its least specific reading (南昌 is the city before it is 南昌县), and on a
    # tie the later mention wins (长沙岳麓区: 岳麓区).
    def specificity(m: int) -> Tuple[int, int]:
        alias = mentions[m][1]
        exact = [_KIND_RANK[p.kind] for p in candidates[m] if p.name == alias]
        ranks = exact or [_KIND_RANK[p.kind] for p in candidates[m]] or [-1]
        return (max(ranks) if exact else min(ranks), m)

    order = sorted(range(len(mentions)), key=specificity, reverse=True)
    target = candidates[order[0]]
    context = {p.code for m in order[1:] for p in candidates[m] if p.code}
    if len(target) > 1 and context:
        narrowed = [
            p
            for p in target
            if any(
                p.code.startswith(c.rstrip("0")[:4] or c[:2]) or p.code[:2] == c[:2] and c.endswith("0000000000")
                for c in context
            )
        ]
        target = narrowed or target
    if not target:
        return Where(UNKNOWN)
    if len({(p.latitude, p.longitude) for p in target}) > 1:
        return Where(AMBIGUOUS, name=mentions[order[0]][1], choices=[_full_name(p) for p in target][:5])
    place, (_, name, corrected) = target[0], mentions[order[0]]
    return Where(FOUND, place.latitude, place.longitude, name, place.code, corrected=corrected)


_AROUND = re.compile(r"^(?:我|俺)?(?:在|住在|人在)?(.+?)(?:这边|那边|这里|那里|附近|一带)?$")
_NOT_TEXT = re.compile(r"[\s，。,.!！?？、~～]+")


def only_a_place(text: str) -> bool:
    """The message names a place and says nothing else ("龙洲湾", "我在巴南"): an answer to "where?"."""
    bare = _AROUND.match(_NOT_TEXT.sub("", normalise_script(text or "")))
    rest = bare.group(1) if bare else ""
    mentions = _mentions(rest)
    return bool(rest) and sum(len(name) for _, name, _ in mentions) == len(rest)


def locate_position(position: object) -> Tuple[Optional[Where], Optional[str]]:
    """(Where, None) for a usable shared position, (None, why not) otherwise."""
    if not isinstance(position, dict):
        return None, "位置信息格式不对，请重新发送位置，或者告诉我在哪个区县。"
    try:
        lat, lng = check_position(position.get("latitude"), position.get("longitude"))
    except ValueError as problem:
        return None, f"收到的位置有问题（{problem}），请重新发送位置，或者告诉我在哪个区县。"
    return Where(FOUND, lat, lng, "您发送的位置"), None
