"""The k nearest stations by great-circle distance (a BallTree per kind of station)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence

import numpy as np
from sklearn.neighbors import BallTree

from bot.stations.station import Station

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Nearby:
    station: Station
    km: float


class StationIndex:
    def __init__(self, stations: Sequence[Station]) -> None:
        self.stations = list(stations)
        self.by_id: Dict[str, Station] = {s.id: s for s in self.stations}
        self._trees: Dict[Optional[str], tuple] = {}
        groups: Dict[Optional[str], List[int]] = {None: list(range(len(self.stations)))}
        for i, station in enumerate(self.stations):
            # A station is found by its kind and by each service it lists (巴南's union, a
            # 工会服务站, also offers 就业帮扶).
            for tag in dict.fromkeys((station.kind, *station.services)):
                groups.setdefault(tag, []).append(i)
        for kind, members in groups.items():
            if members:
                points = np.radians([[self.stations[i].latitude, self.stations[i].longitude] for i in members])
                # Small leaves: a query touches fewer points (bench/stations.py: 0.066 ms at 10,
                # 0.072 ms at the default 40, 100,000 stations).
                self._trees[kind] = (BallTree(points, metric="haversine", leaf_size=10), np.array(members))

    def nearest(
        self, latitude: float, longitude: float, k: int = 3, kinds: Optional[Iterable[str]] = None
    ) -> List[Nearby]:
        point = np.array([[math.radians(latitude), math.radians(longitude)]])
        found: List[Nearby] = []
        for kind in list(kinds) if kinds else [None]:
            if kind not in self._trees:
                continue
            tree, members = self._trees[kind]
            distances, indexes = tree.query(point, k=min(k, len(members)))
            found += [
                Nearby(self.stations[members[i]], float(d) * EARTH_RADIUS_KM) for d, i in zip(distances[0], indexes[0])
            ]
        found.sort(key=lambda n: (n.km, n.station.id))
        return found[:k]
