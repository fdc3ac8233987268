"""Small typed validators for decoded JSON that collect problems with their place."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence

_LABELS = {
    "findings": "finding",
    "symptoms": "symptom",
    "conditions": "condition",
    "event": "event",
    "sex": "sex",
    "course": "course",
    "scale": "scale",
}


def json_type(value: object) -> str:
    """Name the JSON type of a decoded value, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value!r}"
    return "an array" if isinstance(value, list) else "an object"


class Checker:
    """Collects problems as ``"place: message"`` lines while reading decoded JSON."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, place: str, message: str) -> None:
        """Record one problem at ``place``."""
        self.problems.append(f"{place}: {message}")

    def mapping(self, obj: object, place: str, keys: Sequence[str]) -> Mapping[str, object] | None:
        """Return ``obj`` if it is an object with only known keys; else record problems."""
        if not isinstance(obj, dict):
            self.add(place, f"expected an object, got {json_type(obj)}")
            return None
        for key in obj:
            if key not in keys:
                self.add(f"{place}.{key}", f"unknown field; valid: {', '.join(keys)}")
        return obj

    def sub_mapping(
        self, data: Mapping[str, object], key: str, place: str, keys: Sequence[str]
    ) -> Mapping[str, object] | None:
        """Return the nested object at ``key``, or None when it is absent or null."""
        value = data.get(key)
        return None if value is None else self.mapping(value, f"{place}.{key}", keys)

    def _present(self, data: Mapping[str, object], key: str, place: str, required: bool) -> bool:
        if data.get(key) is not None:
            return True
        if required:
            self.add(f"{place}.{key}", "is required")
        return False

    def integer(
        self, data: Mapping[str, object], key: str, place: str, *, required: bool = False
    ) -> int | None:
        """Return a non-negative integer field (booleans refused)."""
        if not self._present(data, key, place, required):
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(f"{place}.{key}", f"expected an integer ≥ 0, got {json_type(value)}")
            return None
        return value if self._non_negative(value, f"{place}.{key}") else None

    def number(
        self, data: Mapping[str, object], key: str, place: str, *, required: bool = False
    ) -> float | None:
        """Return a finite, non-negative number field (booleans refused)."""
        if not self._present(data, key, place, required):
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(f"{place}.{key}", f"expected a number ≥ 0, got {json_type(value)}")
            return None
        if not math.isfinite(value):
            self.add(f"{place}.{key}", "expected a finite number")
            return None
        return float(value) if self._non_negative(value, f"{place}.{key}") else None

    def _non_negative(self, value: float, place: str) -> bool:
        if value < 0:
            self.add(place, f"must be ≥ 0, got {value!r}")
            return False
        return True

    def boolean(self, data: Mapping[str, object], key: str, place: str) -> bool:
        """Return a boolean flag; absent or null means False."""
        value = data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.add(f"{place}.{key}", f"expected true or false, got {json_type(value)}")
            return False
        return value

    def string(
        self, data: Mapping[str, object], key: str, place: str, *, required: bool = False
    ) -> str | None:
        """Return a non-empty string field."""
        if not self._present(data, key, place, required):
            return None
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            self.add(f"{place}.{key}", f"expected a non-empty string, got {json_type(value)}")
            return None
        return value

    def choice(
        self,
        data: Mapping[str, object],
        key: str,
        place: str,
        options: Sequence[str],
        *,
        required: bool = False,
    ) -> str | None:
        """Return a string field that must be one of ``options``."""
        value = self.string(data, key, place, required=required)
        if value is None or value in options:
            return value
        label = _LABELS.get(key, key)
        self.add(f"{place}.{key}", f"{value!r} is not a valid {label}; valid: {', '.join(options)}")
        return None

    def items(
        self, data: Mapping[str, object], key: str, place: str
    ) -> Iterator[tuple[str, object]]:
        """Yield ``(place, item)`` for each element of an array field."""
        value = data.get(key)
        if value is None:
            return
        if not isinstance(value, list):
            self.add(f"{place}.{key}", f"expected an array, got {json_type(value)}")
            return
        for index, item in enumerate(value):
            yield f"{place}.{key}[{index}]", item

    def strings(self, data: Mapping[str, object], key: str, place: str) -> list[str]:
        """Return an array field of non-empty strings."""
        found = []
        for here, item in self.items(data, key, place):
            if isinstance(item, str) and item.strip():
                found.append(item)
            else:
                self.add(here, f"expected a non-empty string, got {json_type(item)}")
        return found

    def codes(
        self, data: Mapping[str, object], key: str, place: str, options: Sequence[str]
    ) -> list[str]:
        """Return an array field of codes, each one of ``options``."""
        found = []
        label = _LABELS.get(key, key)
        for here, item in self.items(data, key, place):
            if isinstance(item, str) and item in options:
                found.append(item)
            elif isinstance(item, str):
                self.add(here, f"{item!r} is not a known {label}; valid: {', '.join(options)}")
            else:
                self.add(here, f"expected a {label} code, got {json_type(item)}")
        return found
