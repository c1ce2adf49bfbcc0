"""Coarse locations: integer hundredths of a degree (about 1 km), and distances between them."""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Place:
    """A village and its coarse location in centidegrees."""

    village: str
    lat_cdeg: int
    lon_cdeg: int

    def to_wire(self) -> dict[str, object]:
        """The form used inside entry bodies."""
        return {"village": self.village, "lat_cdeg": self.lat_cdeg, "lon_cdeg": self.lon_cdeg}

    @classmethod
    def from_wire(cls, raw: dict[str, object]) -> Place:
        """Read the entry form (already validated)."""
        return cls(str(raw["village"]), int(raw["lat_cdeg"]), int(raw["lon_cdeg"]))  # type: ignore[call-overload]


def parse_location(text: str) -> tuple[int, int]:
    """Parse ``LAT,LON`` in decimal degrees and round to centidegrees; raises ValueError."""
    parts = text.split(",")
    if len(parts) != 2:
        raise ValueError("location must be LAT,LON, for example 53.32,6.44")
    lat, lon = (float(p.strip()) for p in parts)
    if not (math.isfinite(lat) and math.isfinite(lon)) or not -90 <= lat <= 90 or not -180 <= lon <= 180:
        raise ValueError("latitude must be within ±90 and longitude within ±180")
    return round(lat * 100), round(lon * 100)


def distance_km(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Great-circle distance in km between two centidegree points (haversine)."""
    lat1, lon1 = math.radians(a[0] / 100), math.radians(a[1] / 100)
    lat2, lon2 = math.radians(b[0] / 100), math.radians(b[1] / 100)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
