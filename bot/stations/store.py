"""Stations in the database: replaced in one transaction, read whole into memory."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.stations.parsing import parse
from bot.stations.station import Station
from bot.storage.tables import StationRow

DEMO_FILE = Path(__file__).parent / "data" / "demo_stations.csv"


def replace_all(engine: Engine, stations: List[Station]) -> None:
    """The new list, or (on any error) the old one: never half of each."""
    with Session(engine) as session, session.begin():
        session.execute(delete(StationRow))
        session.add_all(
            StationRow(
                id=s.id,
                name=s.name,
                kind=s.kind,
                address=s.address,
                district_code=s.district_code,
                latitude=s.latitude,
                longitude=s.longitude,
                phone=s.phone or None,
                hours=s.hours,
                services=";".join(s.services),
            )
            for s in stations
        )


def _station(r: StationRow) -> Station:
    return Station(
        r.id,
        r.name,
        r.kind,
        r.address,
        r.district_code or "",
        r.latitude,
        r.longitude,
        r.phone or "",
        r.hours or "",
        tuple(x for x in (r.services or "").split(";") if x),
    )


def load_all(engine: Engine) -> List[Station]:
    with Session(engine) as session:
        return [_station(r) for r in session.execute(select(StationRow).order_by(StationRow.id)).scalars()]


def find(engine: Engine, station_id: str) -> Optional[Station]:
    with Session(engine) as session:
        row = session.get(StationRow, station_id)
        return _station(row) if row else None


def ensure_some(engine: Engine) -> int:
    """A fresh installation gets the demo list, so `make run` has stations to show."""
    if load_all(engine):
        return 0

    stations = parse(DEMO_FILE)
    replace_all(engine, stations)
    return len(stations)
