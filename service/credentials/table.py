"""CSV catalogues to credential records; the columns are documented in docs/CREDENTIALS.md."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from .ingest import Draft, Ingest, at, blank, slug_id

COLUMNS = ("id", "name", "description", "provider", "type", "level", "hours", "cost", "url", "language",
           "skills", "skill_tags", "requires", "part_of")
REQUIRED = ("name", "provider")
LIST_SEPARATOR = "|"


def read_csv(path: Path, ingest: Ingest) -> None:
    """Every row of a CSV file (UTF-8, header row first) as a draft."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            try:
                header = list(reader.fieldnames or [])
                if header_ok(path, header, ingest):
                    for row in reader:
                        ingest.drafts.append(row_draft(path, reader.line_num, row, ingest))
            except csv.Error as exc:
                ingest.problem(at(path, reader.line_num), f"malformed CSV: {exc}")
    except (OSError, UnicodeDecodeError) as exc:
        ingest.problem(str(path), f"unreadable ({exc.__class__.__name__}: {exc})")


def header_ok(path: Path, header: list[str], ingest: Ingest) -> bool:
    """The header names only known columns and all required ones."""
    unknown = [c for c in header if c not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    if unknown:
        ingest.problem(at(path, 1), f"unknown column(s) {', '.join(unknown)}; known: {', '.join(COLUMNS)}")
    if missing:
        ingest.problem(at(path, 1), f"missing column(s) {', '.join(missing)}")
    return not (unknown or missing)


def number(value: str, where: str, column: str, ingest: Ingest) -> float | None:
    """A finite number from a cell, None when empty, a problem when not a number."""
    if not value:
        return None
    try:
        parsed = float(value)
    except ValueError:
        parsed = math.nan
    if not math.isfinite(parsed):
        ingest.problem(where, f"{column}: {value[:40]!r} is not a number")
        return None
    return parsed


def cells(text: str) -> list[str]:
    """A list cell: items separated by '|', blanks dropped."""
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def row_draft(path: Path, line: int, row: dict[str | None, str | list[str] | None], ingest: Ingest) -> Draft:
    """One CSV row as a draft record."""
    where = at(path, line)
    if None in row:
        ingest.problem(where, "more fields than the header has columns")
    get = {k: v.strip() for k, v in row.items() if isinstance(k, str) and isinstance(v, str)}.get
    name, provider = get("name", ""), get("provider", "")
    record = {**blank("CSV"), "id": get("id") or slug_id("csv", name or "x", f"{name}|{provider}"), "name": name,
              "provider": provider, "description": get("description", ""), "type": get("type") or "course",
              "level": get("level") or "mixed", "language": get("language") or "en"}
    found = {"hours": ingest.hours(number(get("hours", ""), where, "hours", ingest), where, "hours value"),
             "cost": number(get("cost", ""), where, "cost", ingest), "url": get("url") or None}
    record.update({k: v for k, v in found.items() if v is not None})
    draft = Draft(where, record)
    for uri in cells(get("skills", "")):
        ingest.competency(draft, uri, None, where)
    for tag in cells(get("skill_tags", "")):
        draft.tag(tag)
    for relation in ("requires", "part_of"):
        draft.links += [(relation, ref, where) for ref in cells(get(relation, ""))]
    return draft
