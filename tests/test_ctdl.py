"""Catalogue ingestion: CTDL JSON-LD, Open Badges classes and CSV become schema-valid credential records."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from service.catalog import CatalogError, load_catalog
from service.cli import main
from service.credentials.ctdl import duration_hours
from service.credentials.ingest import Ingest, catalogue_ids, import_catalog

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "catalog_small"
CTDL = FIXTURES / "ctdl" / "cloud-credentials.json"
ESCO = "http://data.europa.eu/esco/skill/"
CERTIFICATE, BADGE = "ce-8f1e4b3a-2c5d-4e6f-8a9b-0c1d2e3f4a5b", "ce-1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"
MICRO, COURSE = "ce-3c4d5e6f-7081-4293-a4b5-c6d7e8f90a1b", "ce-5e6f7081-9203-44b5-a6d7-e8f90a1b2c3d"
PROVIDER = "Example Cloud Institute"
CTDL_RECORDS = [
    {"id": BADGE, "name": "Cloud Foundations Badge", "description": "Deploy and size basic cloud resources.",
     "provider": PROVIDER, "type": "badge", "level": "beginner", "hours": 10.0, "cost": 0.0, "language": "en",
     "skill_tags": [], "requires": [], "part_of": [MICRO], "source": "CTDL",
     "skills": [{"id": ESCO + "6195c5f7-a4fb-425d-a3dd-c4467c4471a3", "confidence": 1.0,
                 "matched_text": "deploy cloud resource", "source": "declared"}]},
    {"id": MICRO, "name": "Cloud Engineering MicroCredential",
     "description": "The foundations badge and the operations certificate together.", "provider": PROVIDER,
     "type": "micro-credential", "level": "mixed", "hours": 43.3, "language": "en", "skill_tags": [],
     "skills": [], "requires": [], "part_of": [], "source": "CTDL"},
    {"id": COURSE, "name": "Cloud Security Essentials", "description": "Keep cloud workloads compliant and secure.",
     "provider": PROVIDER, "type": "course", "level": "mixed", "hours": 15.0, "language": "en", "skill_tags": [],
     "requires": [], "part_of": [], "source": "CTDL",
     "skills": [{"id": ESCO + "1c2978b8-bb0d-4249-9c23-877571a4dffa", "confidence": 1.0,
                 "matched_text": "cloud security and compliance", "source": "declared"}]},
    {"id": CERTIFICATE, "name": "Cloud Operations Certificate",
     "description": "Run production cloud networks: design, monitoring and incident handling.",
     "provider": PROVIDER, "type": "certificate", "level": "intermediate", "hours": 40.0, "cost": 149.0,
     "language": "en", "url": "https://cloud-institute.example.org/cloud-operations",
     "skill_tags": ["Incident postmortems", "operate cloud consoles"], "requires": [BADGE, COURSE],
     "part_of": [MICRO], "source": "CTDL",
     "skills": [{"id": ESCO + "4da4587a-fd0b-4ca2-886c-c42a1562d432", "confidence": 1.0,
                 "matched_text": "design cloud networks", "source": "declared"}]},
]
CTDL_WARNINGS = [
    f"{CTDL}:/@graph/1/ceterms:estimatedCost/1: cost in EUR is not converted; omitted",
    f"{CTDL}:/@graph/1/ceterms:requires/0/ceterms:targetCompetency/2: skill "
    f"{ESCO}00000000-0000-4000-8000-000000000000 is not in the taxonomy; kept as a tag",
    f"{CTDL}:/@graph/1/ceterms:requires/0/ceterms:targetCredential/1: requires names "
    "https://credentialengineregistry.org/resources/ce-99999999-9999-4999-8999-999999999999, which is neither "
    "imported here nor in the catalogue; link dropped",
]


def small_ingest(hours: float | None = None) -> Ingest:
    """An import joining the small catalogue (its taxonomy and credential ids)."""
    return Ingest(default_hours=hours, skills=catalogue_ids(SMALL, "skills"),
                  credentials=catalogue_ids(SMALL, "credentials") or set())


def records(path: Path) -> list[dict[str, Any]]:
    """The JSON Lines records of a written file."""
    return [json.loads(line) for line in path.read_text().splitlines()]


def problems(fmt: str, paths: list[Path], out: Path, ingest: Ingest | None = None) -> list[str]:
    """The problems an import reports (it must fail, and write nothing)."""
    with pytest.raises(CatalogError) as caught:
        import_catalog(fmt, paths, out, ingest or small_ingest())
    assert not out.exists()
    return caught.value.problems


def test_ctdl_graph_becomes_linked_records(tmp_path: Path) -> None:
    """Certificate, badge, micro-credential and course: hours, cost, level, skills, requires and part_of."""
    ingest, out = small_ingest(), tmp_path / "ctdl.jsonl"
    assert import_catalog("ctdl", [CTDL], out, ingest) == 4
    assert records(out) == CTDL_RECORDS
    assert ingest.warnings == CTDL_WARNINGS


def test_imported_records_join_the_catalogue(tmp_path: Path) -> None:
    """Imported records pass the catalogue's own checks (schema, taxonomy references, links, cycles)."""
    folder = tmp_path / "catalog"
    folder.mkdir()
    for kind in ("skills", "roles"):
        shutil.copy(SMALL / f"{kind}.jsonl", folder / f"{kind}.jsonl")
    import_catalog("ctdl", [CTDL], tmp_path / "ctdl.jsonl", small_ingest())
    (folder / "credentials.jsonl").write_text((SMALL / "credentials.jsonl").read_text()
                                              + (tmp_path / "ctdl.jsonl").read_text())
    catalog = load_catalog(folder)
    assert {c["id"] for c in catalog.credentials} >= {BADGE, CERTIFICATE, COURSE, MICRO}


def test_ctdl_faults_are_located_and_nothing_is_written(tmp_path: Path) -> None:
    """A bad ISO 8601 duration is reported at its JSON pointer; the previous output stays as it was."""
    out = tmp_path / "keep.jsonl"
    out.write_text("previous\n")
    bad = FIXTURES / "ctdl" / "bad-duration.json"
    with pytest.raises(CatalogError) as caught:
        import_catalog("ctdl", [CTDL, bad], out, small_ingest())
    assert caught.value.problems == [
        f"{bad}:/ceterms:estimatedDuration/0/ceterms:exactDuration: 'PT4X' is not an ISO 8601 duration"]
    assert out.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.jsonl"]


def test_malformed_and_incomplete_ctdl(tmp_path: Path) -> None:
    """Malformed JSON gives line and column; a missing owner, name or type gives its pointer."""
    broken = tmp_path / "broken.json"
    broken.write_text('{"@type": "ceterms:Badge",\n "ceterms:name": }')
    incomplete = tmp_path / "incomplete.json"
    incomplete.write_text(json.dumps({"@graph": [
        {"@type": "ceterms:Certificate", "ceterms:estimatedDuration": [{"ceterms:exactDuration": "PT3H"}],
         "ceterms:ownedBy": ["https://credentialengineregistry.org/resources/ce-unknown"]},
        {"@type": "ceterms:JobComponent", "ceterms:name": {"en": "x"}},
        "_:b1",
    ]}))
    assert problems("ctdl", [broken, incomplete], tmp_path / "out.jsonl") == [
        f"{broken}:2:18: malformed JSON: Expecting value",
        f"{incomplete}:/@graph/0/ceterms:name: a credential needs a ceterms:name",
        f"{incomplete}:/@graph/0/ceterms:ownedBy: no provider: ceterms:ownedBy or ceterms:offeredBy must name an "
        "organization given in this file (a URI is not fetched)",
        f"{incomplete}:/@graph/2: a CTDL resource must be a JSON object",
    ]


@pytest.mark.parametrize(("duration", "hours"), [
    ("PT40H", 40.0), ("P2W", 10.0), ("P1M", 21.65), ("P1Y", 260.0), ("P1DT2H", 2.71), ("PT90M", 1.5),
    ("P1W2D", 6.43), ("PT1,5H", 1.5),
])
def test_iso_8601_durations(duration: str, hours: float) -> None:
    """Time parts are study hours; calendar parts use the catalogue's 5 h/week, 4.33 weeks/month load."""
    assert duration_hours(duration) == hours


@pytest.mark.parametrize("duration", ["P", "PT", "P1H", "2 weeks", "P1DT", "PT0H", 40])
def test_not_durations(duration: Any) -> None:
    """Anything else is a ValueError the importer reports at its pointer."""
    with pytest.raises(ValueError):
        duration_hours(duration)


def test_open_badges_classes_become_records(tmp_path: Path) -> None:
    """An OB 2.0 BadgeClass and OB 3.0 Achievements: ESCO alignments declared, tags kept, --hours applied."""
    ingest, out = small_ingest(hours=8), tmp_path / "ob.jsonl"
    paths = [FIXTURES / "badges" / "ob2-badgeclass.json", FIXTURES / "badges" / "ob3-achievements.json"]
    assert import_catalog("openbadges", paths, out, ingest) == 3
    common = {"level": "mixed", "hours": 8, "language": "en", "requires": [], "part_of": [], "source": "Open Badges"}
    assert records(out) == [
        {**common, "id": "ob-cloud-incident-response-d8b1ad34", "name": "Cloud Incident Response",
         "description": "Handle incidents in cloud systems, from detection to post-incident review.",
         "provider": "Example Corp", "type": "certificate", "skill_tags": ["on-call"],
         "url": "https://example.com/achievements/cloud/incident-response/criteria",
         "skills": [{"id": ESCO + "440d5784-52a5-4729-8b04-29f978bd896d", "confidence": 1.0,
                     "matched_text": "respond to incidents in cloud", "source": "declared"}]},
        {**common, "id": "ob-cloud-networking-badge-15262530", "name": "Cloud Networking Badge",
         "description": "For designing virtual networks, subnets and routing for a cloud deployment.",
         "provider": "An Example Badge Issuer", "type": "badge", "url": "https://example.org/cloud-networking-badge.html",
         "skill_tags": ["VPC design", "routing", "CCSS.ELA-Literacy.RST.11-12.3"],
         "skills": [{"id": ESCO + "4da4587a-fd0b-4ca2-886c-c42a1562d432", "confidence": 1.0,
                     "matched_text": "design cloud networks", "source": "declared"}]},
        {**common, "id": "ob-teamwork-77067f1a", "name": "Teamwork",
         "description": "This badge recognizes the development of the capacity to collaborate within a group "
                        "environment.", "provider": "example.com", "type": "badge", "skill_tags": [], "skills": [],
         "url": "https://example.com/achievements/teamwork"},
    ]
    assert ingest.warnings == [f"{paths[1]}:/1/creator: issuer profile https://example.com/issuers/876543 is not "
                               "embedded (not fetched); provider set to its host example.com"]


def test_open_badges_need_hours_and_a_class(tmp_path: Path) -> None:
    """Without --hours every class is a problem; an Assertion is not a class."""
    assertion = FIXTURES / "badges" / "ob2-assertion.json"
    badge_class = FIXTURES / "badges" / "ob2-badgeclass.json"
    assert problems("openbadges", [badge_class, assertion], tmp_path / "out.jsonl") == [
        f"{badge_class}: no duration (Open Badges has no duration field): the hours are required (pass --hours to "
        "set a default)",
        f"{assertion}:/type: not an Open Badges 2.0 BadgeClass or 3.0 Achievement",
    ]


CSV = """id,name,provider,type,level,hours,cost,url,language,skills,skill_tags,requires,part_of,description
cloud-ops-101,Cloud Ops 101,Example Cloud Institute,course,beginner,12,0,https://example.org/ops,en,\
http://data.europa.eu/esco/skill/6195c5f7-a4fb-425d-a3dd-c4467c4471a3,Terraform | Kubernetes,\
coursera-agile-development-university-of-virginia,,"Deploy, size and observe cloud resources."
,Cloud Ops 201,"Example Cloud Institute",specialization,,30.5,,,,,,cloud-ops-101,,
"""


def test_csv_round_trip(tmp_path: Path) -> None:
    """Documented columns become records; links reach other rows and catalogue credentials."""
    source, out = tmp_path / "catalog.csv", tmp_path / "csv.jsonl"
    source.write_text(CSV)
    assert import_catalog("csv", [source], out, small_ingest()) == 2
    common = {"provider": PROVIDER, "language": "en", "part_of": [], "source": "CSV"}
    assert records(out) == [
        {**common, "id": "cloud-ops-101", "name": "Cloud Ops 101", "type": "course", "level": "beginner",
         "hours": 12.0, "cost": 0.0, "url": "https://example.org/ops",
         "description": "Deploy, size and observe cloud resources.", "skill_tags": ["Terraform", "Kubernetes"],
         "requires": ["coursera-agile-development-university-of-virginia"],
         "skills": [{"id": ESCO + "6195c5f7-a4fb-425d-a3dd-c4467c4471a3", "confidence": 1.0, "source": "declared"}]},
        {**common, "id": "csv-cloud-ops-201-c690b057", "name": "Cloud Ops 201", "type": "specialization",
         "level": "mixed", "hours": 30.5, "description": "", "skill_tags": [], "skills": [],
         "requires": ["cloud-ops-101"]},
    ]


def test_csv_faults_name_the_line(tmp_path: Path) -> None:
    """Unknown columns at line 1; bad numbers, extra fields and cycles at their rows."""
    header = tmp_path / "header.csv"
    header.write_text("name,provider,hourz\nx,y,1\n")
    rows = tmp_path / "rows.csv"
    rows.write_text("id,name,provider,hours,requires\na,A,P,ten,\nb,B,P,2,c\nc,C,P,3,b\nd,D,P,4,,extra\n")
    assert problems("csv", [header, rows], tmp_path / "out.jsonl") == [
        f"{header}:1: unknown column(s) hourz; known: id, name, description, provider, type, level, hours, cost, "
        "url, language, skills, skill_tags, requires, part_of",
        f"{rows}:2: hours: 'ten' is not a number",
        f"{rows}:2: no hours value: the hours are required (pass --hours to set a default)",
        f"{rows}:5: more fields than the header has columns",
        f"{rows}:3: requires cycle: b -> c -> b",
    ]


def test_cli_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`badgepath import` writes the records (readable like any new file) and prints warnings; on problems it exits 2
    and writes nothing."""
    out = tmp_path / "catalog" / "ctdl.jsonl"
    argv = ["import", "--format", "ctdl", str(CTDL), "--out", str(out), "--catalog", str(SMALL)]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert captured.out == f"imported 4 credential(s) into {out}\n"
    assert captured.err == "".join(f"badgepath: warning: {w}\n" for w in CTDL_WARNINGS)
    assert records(out) == CTDL_RECORDS
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask  # open's mode, not tempfile's 0600
    bad = FIXTURES / "ctdl" / "bad-duration.json"
    assert main(["import", "--format", "ctdl", str(bad), "--out", str(tmp_path / "x.jsonl")]) == 2
    assert capsys.readouterr().err == (
        "badgepath: 1 catalogue problem(s):\n"
        f"{bad}:/ceterms:estimatedDuration/0/ceterms:exactDuration: 'PT4X' is not an ISO 8601 duration\n")
    assert not (tmp_path / "x.jsonl").exists()
