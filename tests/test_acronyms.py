"""Acronyms in postings written out from the glossary and ESCO's own words."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import faiss
import numpy as np
import pytest
from flask.testing import FlaskClient

from service.engine import learner, target
from service.engine.acronyms import (
    ACRONYM_LINE,
    GLOSSARY,
    Acronym,
    acronym_table,
    defined_acronyms,
    glossary,
    is_acronym,
    named_rows,
    skill_names,
    spells,
    write_out,
    written_out,
)
from service.engine.core import ALT, DESCRIPTION, LABEL, Engine
from service.engine.learner import resolve_learner
from service.engine.target import agreeing, names
from service.index import Hit, Records, VectorTable
from service.schemas import Learner

from .catalogs import DATA_ANALYST


@pytest.mark.parametrize(("acronym", "name", "expected"), [
    ("CPR", "cardiopulmonary resuscitation", True),  # a second character from inside a word
    ("HPLC", "high-performance liquid chromatography", True),
    ("ETL", "data extraction, transformation and loading tools", True),  # words before and after are free
    ("TOC", "theory of constraints", True),  # a function word may give its initial
    ("GN&C", "guidance, navigation and control", True),
    ("GPS", "geographic information systems", False),  # "information" skipped between used words
    ("POS", "distributed ledger consensus protocols", False),  # one word gives all three
    ("PERL", "Perl", False),
    ("CCD", "complementary metal oxide semiconductor sensor", False),
])
def test_a_name_spells_an_acronym_by_its_words_initials(acronym: str, name: str, expected: bool) -> None:
    """Each used word gives the next character by its initial; a content word between used ones is not skipped."""
    assert spells(acronym, name) is expected


@pytest.mark.parametrize(("name", "expected"), [
    ("CRM", True), ("OB/GYN", True), ("GN&C", True), ("PRINCE2", True),
    ("HR", False), ("X10", False), ("M41", False), ("Perl", False), ("ICs", False), ("customer care", False),
])
def test_an_acronym_is_three_to_eight_capitals(name: str, expected: bool) -> None:
    """Two-letter acronyms (HR, IT, AR) mean too many things in postings; digits alone are not letters."""
    assert is_acronym(name) is expected


def test_the_written_out_form_has_the_fewest_other_words() -> None:
    """Of the names that spell it, the one with the fewest other words wins, then the preferred label; a name that
    contains the acronym or is one does not write it out."""
    names = [("manage closed-circuit television system", True), ("closed-circuit television", False),
             ("CCTV", False), ("CCTV monitoring", False)]
    assert written_out("CCTV", names) == "closed-circuit television"
    assert written_out("CCTV", names[:1] + names[2:]) == "manage closed-circuit television system"
    assert written_out("CCTV", names[2:]) is None


def acronyms_of(skills: VectorTable) -> dict[str, Acronym]:
    """The acronym table of a skill table's names, as posting_acronyms builds it."""
    return acronym_table(skills, named_rows(skills, LABEL, ALT), LABEL, ALT)


def table(texts: list[str], owners: list[int], kinds: list[int]) -> VectorTable:
    """A vector table over these rows (the vectors play no part in the acronym table)."""
    index = faiss.IndexFlatIP(4)
    index.add(np.eye(4, dtype=np.float32)[np.arange(len(texts)) % 4])
    return VectorTable(index, np.array(owners, np.int32), np.array(kinds, np.int8), texts)


ROWS = [  # (text, owner, kind)
    ("customer relationship management", 0, LABEL), ("CRM", 0, ALT),
    ("resuscitation", 1, LABEL), ("cardiopulmonary resuscitation", 1, ALT), ("CPR", 1, ALT),
    ("geographic information systems", 2, LABEL), ("GPS", 2, ALT),  # no name of the skill spells it
    ("proof of stake", 3, LABEL), ("POS", 3, ALT), ("point of sale", 4, LABEL), ("POS", 4, ALT),  # two skills
    ("CBT", 5, DESCRIPTION), ("cognitive behavioural therapy", 5, LABEL),  # a description row names nothing
]


def test_the_table_keeps_acronyms_that_name_one_skill_and_are_spelled_by_its_names() -> None:
    """An acronym naming two skills, one no name of its skill spells, and text of other row kinds are left out."""
    texts, owners, kinds = (list(column) for column in zip(*ROWS, strict=True))
    assert acronyms_of(table(texts, owners, kinds)) == {
        "CPR": Acronym("CPR", 1, "cardiopulmonary resuscitation"),
        "CRM": Acronym("CRM", 0, "customer relationship management"),
    }


def test_a_mapped_table_finds_the_same_acronyms_by_scanning_its_lines(tmp_path: Path) -> None:
    """Rows read lazily from texts.jsonl (as the service holds them) are scanned as raw lines, with the same result."""
    texts = [text for text, _, _ in ROWS]
    path = tmp_path / "skills.texts.jsonl"
    path.write_text("".join(json.dumps(text) + "\n" for text in texts))
    mapped = Records(path, cache_size=0)
    assert mapped.lines_matching(ACRONYM_LINE) == [1, 4, 6, 8, 10, 11]
    owners, kinds = [o for _, o, _ in ROWS], [k for _, _, k in ROWS]
    assert acronyms_of(table(mapped, owners, kinds)) == acronyms_of(table(texts, owners, kinds))  # type: ignore[arg-type]


def test_write_out_puts_the_name_before_each_acronym() -> None:
    """Each acronym of the table (a plural too) is written out in place; unknown ones and text in capitals stay."""
    known = {"CPR": Acronym("CPR", 1, "cardiopulmonary resuscitation"),
             "PLC": Acronym("PLC", 6, "programmable logic controller")}
    assert write_out("Hold a CPR certificate; maintain PLCs and SCADA", known) == (
        "Hold a cardiopulmonary resuscitation (CPR) certificate; maintain programmable logic controller (PLCs) "
        "and SCADA")
    assert write_out("Maintain SCADA systems", known) is None
    assert write_out("CPR CERTIFICATE REQUIRED", known) is None
    assert write_out("CPRs-to-be", known) is None
    assert write_out("CPR", known) == "cardiopulmonary resuscitation (CPR)"  # one acronym alone is no shouting


def test_the_engine_holds_the_acronyms_of_its_skill_rows_and_descriptions(engine: Engine) -> None:
    """The served small catalogue's acronyms: named by a skill (with its written-out name), or defined in brackets
    by a description (naming no skill); none of MSVC, HDFS and DBMS is in the glossary. An acronym that names two
    skills is not taken from the names, and one that is a skill's preferred label is not written out at all."""
    found = {a.acronym: (None if a.skill is None else engine.skill(a.skill)["label"], a.written_out)
             for a in engine.acronyms.values()}
    assert found["MSVC"] == ("Microsoft Visual C++", "Microsoft Visual C++")
    assert found["HDFS"] == (None, "hadoop distributed file system")
    assert found["DBMS"] == (None, "database management systems")  # alt label of two skills; a description defines it
    assert "SQL" not in found and "LDAP" not in found  # a skill's preferred label: matched as posted
    assert all(is_acronym(a) for a in found)


def test_a_description_defines_an_acronym_by_the_fewest_words_that_spell_it() -> None:
    """Words before the brackets that spell the acronym, as few as do; rows that disagree define nothing."""
    rows = ["Use computer numerical control (CNC) machines to cut parts.",
            "Monitor key performance indicators (KPIs) weekly.",
            "Apply statistical process control (SPC); read the (SPC) charts.",
            "Work with the ACME (ABC) team.", "Set up a (BCD) link.",
            "Run the secure socket layer (SSL) tests.", "Configure the secure sockets layer (SSL)."]
    found = defined_acronyms([table(rows, [0] * len(rows), [DESCRIPTION] * len(rows))], DESCRIPTION)
    assert found == {"CNC": Acronym("CNC", None, "computer numerical control"),
                     "KPI": Acronym("KPI", None, "key performance indicators"),
                     "SPC": Acronym("SPC", None, "statistical process control")}


def test_an_acronym_inside_a_sentence_is_matched_written_out(client: FlaskClient, engine: Engine) -> None:
    """"OLAP" inside a duty sentence names online analytical processing; the evidence shows the phrase as read."""
    text = "Build OLAP cubes for finance"
    olap = next(s for s in engine.artifact.skills if s["label"] == "online analytical processing")
    response = client.post("/v1/skills/extract", json={"text": text})
    evidence = {"source": "text", "phrase": text, "matched": "online analytical processing", "score": 0.638,
                "written_out": "Build online analytical processing (OLAP) cubes for finance"}
    expected = {"skills": [{"id": olap["id"], "label": olap["label"], "kind": olap["kind"], "score": 0.638,
                            "evidence": [evidence]}], "boilerplate_dropped": [], "warnings": []}
    assert (response.status_code, response.get_json()) == (200, expected)


def test_as_posted_the_sentence_names_no_skill(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the written-out reading the same sentence matches nothing above the bar (the change is the cause)."""
    monkeypatch.setattr(target, "ACRONYMS", False)
    response = client.post("/v1/skills/extract", json={"text": "Build OLAP cubes for finance"})
    assert response.get_json()["skills"] == []


def test_a_title_is_also_read_with_its_acronyms_written_out(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The title's last variant gets a written-out reading when it names an acronym; otherwise nothing is added."""
    assert target.title_readings(engine, "Senior OLAP Developer (Remote)") == [
        "Senior OLAP Developer (Remote)", "OLAP Developer", "online analytical processing (OLAP) Developer"]
    assert target.title_readings(engine, "Data Analyst") == ["Data Analyst"]
    monkeypatch.setattr(target, "TITLE_ACRONYMS", False)
    assert target.title_readings(engine, "Senior OLAP Developer (Remote)") == [
        "Senior OLAP Developer (Remote)", "OLAP Developer"]


def test_the_glossary_is_read_whole_and_a_bad_line_is_an_error(tmp_path: Path) -> None:
    """Every line of the shipped glossary is an acronym with a written-out form; a line that is not fails loudly."""
    shipped = glossary()
    assert len(shipped) == len(GLOSSARY.read_text(encoding="utf-8").splitlines()) - 1
    assert shipped["CSCS"] == Acronym("CSCS", None, "Construction Skills Certification Scheme")
    assert write_out("5+ years of hands-on FPGA design", shipped) == (
        "5+ years of hands-on field-programmable gate array (FPGA) design")  # ESCO gives the skill no alt label
    assert all(is_acronym(a) and entry.skill is None for a, entry in shipped.items())
    bad = tmp_path / "glossary.tsv"
    bad.write_text("acronym\twritten_out\tsector\nHR\thuman resources\tHR/recruitment\n", encoding="utf-8")
    with pytest.raises(ValueError, match="glossary.tsv:2: 'HR' is not a new acronym"):
        glossary(bad)


def test_the_glossary_writes_out_an_acronym_before_skill_names_and_descriptions(engine: Engine) -> None:
    """The glossary (written for postings) comes first, then ESCO's own name for a skill, then the descriptions."""
    assert engine.acronyms["OWASP"] == glossary()["OWASP"]  # also a skill's alt label
    assert engine.acronyms["KPI"] == glossary()["KPI"]  # also defined by a description
    assert engine.acronyms["MSVC"].skill is not None  # a skill's name only


def test_an_acronym_that_is_a_skill_label_is_left_as_posted() -> None:
    """Only a preferred label counts ("SQL" names the skill SQL); an alt label (CRM) or a description does not."""
    texts = ["SQL", "CRM", "customer relationship management", "KPI"]
    rows = table(texts, [0, 1, 1, 2], [LABEL, ALT, LABEL, DESCRIPTION])
    assert skill_names(named_rows(rows, LABEL, ALT)) == {"SQL"}


def test_a_learners_free_text_skill_is_read_with_its_acronyms_written_out(
    client: FlaskClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A learner's skill "OLAP cube design" is held as online analytical processing by its written-out reading, which
    scores higher than the text as written (matched there by the alt label OLAP); the held skill names the reading."""
    olap = next(s for s in engine.artifact.skills if s["label"] == "online analytical processing")
    body = {"target": {"role_id": DATA_ANALYST}, "learner": {"skills": ["OLAP cube design"]}}
    held = client.post("/v1/gap", json=body).get_json()["held"]["skills"]
    assert held == [{"id": olap["id"], "label": olap["label"], "kind": olap["kind"], "confidence": 0.6548,
                     "source": {"skill_text": "OLAP cube design", "matched": "online analytical processing",
                                "written_out": "online analytical processing (OLAP) cube design"}}]
    monkeypatch.setattr(target, "ACRONYMS", False)  # the engine directly: the app's answer cache holds the above
    as_written = resolve_learner(engine, Learner(skills=["OLAP cube design"])).skills
    assert [(s["label"], s["confidence"], s["source"]) for s in as_written.values()] == [
        ("online analytical processing", 0.5761, {"skill_text": "OLAP cube design", "matched": "OLAP"})]


def held_labels(engine: Engine, skills: list[str]) -> dict[str, tuple[str, float, str] | None]:
    """Each free-text skill with the label, confidence and matched text it is held by, or None when unmatched."""
    held = resolve_learner(engine, Learner(skills=skills)).skills.values()
    by_text = {s["source"]["skill_text"]: (s["label"], s["confidence"], s["source"]["matched"]) for s in held}
    return {text: by_text.get(text) for text in skills}


BARE = ["POS", "BLS", "CRM", "ETL", "KPI", "DNS", "SAP", "OLAP", "SQL"]


def test_a_bare_acronym_is_read_by_its_posting_meaning_or_by_a_name_holding_it(engine: Engine) -> None:
    """A learner's skill that is one acronym is held by a skill name holding it ("DNS", "SAP R3", "OLAP", "SQL") or by
    its meaning in postings ("KPI", key performance indicators, is in the description of *make data-driven
    decisions*); otherwise it is unmatched, not held as a skill whose name merely looks alike to MiniLM."""
    kpi = ("make data-driven decisions", 0.5848, "make data-driven decisions: Collect data such as Key Performance "
           "Indicators (KPIs) for an organisation and use the information to formulate actions and strategies.")
    assert held_labels(engine, BARE) == {
        "POS": None, "BLS": None, "CRM": None, "ETL": None, "KPI": kpi, "DNS": ("domain name service", 1.0, "DNS"),
        "SAP": ("SAP R3", 0.8616, "SAP R3"), "OLAP": ("online analytical processing", 1.0, "OLAP"),
        "SQL": ("SQL", 1.0, "SQL")}


def test_without_the_rule_bare_acronyms_match_what_looks_alike(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before BARE_ACRONYMS the same skills were held by names that only look alike ("POS" as *Perl* by "Ponie",
    "BLS" as *query languages* by "SPL", "KPI" as *KDevelop*), so the test above can fail. (The one-word bar,
    learner.ONE_WORD_SKILL, keeps most of them out too, and is lifted here.)"""
    monkeypatch.setattr(target, "BARE_ACRONYMS", False)
    monkeypatch.setattr(learner, "ONE_WORD_SKILL", 0.0)
    assert {k: v for k, v in held_labels(engine, BARE).items() if v is not None and v[2] != k} == {
        "POS": ("Perl", 0.5634, "Ponie"), "BLS": ("query languages", 0.6191, "SPL"),
        "CRM": ("ICT process quality models", 0.5826, "CMM"), "ETL": ("computer programming", 0.6739, "IDL"),
        "KPI": ("KDevelop", 0.6089, "KDevelop"), "SAP": ("SAP R3", 0.8616, "SAP R3")}


def test_a_skill_named_by_the_acronym_must_mean_what_postings_mean() -> None:
    """Of the hits of an acronym's written-out reading, one matched by the acronym itself stays only when its skill
    is near the reading ("POS" names *proof of stake* in ESCO, point of sale in postings); other hits stay."""
    engine = SimpleNamespace(skill_vectors=np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], np.float32))
    rows = ("POS", "point of sale", "POS")
    hits = [Hit(0, 1.0, 0, ALT, rows), Hit(1, 0.7, 1, LABEL, rows), Hit(2, 0.9, 2, ALT, rows)]
    kept = agreeing(engine, "POS", hits, np.array([0.0, 1.0], np.float32))  # type: ignore[arg-type]
    assert [h.owner for h in kept] == [1, 2]
    def named(text: str, acronym: str, score: float = 0.7) -> bool:
        return names(Hit(0, score, 0, ALT, (text,)), acronym)

    assert named("SAP R3", "SAP") and named("use SAP", "SAP") and named("Python", "PYTHON") and named("CSS", "CSS3")
    assert not named("SAPIENT", "SAP") and not named("SAP-based", "SAP") and not named("SPL", "BLS")
    assert named("sign language", "BLS", score=1.0)  # an exact match is the text itself
