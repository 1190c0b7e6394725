"""Catalogue validation: every fault of every file is listed at once, as file:line: message."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from service.catalog import CatalogError, load_catalog, load_schema
from service.config import ROOT
from tests import catalogs
from tests.catalogs import ML, PLOT, SPEC, Catalogue, write_catalog

UNKNOWN_SKILL = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"


@pytest.fixture
def tiny() -> Catalogue:
    """A fresh tiny valid catalogue for a test to break."""
    return catalogs.tiny()


def problems(directory: Path) -> list[str]:
    """The problem list load_catalog raises for a catalogue folder."""
    with pytest.raises(CatalogError) as caught:
        load_catalog(directory)
    return caught.value.problems


def test_tiny_catalogue_is_valid(tmp_path: Path, tiny: Catalogue) -> None:
    """The unbroken base loads, records sorted by id, with the files they came from."""
    files = write_catalog(tmp_path, tiny)
    catalog = load_catalog(tmp_path)
    assert [c["id"] for c in catalog.credentials] == [SPEC, ML, PLOT]
    assert (catalog.skills, catalog.roles, catalog.files) == (tiny["skills"], tiny["roles"], files)


def test_small_catalogue_is_valid(small_catalog: Path) -> None:
    """The small real slice validates with its documented counts."""
    catalog = load_catalog(small_catalog)
    assert (len(catalog.skills), len(catalog.roles), len(catalog.credentials)) == (377, 7, 85)


@pytest.mark.slow
def test_shipped_catalogue_is_valid() -> None:
    """The full catalogue under catalog/ validates with its documented counts."""
    catalog = load_catalog(ROOT / "catalog")
    assert (len(catalog.skills), len(catalog.roles), len(catalog.credentials)) == (13_939, 3_039, 3_726)


def mutations(record: dict[str, Any]) -> list[Any]:
    """A record broken one field at a time: removed, retyped, emptied, a list item or a property added."""
    out: list[Any] = [{**record, "unknown_field": 1}, [record], "record"]
    for key, value in record.items():
        out.append({k: v for k, v in record.items() if k != key})
        out += [{**record, key: bad} for bad in (None, 7, -1.5, "", "BAD ID", [], {"x": 1}, True)]
        if isinstance(value, list):
            out += [{**record, key: [*value, 7]}, {**record, key: [*value, {"id": "x"}]}, {**record, key: value * 2}]
    return out


@pytest.mark.parametrize("kind", ["skills", "roles", "credentials", "tools"])
def test_the_fast_schema_check_agrees_with_the_reference(kind: str) -> None:
    """catalog.Validator passes a record by jsonschema-rs alone: on the first 20 shipped records of each kind and
    every one-field mutation of them, it accepts exactly what jsonschema (the reference) accepts."""
    validator = load_schema(kind)
    path = ROOT / "catalog" / f"{kind}.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for _, line in zip(range(20), handle, strict=False)]
    checked = [r for record in records for r in (record, *mutations(record))]
    disagree = [r for r in checked if validator.fast.is_valid(r) == bool(list(validator.reference.iter_errors(r)))]
    assert (len(checked) > 1000, disagree) == (True, [])


def first_record(kind: str) -> dict[str, Any]:
    """The first shipped record of a kind."""
    with gzip.open(ROOT / "catalog" / f"{kind}.jsonl.gz", "rt", encoding="utf-8") as handle:
        record: dict[str, Any] = json.loads(handle.readline())
    return record


def test_the_schema_check_reports_what_either_validator_rejects() -> None:
    """A pattern's "$" before a final newline and a NaN pass jsonschema but not jsonschema-rs, whose words report
    them; a lone surrogate, which jsonschema-rs cannot read, is the reference's to judge."""
    tools, credentials = load_schema("tools"), load_schema("credentials")
    tool, credential = (first_record(kind) for kind in ("tools", "credentials"))
    assert (tools.errors(tool), credentials.errors(credential)) == ([], [])
    assert tools.errors({**tool, "id": "onet-tool-x\n"}) == [
        ("id", '"onet-tool-x\\n" does not match "^onet-tool-[a-z0-9-]+$"')]
    assert [where for where, _ in tools.errors({**tool, "id": "onet-tool-x\ud800"})] == ["id"]
    assert [where for where, _ in credentials.errors({**credential, "hours": float("nan")})] == ["hours"]


def test_shipped_skills_name_their_esco_groups() -> None:
    """Every skill names the nearest ESCO skill-pillar groups it sits under: a "teach ..." skill the teaching group
    (S1.3.1, teaching academic or vocational subjects), a field of knowledge its ISCED-F code."""
    skills = {s["label"]: s for s in catalogs.catalogue("skills")}
    assert all(s.get("groups") for s in skills.values())
    assert (skills["teach chemistry"]["groups"], skills["chemistry"]["groups"]) == (["S1.3.1"], ["0531"])
    assert skills["perform lectures"]["groups"] == ["S1.4.1", "S1.4.2", "T4.1"]


def test_malformed_json(tmp_path: Path, tiny: Catalogue) -> None:
    """A line cut short and a line that is not JSON at all are both reported by line and column."""
    tiny["credentials"][1] = json.dumps(tiny["credentials"][1], sort_keys=True)[:30]
    tiny["skills"].append("skills: none")
    files = write_catalog(tmp_path, tiny)
    assert problems(tmp_path) == [
        f"{files['skills']}:4: malformed JSON: Expecting value (column 1)",
        f"{files['credentials']}:2: malformed JSON: Invalid control character at (column 31)",
    ]


@pytest.mark.parametrize(
    ("kind", "index", "field", "value", "message"),
    [
        ("skills", 0, "label", None, "(record): 'label' is a required property"),
        ("skills", 2, "kind", "competence", "kind: 'competence' is not one of ['skill', 'knowledge']"),
        ("roles", 0, "salary", 50_000, "(record): Additional properties are not allowed ('salary' was unexpected)"),
        ("credentials", 2, "hours", -4, "hours: -4 is less than or equal to the minimum of 0"),
        ("credentials", 0, "level", "expert", "level: 'expert' is not one of ['beginner', 'intermediate', "
         "'advanced', 'mixed']"),
        ("credentials", 1, "requires", "none", "requires: 'none' is not of type 'array'"),
    ],
    ids=["missing-field", "skill-enum", "unexpected-field", "negative-hours", "credential-enum", "wrong-type"],
)
def test_schema_violation(
    tmp_path: Path, tiny: Catalogue, kind: str, index: int, field: str, value: object, message: str
) -> None:
    """One schema fault is the whole list: links to the faulty record are not reported as dangling."""
    record = tiny[kind][index]
    if value is None:
        del record[field]
    else:
        record[field] = value
    files = write_catalog(tmp_path, tiny)
    assert problems(tmp_path) == [f"{files[kind]}:{index + 1}: schema: {message}"]


def test_every_schema_fault_of_a_record(tmp_path: Path, tiny: Catalogue) -> None:
    """A record with several faults gets one line each, ordered by field path."""
    tiny["roles"][0]["skills"][1]["relation"] = "required"
    tiny["roles"][0]["isco_code"] = "25"
    tiny["roles"][0]["title"] = ""
    files = write_catalog(tmp_path, tiny)
    assert problems(tmp_path) == [
        f"{files['roles']}:1: schema: isco_code: '25' does not match '^[0-9]{{4}}$'",
        f"{files['roles']}:1: schema: skills/1/relation: 'required' is not one of ['essential', 'optional']",
        f"{files['roles']}:1: schema: title: '' should be non-empty",
    ]


def test_duplicate_ids(tmp_path: Path, tiny: Catalogue) -> None:
    """A second record with a used id is reported with the line of the first."""
    tiny["skills"].append({**tiny["skills"][0], "label": "Haskell again"})
    tiny["credentials"].insert(1, {**tiny["credentials"][2], "name": "copy"})
    files = write_catalog(tmp_path, tiny)
    assert problems(tmp_path) == [
        f"{files['skills']}:4: duplicate id '{tiny['skills'][0]['id']}' (first at line 1)",
        f"{files['credentials']}:4: duplicate id '{PLOT}' (first at line 2)",
    ]


def test_skills_not_in_the_taxonomy(tmp_path: Path, tiny: Catalogue) -> None:
    """Role skills and declared credential skills must name taxonomy skills."""
    tiny["roles"][0]["skills"][2]["id"] = UNKNOWN_SKILL
    tiny["credentials"][0]["skills"] = [{"id": UNKNOWN_SKILL, "confidence": 1, "source": "declared"}]
    files = write_catalog(tmp_path, tiny)
    assert problems(tmp_path) == [
        f"{files['roles']}:1: role skill '{UNKNOWN_SKILL}' not in the taxonomy",
        f"{files['credentials']}:1: credential skill '{UNKNOWN_SKILL}' not in the taxonomy",
    ]


def test_dangling_links(tmp_path: Path, tiny: Catalogue) -> None:
    """requires and part_of must name credentials of the catalogue."""
    tiny["credentials"][1]["requires"] = [PLOT, "coursera-gone"]
    tiny["credentials"][2]["part_of"] = ["edx-gone", SPEC]
    files = write_catalog(tmp_path, tiny)
    assert problems(tmp_path) == [
        f"{files['credentials']}:2: requires names unknown credential 'coursera-gone'",
        f"{files['credentials']}:3: part_of names unknown credential 'edx-gone'",
    ]


def test_requires_cycles(tmp_path: Path, tiny: Catalogue) -> None:
    """Each cycle is reported once, at the line of its first credential; a self-requirement is one."""
    tiny["credentials"][0]["requires"] = [SPEC]
    tiny["credentials"][2]["requires"] = [ML]
    files = write_catalog(tmp_path, tiny)
    assert problems(tmp_path) == [
        f"{files['credentials']}:1: requires cycle: {SPEC} -> {SPEC}",
        f"{files['credentials']}:2: requires cycle: {ML} -> {PLOT} -> {ML}",
    ]


def test_missing_file(tmp_path: Path, tiny: Catalogue) -> None:
    """A missing file is named (as the expected .jsonl.gz) and no cross-file check guesses around it."""
    del tiny["skills"]
    write_catalog(tmp_path, tiny)
    assert problems(tmp_path) == [f"{tmp_path / 'skills.jsonl.gz'}: file missing"]


def test_unreadable_file(tmp_path: Path, tiny: Catalogue) -> None:
    """A .gz file that is not gzip is reported as unreadable."""
    del tiny["roles"]
    write_catalog(tmp_path, tiny)
    (tmp_path / "roles.jsonl.gz").write_text('{"id": "plain text"}\n')
    assert problems(tmp_path) == [
        f"{tmp_path / 'roles.jsonl.gz'}: unreadable (BadGzipFile: Not a gzipped file (b'{{\"'))"
    ]


def test_gzip_files_are_read(tmp_path: Path, tiny: Catalogue) -> None:
    """A .jsonl.gz file is preferred to a plain one and read like it."""
    files = write_catalog(tmp_path, tiny)
    gz = tmp_path / "roles.jsonl.gz"
    gz.write_bytes(gzip.compress(files["roles"].read_bytes()))
    catalog = load_catalog(tmp_path)
    assert (catalog.files["roles"], catalog.roles) == (gz, tiny["roles"])


def several_faults(tiny: Catalogue) -> Catalogue:
    """Break every file of the tiny catalogue in a different way."""
    tiny["skills"][1] = "{not json"
    tiny["skills"].append(tiny["skills"][0])
    tiny["roles"][0]["skills"][0]["relation"] = "required"
    tiny["credentials"][0]["hours"] = -1
    tiny["credentials"][1]["requires"] = [PLOT, "coursera-gone"]
    tiny["credentials"][2]["requires"] = [ML]
    return tiny


def test_several_problems_in_several_files(tmp_path: Path, tiny: Catalogue) -> None:
    """Faults of all files come in one list: per-file parsing first, then ids, links and cycles."""
    files = write_catalog(tmp_path, several_faults(tiny))
    assert problems(tmp_path) == [
        f"{files['skills']}:2: malformed JSON: Expecting property name enclosed in double quotes (column 2)",
        f"{files['roles']}:1: schema: skills/0/relation: 'required' is not one of ['essential', 'optional']",
        f"{files['credentials']}:1: schema: hours: -1 is less than or equal to the minimum of 0",
        f"{files['skills']}:4: duplicate id '{tiny['skills'][0]['id']}' (first at line 1)",
        f"{files['credentials']}:2: requires names unknown credential 'coursera-gone'",
        f"{files['credentials']}:2: requires cycle: {ML} -> {PLOT} -> {ML}",
    ]


def test_error_message_lists_the_first_fifty() -> None:
    """The exception text counts every problem and shows the first fifty."""
    error = CatalogError([f"p{i}" for i in range(53)])
    assert str(error) == "\n".join(["53 catalogue problem(s):", *(f"p{i}" for i in range(50)), "... and 3 more"])


def test_cli_build_refuses_a_broken_catalogue(tmp_path: Path, tiny: Catalogue) -> None:
    """`badgepath build` exits 2, prints every problem on stderr and writes no artifact, cache or model."""
    files = write_catalog(tmp_path / "broken", several_faults(tiny))
    expected = problems(tmp_path / "broken")
    site = tmp_path / "site"
    site.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BADGEPATH_")}
    env.update(BADGEPATH_CACHE_DIR=str(site / "cache"), BADGEPATH_MODEL_DIR=str(site / "model"))
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "build", "--catalog", str(files["skills"].parent),
         "--out", str(site / "artifact")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "\n".join([f"badgepath: {len(expected)} catalogue problem(s):", *expected]) + "\n"
    assert list(site.iterdir()) == []


def convert_module() -> Any:
    """catalog/convert.py (the conversion from ../shared/data), imported from its file: it is no package module."""
    spec = importlib.util.spec_from_file_location("catalog_convert", ROOT / "catalog" / "convert.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("title", "language"), [
    ("Introducción a Java", "es"),
    ("Plan de Negocios", "es"),
    ("Excel aplicado a los negocios (Nivel Avanzado)", "es"),
    ("Introdução ao Teste de Software", "pt"),
    ("Machine Learning with TensorFlow on Google Cloud em Português Brasileiro", "pt"),
    ("Marchés financiers", "fr"),
    ("Entreprise et changement climatique", "fr"),
    ("SQL für Data Science", "de"),
    ("机器学习", "zh"),
    ("Global Financing Solutions (by EDHEC and Société Générale)", "en"),
    ("Making Money as a Freelancer", "en"),
    ("Data Science as a Field", "en"),
    ("Build AI Apps with ChatGPT, Dall-E, and GPT-4", "en"),
    ("Résumé Writing for Engineers", "en"),
    ("Gestion de projet de Google", "fr"),
    ("La transformation numérique", "fr"),
    ("Razonamiento artificial", "es"),
    ("Product Management: Foundations & Stakeholder Collaboration", "en"),
    ("Operations Research (2): Optimization Algorithms", "en"),
])
def test_coursera_titles_name_their_language(title: str, language: str) -> None:
    """Coursera rows name no language: the title's script, function words and spellings do, English by default."""
    assert convert_module().guess_language(title) == language


def test_a_shifted_run_of_source_rows_takes_the_skills_listed_one_row_above(tmp_path: Path) -> None:
    """shift_back: rows of the run take the list above them, the row above the run (whose list they took) gets none,
    and the run's last list, which no row takes, is dropped; a source file that is not the snapshot analysed keeps
    its lists as given."""
    convert = convert_module()
    assert convert.shift_back(["a", "b", "c", "d", "e"], range(2, 4)) == ["a", "", "b", "c", "e"]
    other = tmp_path / "coursera.csv.gz"
    other.write_bytes(gzip.compress(b"Title,Gained Skills\nx,y\n"))
    rows = [{"Gained Skills": "y"}]
    assert convert.coursera_skills(rows, other) == ["y"]


def test_reported_titles_are_given_to_the_one_role_they_were_mapped_to(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """add_reported_titles: each mapped US title goes to its role, without its bracketed acronym and with a bracketed
    name of two words as a title of its own; a title ESCO already gives some role (punctuation and case aside), one
    mapped to two roles or to a role and to none ("Short Order Cook"), one mapped to none, and one that is only
    acronyms ("FP MD") are left out."""
    convert = convert_module()
    gp, nurse, cook = ("http://data.europa.eu/esco/occupation/" + u for u in ("aaa", "bbb", "ccc"))
    roles = [{"id": gp, "title": "general practitioner", "alt_titles": ["GP"]},
             {"id": nurse, "title": "nurse assistant", "alt_titles": ["nursing aide"]},
             {"id": cook, "title": "grill cook", "alt_titles": ["line cook"]}]
    decisions = [
        {"soc": "29-1215.00", "titles": {"Family Physician": "aaa", "Physician": None, "General-Practitioner": "aaa",
                                          "Primary Care Doctor (Primary Care Physician)": "aaa"}},
        {"soc": "31-1131.00", "titles": {"Certified Nursing Assistant (CNA)": "bbb", "Nursing Aide": "bbb",
                                          "Aide": "bbb"}},
        {"soc": "35-2014.00", "titles": {"Line-Cook": "ccc", "Aide": "ccc", "Grill Cook (GC)": "ccc", "FP MD": "ccc",
                                          "Short Order Cook": "ccc"}},
        {"soc": "35-2019.00", "titles": {"Short Order Cook": None}},
    ]
    path = tmp_path / "onet_titles.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in decisions), encoding="utf-8")
    monkeypatch.setattr(convert, "ONET_TITLES", path)
    stats: Any = convert.Counter()
    convert.add_reported_titles(roles, stats)
    assert [r.get("reported_titles") for r in roles] == [
        ["Family Physician", "Primary Care Doctor", "Primary Care Physician"], ["Certified Nursing Assistant"], None]
    assert dict(stats) == {"reported_titles": 4, "reported_title_esco_already": 4, "reported_title_ambiguous": 2}


def test_the_shipped_roles_have_reported_us_titles() -> None:
    """The shipped catalogue gives ESCO's general practitioner the US "Family Physician" and co-pilot "First
    Officer", neither of which ESCO has."""
    with gzip.open(ROOT / "catalog" / "roles.jsonl.gz", "rt", encoding="utf-8") as f:
        roles = {r["title"]: r for r in map(json.loads, f)}
    assert "Family Physician" in roles["general practitioner"]["reported_titles"]
    assert "First Officer" in roles["co-pilot"]["reported_titles"]
    names = {t.casefold() for r in roles.values()  # ESCO's titles, those withdrawn as traps aside
             for t in [r["title"], *r["alt_titles"]] if t not in r.get("withdrawn_titles", [])}
    assert not [t for r in roles.values() for t in r.get("reported_titles", []) if t.casefold() in names]


def test_moved_alt_labels_go_to_the_skill_named_the_same_way() -> None:
    """move_alt_labels: an ESCO alt label misfiled under one skill moves to the skill ESCO names the same way; one not
    where it is said to be is left alone."""
    convert = convert_module()
    base = {"a": {"label": "drive agricultural machines", "alt_labels": ["driving tractors", "forklift driving"]},
            "b": {"label": "operate forklift", "alt_labels": ["drive a forklift"]}}
    stats: Any = convert.Counter()
    convert.move_alt_labels(base, stats)
    assert base == {"a": {"label": "drive agricultural machines", "alt_labels": ["driving tractors"]},
                    "b": {"label": "operate forklift", "alt_labels": ["drive a forklift", "forklift driving"]}}
    assert dict(stats) == {"alt_label_moved": 1}


def test_posted_titles_are_given_to_the_one_role_they_were_mapped_to(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """add_posted_titles: each job-board title goes to its role; one ESCO or a reported US title already gives some
    role (punctuation and case aside) and one mapped to two roles are left out."""
    convert = convert_module()
    site, hr, sparky = ("http://data.europa.eu/esco/occupation/" + u for u in ("aaa", "bbb", "ccc"))
    roles = [{"id": site, "title": "construction manager", "alt_titles": ["building manager"]},
             {"id": hr, "title": "human resources officer", "alt_titles": [], "reported_titles": ["HR Generalist"]},
             {"id": sparky, "title": "electrician", "alt_titles": []}]
    mapped = [("Site Manager", site), ("People & Culture Advisor", hr), ("Sparky", sparky), ("Building-Manager", hr),
              ("HR generalist", hr), ("Leading Hand", site), ("Leading Hand", sparky)]
    path = tmp_path / "posted_titles.jsonl"
    path.write_text("".join(json.dumps({"title": t, "uri": u}) + "\n" for t, u in mapped), encoding="utf-8")
    monkeypatch.setattr(convert, "POSTED_TITLES", path)
    stats: Any = convert.Counter()
    convert.add_posted_titles(roles, stats)
    assert [r.get("posted_titles") for r in roles] == [["Site Manager"], ["People & Culture Advisor"], ["Sparky"]]
    assert dict(stats) == {"posted_titles": 3, "posted_title_known": 2, "posted_title_ambiguous": 1}


def test_trap_titles_are_withdrawn_from_the_roles_boards_do_not_mean(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """withdraw_trap_titles: an audited trap title is marked withdrawn on the roles it misleads to (their alt titles
    stay ESCO's) and given to the role boards mean, even one that has it as an ESCO alt title (a person confirmed it);
    a trap whose title is a wrong role's preferred title changes nothing; a reported title then goes to the role
    O*NET maps it to unless the audit withdrew it from that role."""
    convert = convert_module()
    jury, lawyer, welder, mech = ("http://data.europa.eu/esco/occupation/" + u for u in ("aaa", "bbb", "ccc", "ddd"))
    roles = [{"id": jury, "title": "court jury coordinator", "alt_titles": ["Solicitor", "court usher", "bailiff"]},
             {"id": lawyer, "title": "lawyer", "alt_titles": ["attorney"]},
             {"id": welder, "title": "welder", "alt_titles": ["maintenance technician", "repair welder"]},
             {"id": mech, "title": "instrument technician", "alt_titles": []}]
    traps = [{"title": "solicitor", "wrong": [{"uri": jury}], "right": {"uri": lawyer}},
             {"title": "maintenance technician", "wrong": [{"uri": welder}], "right": None},
             {"title": "attorney", "wrong": [{"uri": jury}], "right": {"uri": lawyer}},
             {"title": "court usher", "wrong": [{"uri": jury}], "right": None},
             {"title": "instrument technician", "wrong": [{"uri": mech}], "right": {"uri": welder}}]
    path = tmp_path / "title_traps.jsonl"
    path.write_text("".join(json.dumps(t) + "\n" for t in traps), encoding="utf-8")
    monkeypatch.setattr(convert, "TITLE_TRAPS", path)
    stats: Any = convert.Counter()
    convert.withdraw_trap_titles(roles, stats)
    assert roles == [
        {"id": jury, "title": "court jury coordinator", "alt_titles": ["Solicitor", "court usher", "bailiff"],
         "withdrawn_titles": ["Solicitor", "court usher"]},
        {"id": lawyer, "title": "lawyer", "alt_titles": ["attorney"], "corrected_titles": ["attorney", "solicitor"]},
        {"id": welder, "title": "welder", "alt_titles": ["maintenance technician", "repair welder"],
         "withdrawn_titles": ["maintenance technician"]},
        {"id": mech, "title": "instrument technician", "alt_titles": []}]
    assert dict(stats) == {"trap_title_withdrawn": 3, "trap_title_corrected": 2, "trap_title_preferred_kept": 1,
                           "trap_title_not_found": 1}
    assert [convert.titles_of(r) for r in roles[:3]] == [
        ["court jury coordinator", "bailiff"], ["lawyer", "attorney", "attorney", "solicitor"],
        ["welder", "repair welder"]]


@pytest.mark.parametrize(("traps", "problem"), [
    ([{"title": "solicitor", "wrong": [{"uri": "aaa"}], "right": None},
      {"title": "Solicitor", "wrong": [{"uri": "aaa"}], "right": None}], "listed twice"),
    ([{"title": "solicitor", "wrong": [{"uri": "zzz"}], "right": None}], "names an unknown occupation"),
    ([{"title": "solicitor", "wrong": [{"uri": "aaa"}], "right": {"uri": "aaa"}}],
     "has its right occupation among the wrong"),
])
def test_a_trap_file_that_contradicts_itself_is_refused(tmp_path: Path, traps: list[Any], problem: str) -> None:
    """read_traps: a title audited twice, an unknown occupation or a right occupation among the wrong stops the
    conversion with the title named."""
    convert = convert_module()
    path = tmp_path / "title_traps.jsonl"
    path.write_text("".join(json.dumps(t) + "\n" for t in traps), encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        convert.read_traps(path, {"aaa": {}})


def test_the_shipped_roles_carry_no_audited_trap_title() -> None:
    """In the shipped catalogue "solicitor" is a lawyer's corrected title and withdrawn from the court jury
    coordinator and the immigration adviser, whose ESCO alt titles keep it; every trap title of title_traps.jsonl is
    withdrawn from each role it names as wrong, except a preferred title or a slashed ESCO label it is half of."""
    with gzip.open(ROOT / "catalog" / "roles.jsonl.gz", "rt", encoding="utf-8") as f:
        roles = {r["id"]: r for r in map(json.loads, f)}
    by_title = {r["title"]: r for r in roles.values()}
    assert "solicitor" in by_title["lawyer"]["corrected_titles"]
    assert "solicitor" in by_title["immigration adviser"]["withdrawn_titles"]
    assert "solicitor" in by_title["court jury coordinator"]["alt_titles"]
    traps = [json.loads(line) for line in (ROOT / "catalog" / "title_traps.jsonl").read_text().splitlines()]
    left = [(t["title"], roles[w["uri"]]["title"]) for t in traps for w in t["wrong"]
            if t["title"] in {a.casefold() for a in roles[w["uri"]]["alt_titles"]}
            and t["title"] not in {a.casefold() for a in roles[w["uri"]].get("withdrawn_titles", [])}]
    assert left == []


def test_the_readmes_example_credentials_are_in_the_catalogue() -> None:
    """Every credential id the README's examples use is a shipped credential: an integrator copies them first (the
    example badge of an earlier catalogue answered 404)."""
    with gzip.open(ROOT / "catalog" / "credentials.jsonl.gz", "rt", encoding="utf-8") as handle:
        ids = {json.loads(line)["id"] for line in handle}
    named = set(re.findall(r"\b(?:coursera|edx)-[a-z0-9-]+[a-z0-9]", (ROOT / "README.md").read_text(encoding="utf-8")))
    assert (bool(named), sorted(named - ids)) == (True, [])


def test_a_tool_takes_the_category_most_of_its_o_net_rows_give(monkeypatch: pytest.MonkeyPatch) -> None:
    """O*NET files some tools under several commodity categories, one row per occupation (MySQL 30 times as database
    management software, 20 as query software): the tool takes the most-given one, the first given on a tie, never
    an empty one, and counts each occupation once; the shipped catalogue agrees."""
    convert = convert_module()
    header = ["O*NET-SOC Code", "Example", "Commodity Title", "Hot Technology"]
    rows = [["15-1", "MySQL", "Query software", "N"], ["15-2", "MySQL", "DBMS software", "Y"],
            ["15-3", "MySQL", "DBMS software", "N"], ["15-3", "MySQL", "DBMS software", "N"],
            ["11-1", "Slack", "", "N"], ["11-1", "Slack", "", "N"],  # an empty category never counts
            ["11-1", "Slack", "Chat software", "N"], ["11-2", "Slack", "Mail software", "N"]]
    monkeypatch.setattr(convert, "xlsx_rows", lambda path: [header, *rows])
    tools, _ = convert.build_tools(Path("unused"))
    assert [(t["name"], t["category"], t["hot"], t["occupations"]) for t in tools] == [
        ("MySQL", "DBMS software", True, 3), ("Slack", "Chat software", False, 2)]
    with gzip.open(ROOT / "catalog" / "tools.jsonl.gz", "rt", encoding="utf-8") as handle:
        shipped = {r["name"]: r["category"] for r in map(json.loads, handle)}
    assert {name: shipped[name] for name in ("MySQL", "Microsoft Windows Server", "Siemens NX")} == {
        "MySQL": "Data base management system software", "Microsoft Windows Server": "Operating system software",
        "Siemens NX": "Computer aided design CAD software"}
