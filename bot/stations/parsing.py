"""Read a station list (CSV or GeoJSON) into checked Station records; every bad row is reported.

`python -m bot.stations.importer FILE` loads one into the database (bot/stations/importer.py).
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any, Dict, Iterable, List, Tuple

from bot.stations.station import KINDS, Station
from bot.text.chinese_numbers import normalise_phone

# Mainland China with its islands, generously: a point outside is a typo (lat/lng swapped…).
CHINA_LAT = (3.5, 54.0)
CHINA_LNG = (73.0, 136.0)
REQUIRED = ("id", "name", "kind", "address", "latitude", "longitude")


class ImportFailed(Exception):
    def __init__(self, errors: List[Tuple[int, str]]) -> None:
        super().__init__(f"{len(errors)} bad rows")
        self.errors = errors


def check_position(latitude: Any, longitude: Any) -> Tuple[float, float]:
    """(lat, lng) as floats inside China, or ValueError with a Chinese message."""
    try:
        lat, lng = float(latitude), float(longitude)
    except (TypeError, ValueError):
        raise ValueError("经纬度不是数字") from None
    if math.isnan(lat) or math.isnan(lng) or math.isinf(lat) or math.isinf(lng):
        raise ValueError("经纬度不是有效数字")
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValueError("经纬度超出范围")
    if not (CHINA_LAT[0] <= lat <= CHINA_LAT[1] and CHINA_LNG[0] <= lng <= CHINA_LNG[1]):
        raise ValueError("这个位置不在中国境内")
    return lat, lng


def _station(row: Dict[str, Any]) -> Station:
    missing = [f for f in REQUIRED if not str(row.get(f) or "").strip()]
    if missing:
        raise ValueError("缺少字段：" + "、".join(missing))
    kind = str(row["kind"]).strip()
    if kind not in KINDS:
        raise ValueError(f"类型“{kind}”不认识，应为：{'、'.join(KINDS)}")
    lat, lng = check_position(row["latitude"], row["longitude"])
    phone_text = str(row.get("phone") or "").strip()
    phone = normalise_phone(phone_text) if phone_text else ""
    if phone_text and not phone:
        raise ValueError(f"电话“{phone_text}”不对")
    code = str(row.get("district_code") or "").strip()
    if code and not (code.isdigit() and len(code) in (6, 12)):
        raise ValueError(f"行政区划代码“{code}”应为6位或12位数字")
    services = row.get("services") or ()
    if isinstance(services, str):
        services = [s.strip() for s in services.replace("；", ";").split(";") if s.strip()]
    return Station(
        str(row["id"]).strip(),
        str(row["name"]).strip(),
        kind,
        str(row["address"]).strip(),
        code,
        lat,
        lng,
        phone or "",
        str(row.get("hours") or "").strip(),
        tuple(services),
    )


def _rows_from_csv(text: str) -> Iterable[Tuple[int, Dict[str, object]]]:
    lines = text.splitlines()
    body = [(n, line) for n, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
    if not body:
        return
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in body)))
    for (number, _), row in zip(body[1:], reader):
        yield number, row


def _rows_from_geojson(text: str) -> Iterable[Tuple[int, Dict[str, object]]]:
    data = json.loads(text)
    for number, feature in enumerate(data.get("features") or [], start=1):
        props = dict(feature.get("properties") or {})
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates") if geometry.get("type") == "Point" else None
        if isinstance(coords, list) and len(coords) >= 2:
            props["longitude"], props["latitude"] = coords[0], coords[1]
        yield number, props


def parse(path: Path) -> List[Station]:
    """Every station in the file, or ImportFailed listing each bad row."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        rows = list(_rows_from_geojson(text) if path.suffix.lower() in (".geojson", ".json") else _rows_from_csv(text))
    except (json.JSONDecodeError, csv.Error, AttributeError) as exc:
        raise ImportFailed([(0, f"文件格式不对：{exc}")]) from exc
    stations, errors, seen = [], [], set()
    for number, row in rows:
        try:
            station = _station(row)
            if station.id in seen:
                raise ValueError(f"编号“{station.id}”重复")
            seen.add(station.id)
            stations.append(station)
        except ValueError as problem:
            errors.append((number, str(problem)))
    if errors:
        raise ImportFailed(errors)
    if not stations:
        raise ImportFailed([(0, "文件里没有服务站")])
    return stations
