"""Catalogue ingestion (`badgepath import`): Open Badges classes, CTDL JSON-LD or CSV become credential records.

Every file is read, links are resolved across them, and each record is checked against the credential schema;
any problem (reported as file:line or file:/json/pointer) means nothing is written. Output is written to a
temporary file beside the target and renamed over it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalog import CatalogError, Validator, catalog_file, find_cycles, load_schema, read_lines
from ..config import readable
from .errors import escape

Record = dict[str, Any]
ESCO_SKILL = ("http://data.europa.eu/esco/skill/", "https://data.europa.eu/esco/skill/")
LINKS = ("requires", "part_of", "required_by", "has_part")
SLUG = re.compile(r"[^a-z0-9]+")


def slug_id(prefix: str, name: str, key: str) -> str:
    """A catalogue id: prefix, the name as a slug, and 8 hex of a stable key (unique, reproducible)."""
    slug = SLUG.sub("-", name.casefold()).strip("-")[:60].strip("-") or "x"
    return f"{prefix}-{slug}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def esco_uri(value: Any) -> str | None:
    """An ESCO skill URI (http or https) normalised to the taxonomy's http form."""
    if isinstance(value, str) and value.startswith(ESCO_SKILL):
        return ESCO_SKILL[0] + value.split("/skill/", 1)[1].rstrip("/")
    return None


def at(path: Path, pointer: str | int) -> str:
    """Where a fault is: file:/json/pointer, or file:line for line-based files."""
    return f"{path}:{pointer}" if pointer != "" else str(path)


def child(pointer: str, *parts: str | int) -> str:
    """A JSON pointer extended by reference tokens."""
    return pointer + "".join(escape(p) for p in parts)


def blank(source: str) -> Record:
    """A credential record with the schema's defaults; readers fill in the rest."""
    return {"description": "", "level": "mixed", "language": "en", "skill_tags": [], "skills": [], "requires": [],
            "part_of": [], "source": source}


@dataclass
class Draft:
    """A record being built: where it came from, the ids it answers to, and links still to resolve."""

    where: str
    record: Record
    aliases: set[str] = field(default_factory=set)
    links: list[tuple[str, str, str]] = field(default_factory=list)

    def tag(self, name: str) -> None:
        """Add a free-text skill tag once."""
        if name not in self.record["skill_tags"]:
            self.record["skill_tags"].append(name)


@dataclass
class Ingest:
    """One import run: the catalogue it joins (taxonomy and credential ids), drafts, problems and warnings."""

    default_hours: float | None = None
    skills: set[str] | None = None
    credentials: set[str] = field(default_factory=set)
    drafts: list[Draft] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def problem(self, where: str, message: str) -> None:
        """Record a fault that stops the import."""
        self.problems.append(f"{where}: {message}")

    def warn(self, where: str, message: str) -> None:
        """Record something dropped or assumed; the import goes on."""
        self.warnings.append(f"{where}: {message}")

    def hours(self, found: float | None, where: str, what: str) -> float | None:
        """The record's hours, else the --hours default, else a problem."""
        if found is not None:
            return found
        if self.default_hours is None:
            self.problem(where, f"no {what}: the hours are required (pass --hours to set a default)")
        return self.default_hours

    def competency(self, draft: Draft, uri: Any, name: str | None, where: str) -> None:
        """An ESCO skill in the taxonomy becomes a declared skill; anything else is kept as a tag by name."""
        esco = esco_uri(uri)
        if esco and (self.skills is None or esco in self.skills):
            if all(s["id"] != esco for s in draft.record["skills"]):
                entry = {"id": esco, "confidence": 1.0, "source": "declared"}
                draft.record["skills"].append({**entry, "matched_text": name} if name else entry)
            return
        if esco:
            self.warn(where, f"skill {esco} is not in the taxonomy; {'kept as a tag' if name else 'dropped'}")
        if name:
            draft.tag(name)
        elif not esco:
            self.warn(where, "competency has neither an ESCO skill URI nor a name; dropped")


def link_index(drafts: list[Draft]) -> dict[str, Draft]:
    """Every alias (and id) of every draft, for resolving links."""
    index: dict[str, Draft] = {}
    for draft in drafts:
        for alias in {*draft.aliases, draft.record.get("id", "")} - {""}:
            index.setdefault(alias, draft)
    return index


def lookup(ref: str, index: dict[str, Draft], known: set[str]) -> Draft | str | None:
    """The imported draft (by alias or the URI's last segment, e.g. a CTID) or catalogue id a link names."""
    tail = ref.rstrip("/").rsplit("/", 1)[-1]
    found = index.get(ref) or index.get(tail)
    return found if found is not None else (ref if ref in known else None)


def add_link(record: Record, relation: str, target: str) -> None:
    """Add a requires/part_of link once, keeping the list sorted."""
    record[relation] = sorted({*record[relation], target})


def resolve_links(ingest: Ingest) -> None:
    """Turn every link into ids; inverse links (required_by, has_part) are written on the other record."""
    index = link_index(ingest.drafts)
    for draft in ingest.drafts:
        for relation, ref, where in draft.links:
            target = lookup(ref, index, ingest.credentials)
            if target is None:
                ingest.warn(where, f"{relation} names {ref[:200]}, which is neither imported here nor in the "
                                   "catalogue; link dropped")
            elif relation in ("requires", "part_of"):
                add_link(draft.record, relation, target if isinstance(target, str) else target.record["id"])
            elif isinstance(target, str):
                ingest.warn(where, f"{relation} names catalogue credential {target}, which an import does not "
                                   "change; link dropped")
            else:
                add_link(target.record, "requires" if relation == "required_by" else "part_of", draft.record["id"])


def schema_check(validator: Validator, draft: Draft, ingest: Ingest) -> None:
    """Report where a record breaks the credential schema, unless its source already showed a fault."""
    if any(p.startswith((draft.where + ":", draft.where + "/")) for p in ingest.problems):
        return
    for where, message in validator.errors(draft.record):
        ingest.problem(draft.where, f"schema: {where}: {message}")


def check(ingest: Ingest) -> None:
    """Schema-check every record; report duplicate ids and prerequisite cycles."""
    validator, first = load_schema("credentials"), dict[str, str]()
    for draft in ingest.drafts:
        schema_check(validator, draft, ingest)
        rid = str(draft.record["id"])
        if rid in first or rid in ingest.credentials:
            seen = f"first at {first[rid]}" if rid in first else "already in the catalogue"
            ingest.problem(draft.where, f"duplicate id {rid!r} ({seen})")
        first.setdefault(rid, draft.where)
    requires = {str(d.record["id"]): list(d.record["requires"]) for d in ingest.drafts}
    for cycle in find_cycles(requires):
        ingest.problem(first[cycle[0]], f"requires cycle: {' -> '.join(cycle)}")


def write_jsonl(out: Path, records: list[Record]) -> None:
    """Write records sorted by id as JSON Lines (gzip when out ends .gz), atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as raw:
            lines = "".join(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n"
                            for r in sorted(records, key=lambda r: r["id"])).encode()
            raw.write(gzip.compress(lines, mtime=0) if out.suffix == ".gz" else lines)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(readable(Path(temp)), out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def catalogue_ids(directory: Path, kind: str) -> set[str] | None:
    """Ids of one kind of record in a catalogue folder, or None when it has no such file."""
    path = catalog_file(directory, kind)
    if not path.is_file():
        return None
    return {json.loads(line)["id"] for _, line in read_lines(path)}


def load_json(path: Path, ingest: Ingest) -> Any:
    """A JSON file's value, or None with a problem at the line and column of the fault."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        ingest.problem(f"{path}:{exc.lineno}:{exc.colno}", f"malformed JSON: {exc.msg}")
    except (OSError, UnicodeDecodeError) as exc:
        ingest.problem(str(path), f"unreadable ({exc.__class__.__name__}: {exc})")
    return None


def import_catalog(fmt: str, paths: list[Path], out: Path, ingest: Ingest) -> int:
    """Read every file in one format, resolve, check and write; CatalogError (nothing written) on any problem."""
    reader = readers()[fmt]
    for path in paths:
        reader(path, ingest)
    resolve_links(ingest)
    check(ingest)
    if ingest.problems:
        raise CatalogError(ingest.problems)
    write_jsonl(out, [d.record for d in ingest.drafts])
    return len(ingest.drafts)


def readers() -> dict[str, Callable[[Path, Ingest], None]]:
    """The reader of each import format."""
    from .badgeclasses import read_badge_classes
    from .ctdl import read_ctdl
    from .table import read_csv

    return {"openbadges": read_badge_classes, "ctdl": read_ctdl, "csv": read_csv}
