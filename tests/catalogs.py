"""Catalogues cut from the small real slice, written to temporary folders for tests to break or rebuild."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from service.catalog import KINDS, Record
from service.config import ROOT

SMALL = Path(__file__).parent / "fixtures" / "catalog_small"
UM = "university-of-michigan"
SPEC = f"coursera-applied-data-science-with-python-{UM}"
ML = f"coursera-applied-machine-learning-in-python-{UM}"
PLOT = f"coursera-applied-plotting-charting-and-data-representation-in-python-{UM}"
DATA_SCIENTIST = "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"
DATA_ANALYST = "http://data.europa.eu/esco/occupation/d3edb8f8-3a06-47a0-8fb9-9b212c006aa2"

Catalogue = dict[str, list[Any]]
"""Records by kind; a string item is written verbatim as its line."""


def catalogue(name: str) -> list[Record]:
    """Every record of a committed catalogue file (catalog/<name>.jsonl.gz)."""
    with gzip.open(ROOT / "catalog" / f"{name}.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def read_small(kind: str) -> list[Record]:
    """The records of one file of the small catalogue, in file order."""
    return [json.loads(line) for line in (SMALL / f"{kind}.jsonl").read_text().splitlines()]


def small() -> Catalogue:
    """The whole small catalogue as records."""
    return {kind: read_small(kind) for kind in KINDS}


def tiny() -> Catalogue:
    """3 skills, 1 role needing them, and a 3-credential series (spec; ML requires plotting; both part of spec)."""
    skills = read_small("skills")[:3]
    role = {**read_small("roles")[0], "skills": [{"id": s["id"], "relation": "essential"} for s in skills]}
    credentials = [c for c in read_small("credentials") if c["id"] in (SPEC, ML, PLOT)]
    return {"skills": skills, "roles": [role], "credentials": credentials}


def write_catalog(directory: Path, catalogue: Catalogue) -> dict[str, Path]:
    """Write each kind as plain JSON Lines, one item a line, and return the file paths."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {kind: directory / f"{kind}.jsonl" for kind in catalogue}
    for kind, records in catalogue.items():
        lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records]
        files[kind].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return files


def edited_credentials(source: Path, out: Path, edit: Callable[[Record], None]) -> Path:
    """A copy of the catalogue folder source at out, with edit applied to each credential row."""
    shutil.copytree(source, out)
    path = out / "credentials.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    for row in rows:
        edit(row)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return out


SUPPORT: dict[tuple[str, str], float] = {}


def support(engine: Any, cred: dict[str, Any], skill_id: str) -> float:
    """How much a credential's whole text supports a skill, encoded here: the cosine of "name: description" (the
    credential) and "label: description" (the skill, or its label alone)."""
    if (cred["id"], skill_id) not in SUPPORT:
        skill = engine.skill(engine.artifact.skill_pos[skill_id])
        texts = [f"{cred['name']}: {cred.get('description', '')}"[:2000],
                 f"{skill['label']}: {skill['description']}" if skill.get("description") else skill["label"]]
        whole, named = engine.encoder.encode(texts)
        SUPPORT[(cred["id"], skill_id)] = float(whole @ named)
    return SUPPORT[(cred["id"], skill_id)]


def claimed(engine: Any, cred: dict[str, Any], item: dict[str, Any]) -> bool:
    """Whether paths may claim a credential's alignment, written out from the floors: the catalogue's own always; an
    inferred one from a tag at 0.70 or more (a credential with tags is aligned from them), from a description
    sentence at 0.60 or more, and supported by the credential's text at 0.30 or more."""
    if item.get("source") != "inferred":
        return True
    floor = 0.70 if item["matched_text"] in cred.get("skill_tags", []) else 0.60
    return bool(item["confidence"] >= floor and support(engine, cred, item["id"]) >= 0.30)
