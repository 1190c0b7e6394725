"""Small readers for JSON-LD-shaped values: one-or-many lists, language maps, ids, dates."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .errors import FormatError

LANGUAGES = ("en", "en-US", "en-GB")


def as_list(value: Any) -> list[Any]:
    """A JSON-LD value that may be one item or a list, as a list (None is empty)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text(value: Any) -> str | None:
    """A plain string, a language map ({"en-US": ...}) or a JSON-LD @value, as one string (English first)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        return next((t for t in (text(v) for v in value) if t), None)
    if isinstance(value, dict):
        if "@value" in value:
            return text(value["@value"])
        for lang in (*LANGUAGES, *sorted(value)):
            if lang in value and text(value[lang]):
                return text(value[lang])
    return None


def ident(value: Any) -> str | None:
    """The id of a reference given as an IRI string or an object with id/@id."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        found = value.get("id", value.get("@id"))
        return found if isinstance(found, str) else None
    return None


def instant(value: Any, pointer: str) -> datetime | None:
    """An ISO 8601 date-time, a date, or a Unix timestamp, as an aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise FormatError(f"timestamp {value} is out of range", pointer) from exc
    if not isinstance(value, str):
        raise FormatError("a date must be an ISO 8601 string", pointer)
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise FormatError(f"{value[:40]!r} is not an ISO 8601 date-time", pointer) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def iso(moment: datetime | None) -> str | None:
    """A datetime as ISO 8601 UTC with a Z, or None."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None
