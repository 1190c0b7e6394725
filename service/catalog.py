"""Catalogue files: read JSON Lines, validate against the schemas and across files."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator

from .config import ROOT

KINDS = ("skills", "roles", "credentials")
OPTIONAL = ("tools",)  # named software tools (O*NET); a catalogue without them matches ESCO names only
SCHEMA_FILES = {"skills": "skill", "roles": "role", "credentials": "credential", "tools": "tool"}
SCHEMA_DIR = ROOT / "catalog" / "schema"

Record = dict[str, Any]


@dataclass
class Catalog:
    """The three record lists of a catalogue and the files they came from."""

    skills: list[Record]
    roles: list[Record]
    credentials: list[Record]
    files: dict[str, Path] = field(default_factory=dict)
    tools: list[Record] = field(default_factory=list)


class CatalogError(Exception):
    """A catalogue failed validation; `problems` lists every fault as file:line: message."""

    SHOWN = 50

    def __init__(self, problems: list[str]):
        shown = problems[: self.SHOWN]
        more = [f"... and {len(problems) - self.SHOWN} more"] if len(problems) > self.SHOWN else []
        super().__init__(f"{len(problems)} catalogue problem(s):\n" + "\n".join(shown + more))
        self.problems = problems


# A job family's bare noun names no one occupation, yet ESCO gives a few of them to one each as an alt title:
# "supervisor" to *oil refinery control room operator*, "teacher" to *politics lecturer*, "technician" to *consumer
# electronics repair technician*, "assistant" to *secretary*, "inspector" to *private detective*. A qualified title
# then went there by its noun ("Site Supervisor" -> oil refinery control room operator, "EFL teacher" -> politics
# lecturer at 0.62). Such alt titles are not indexed (build.role_rows), nor read as a posting's title
# (engine.text.head_words).
GENERIC_TITLES = frozenset({
    "supervisor", "manager", "operator", "technician", "teacher", "assistant", "engineer", "worker", "officer",
    "consultant", "analyst", "specialist", "inspector", "director", "coordinator", "administrator", "clerk", "agent",
    "instructor", "advisor", "adviser", "designer", "developer", "controller", "planner", "foreman", "labourer",
    "helper", "associate", "executive", "lead", "head", "chief"})


def role_names(role: Record) -> list[str]:
    """A role's title, its ESCO alt titles (not those withdrawn as traps), the US job titles reported for it, the titles
    other job boards post it under and the titles ESCO gives another occupation that boards use for it
    (catalog/README.md), in that order."""
    withdrawn = set(role.get("withdrawn_titles", []))
    return [role["title"], *(t for t in role.get("alt_titles", []) if t not in withdrawn),
            *role.get("reported_titles", []), *role.get("posted_titles", []), *role.get("corrected_titles", [])]


def catalog_file(directory: Path, kind: str) -> Path:
    """The file holding one kind of record: <kind>.jsonl.gz or <kind>.jsonl."""
    for name in (f"{kind}.jsonl.gz", f"{kind}.jsonl"):
        if (directory / name).is_file():
            return directory / name
    return directory / f"{kind}.jsonl.gz"


def catalog_files(directory: Path) -> dict[str, Path]:
    """The catalogue's files by kind: the three required ones (present or not) and the optional ones present."""
    files = {kind: catalog_file(directory, kind) for kind in KINDS}
    files.update({kind: path for kind in OPTIONAL if (path := catalog_file(directory, kind)).is_file()})
    return files


def read_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) of a plain or gzip JSON Lines file, skipping blank lines."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line


class Validator:
    """A kind's JSON Schema check: jsonschema-rs decides a record is valid (about 50x faster: validating the catalogue
    took 3.6 s of an 18 s warm rebuild); jsonschema (the reference) words the faults of a record it rejects. A record
    only jsonschema-rs rejects (a pattern's "$" that Python lets match before a final newline, a NaN for a number) is
    reported with jsonschema-rs's words; one it cannot read (a lone surrogate) goes to the reference alone.
    tests/test_catalog.py holds the two to the same verdict on mutated records."""

    def __init__(self, schema: Record):
        self.reference = Draft202012Validator(schema)
        self.fast = jsonschema_rs.validator_for(schema)

    def errors(self, record: Any) -> list[tuple[str, str]]:
        """(where, message) of each fault of a record, ordered by where they are (none when it is valid)."""
        try:
            if self.fast.is_valid(record):
                return []
            fast = [(list(e.instance_path), e.message) for e in self.fast.iter_errors(record)]
        except ValueError:  # UnicodeEncodeError: text jsonschema-rs cannot encode; the reference decides
            fast = []
        found = [(list(e.absolute_path), e.message) for e in self.reference.iter_errors(record)] or fast
        return [("/".join(map(str, where)) or "(record)", message)
                for where, message in sorted(found, key=lambda f: f[0])]


def load_schema(kind: str) -> Validator:
    """The JSON Schema validator for one kind of record."""
    return Validator(json.loads((SCHEMA_DIR / f"{SCHEMA_FILES[kind]}.schema.json").read_text()))


def parse_file(
    path: Path, kind: str, problems: list[str], ids: set[str], check_schema: bool = True
) -> list[tuple[int, Record]]:
    """Parse and schema-check one file, appending faults to problems and every id read to ids."""
    if not path.is_file():
        problems.append(f"{path}: file missing")
        return []
    validator = load_schema(kind) if check_schema else None
    records: list[tuple[int, Record]] = []
    try:
        for number, line in read_lines(path):
            record = parse_line(path, number, line, validator, problems, ids)
            if record is not None:
                records.append((number, record))
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        problems.append(f"{path}: unreadable ({exc.__class__.__name__}: {exc})")
    return records


def parse_line(
    path: Path, number: int, line: str, validator: Validator | None, problems: list[str], ids: set[str]
) -> Record | None:
    """Decode one JSON line, note its id and check it against the schema."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        problems.append(f"{path}:{number}: malformed JSON: {exc.msg} (column {exc.colno})")
        return None
    if isinstance(record, dict) and isinstance(record.get("id"), str):
        ids.add(record["id"])  # a record with schema faults still exists: links to it are not dangling
    if validator is None:
        return record if isinstance(record, dict) else None
    errors = validator.errors(record)
    for where, message in errors:
        problems.append(f"{path}:{number}: schema: {where}: {message}")
    return None if errors else record


def check_ids(path: Path, rows: list[tuple[int, Record]], problems: list[str]) -> None:
    """Report ids used by more than one record of a file."""
    first: dict[str, int] = {}
    for number, record in rows:
        rid = record["id"]
        if rid in first:
            problems.append(f"{path}:{number}: duplicate id {rid!r} (first at line {first[rid]})")
        else:
            first[rid] = number


def check_references(
    files: dict[str, Path], rows: dict[str, list[tuple[int, Record]]], ids: dict[str, set[str]], problems: list[str]
) -> None:
    """Report role and credential skills missing from the taxonomy and dangling credential links."""
    skill_ids, credential_ids = ids["skills"], ids["credentials"]
    for number, role in rows["roles"]:
        seen: set[str] = set()
        for item in role["skills"]:
            if item["id"] not in skill_ids:
                problems.append(f"{files['roles']}:{number}: role skill {item['id']!r} not in the taxonomy")
            if item["id"] in seen:
                problems.append(f"{files['roles']}:{number}: role lists skill {item['id']!r} more than once")
            seen.add(item["id"])
    for number, cred in rows["credentials"]:
        for item in cred.get("skills", []):
            if item["id"] not in skill_ids:
                problems.append(
                    f"{files['credentials']}:{number}: credential skill {item['id']!r} not in the taxonomy"
                )
        for link in ("requires", "part_of"):
            for target in cred.get(link, []):
                if target not in credential_ids:
                    problems.append(
                        f"{files['credentials']}:{number}: {link} names unknown credential {target!r}"
                    )


def find_cycles(requires: dict[str, list[str]]) -> list[list[str]]:
    """Return each prerequisite cycle once, as the list of ids that form it."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []
    for start in sorted(requires):
        if start in state:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(requires.get(start, []))))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                path = [n for n, _ in stack]
                cycles.append(path[path.index(child) :] + [child])
            elif child not in state and child in requires:
                state[child] = 1
                stack.append((child, iter(sorted(requires.get(child, [])))))
    return cycles


def check_cycles(path: Path, rows: list[tuple[int, Record]], problems: list[str]) -> None:
    """Report every cycle in the credentials' `requires` links."""
    lines = {r["id"]: n for n, r in rows}
    requires = {r["id"]: list(r.get("requires", [])) for _, r in rows}
    for cycle in find_cycles(requires):
        problems.append(f"{path}:{lines[cycle[0]]}: requires cycle: {' -> '.join(cycle)}")


def fingerprint(directory: Path) -> str:
    """sha256 over the schemas and the catalogue files: equal fingerprints mean an equal validation result."""
    digest = hashlib.sha256()
    for path in [*sorted(SCHEMA_DIR.glob("*.json")), *catalog_files(directory).values()]:
        digest.update(path.name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"missing") + b"\0")
    return digest.hexdigest()


def load_catalog(directory: Path, check_schema: bool = True) -> Catalog:
    """Read and validate a whole catalogue; raise CatalogError listing every problem.

    check_schema=False skips the per-record JSON Schema check (for bytes already validated); the
    cross-record checks (ids, references, cycles) always run.
    """
    problems: list[str] = []
    files = catalog_files(directory)
    ids: dict[str, set[str]] = {kind: set() for kind in files}
    rows = {kind: parse_file(path, kind, problems, ids[kind], check_schema) for kind, path in files.items()}
    for kind, path in files.items():
        check_ids(path, rows[kind], problems)
    if not any(": unreadable" in p or ": file missing" in p for p in problems):
        check_references(files, rows, ids, problems)
    check_cycles(files["credentials"], rows["credentials"], problems)
    if problems:
        raise CatalogError(problems)
    ordered = {k: sorted((r for _, r in rows[k]), key=lambda r: r["id"]) for k in files}
    return Catalog(ordered["skills"], ordered["roles"], ordered["credentials"], files=files,
                   tools=ordered.get("tools", []))
