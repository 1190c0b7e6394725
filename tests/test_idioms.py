"""The lexicon of posting phrasings (service/engine/idioms.py): its data, how a phrasing is found, and what a posting
that uses one is answered."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.engine import target
from service.engine.core import Engine
from service.engine.idioms import Idiom, IdiomFinder, LanguageFinder, lexicon, words

CATALOG = Path(__file__).resolve().parents[1] / "catalog" / "skills.jsonl.gz"


def test_every_phrasing_names_a_catalogue_skill_by_its_label_and_is_no_esco_label() -> None:
    """Each entry's skill is in the committed catalogue under the label written beside it; no phrasing is itself a
    preferred or alternative label of any skill (the matcher reads those); phrasings are unique as looked up."""
    with gzip.open(CATALOG, "rt", encoding="utf-8") as handle:
        skills = [json.loads(line) for line in handle]
    labels = {s["id"]: s["label"] for s in skills}
    names = {t.casefold() for s in skills for t in (s["label"], *s.get("alt_labels", []))}
    idioms = lexicon()
    assert len(idioms) == 796
    assert [i for i in idioms if labels.get(i.skill_id) != i.label] == []
    assert [i.phrase for i in idioms if i.phrase.casefold() in names] == []
    assert [i.phrase for i in idioms if not i.phrase or i.phrase != i.phrase.lower().strip()] == []
    by_key: dict[str, set[str]] = {}
    for idiom in idioms:
        by_key.setdefault(" ".join(words(idiom.phrase)), set()).add(idiom.skill_id)
    assert {k: v for k, v in by_key.items() if len(v) > 1} == {}
    finder = IdiomFinder(idioms)  # each phrasing is met as written ("cpr/aed" was not: a slash joins no words)
    assert [i.phrase for i in idioms if [idiom.skill_id for _, idiom in finder.find(i.phrase)] != [i.skill_id]] == []


FINDER = IdiomFinder((Idiom("driving licence", "drive", "drive vehicles"),
                      Idiom("customer-facing", "service", "customer service"),
                      Idiom("team player", "teams", "work in teams"),
                      Idiom("risk assessment", "risk", "draw up risk assessment"),
                      Idiom("carry out risk assessments", "risk", "draw up risk assessment"),
                      Idiom("c#", "csharp", "C#"),
                      Idiom("dashboard", "dash", "data visualisation software"),
                      Idiom("tax returns", "tax", "prepare tax returns forms"),
                      Idiom("data entry", "entry", "process data"),
                      Idiom("direct reports", "staff", "manage staff")))


@pytest.mark.parametrize(("phrase", "found"), [
    ("Full UK Driving Licence required", [("Driving Licence", "drive")]),
    ("a full clean driving licences", [("driving licences", "drive")]),
    ("Customer facing, customer-facing and Customer - Facing", [("Customer facing", "service"),
                                                                 ("customer-facing", "service"),
                                                                 ("Customer - Facing", "service")]),
    ("You carry out risk assessments daily", [("carry out risk assessments", "risk")]),
    ("risk assessment and a team player", [("risk assessment", "risk"), ("team player", "teams")]),
    ("Write C# services", [("C#", "csharp")]),
    ("driving licensee", []),
    ("steam players", []),
    ("the team\u2019s player", []),
    ("a 'team player'", [("team player", "teams")]),
    ("Build Dashboards", []),
    ("a dashboard", [("dashboard", "dash")]),
    ("File a tax return and tax returns", [("tax returns", "tax")]),  # a plural phrasing is not met in the singular
    ("Two risk assessments", [("risk assessments", "risk")]),  # a singular one is met in the plural
    ("Data entries", [("Data entries", "entry")]),
    ("This role has no direct reports", []),
    ("A driving licence is not required", []),
    ("I haven't got a driving licence", []),
    ("No experience needed, but you will need a driving licence", [("driving licence", "drive")]),
    ("A driving licence and no criminal record", [("driving licence", "drive")]),
    ("No. of direct reports: 4", [("direct reports", "staff")]),
    ("You will be a direct report to the director", []),
    ("customer, facing", []),
    ("", []),
])
def test_a_phrasing_is_found_as_whole_words_in_any_case_and_spacing(phrase: str, found: list[tuple[str, str]]) -> None:
    """Whole words only, any case, a hyphen or spaces between words, the last word maybe plural, the longer of two
    overlapping phrasings."""
    assert [(written, idiom.skill_id) for written, idiom in FINDER.find(phrase)] == found


LANGUAGES = LanguageFinder({name: Idiom(name, name.lower(), name) for name in ("English", "German", "Danish",
                                                                              "Polish", "Czech", "Dutch")})


@pytest.mark.parametrize(("phrase", "found"), [
    ("Fluent German (C1) and good English (B2) \u2013 this is a must", ["German", "English"]),
    ("Very good English (min. B2)", ["English"]),
    ("speak and write Danish and English fluently", ["Danish", "English"]),
    ("German-speaking customers", ["German"]),
    ("GERMAN at B1 level", ["German"]),
    ("Dutch is a plus", []),  # no level and no manner of use: mark_optional weighs "a plus" when the matcher reads it
    ("Czech not needed", []),  # negated
    ("No German required, English B1", ["English"]),
    ("Non-native English speakers welcome", []),
    ("You will work closely with our German headquarters", []),  # a name without a cue
    ("Polish the cars; good eye", []),  # the word, not the language
    ("Experience with German suppliers; good negotiation", []),  # the cue stands in another clause
    ("", []),
])
def test_a_language_is_asked_for_by_its_name_beside_a_level_or_a_manner_of_use(phrase: str, found: list[str]) -> None:
    """A language's name (as ESCO writes it, or in capitals) with a cue within LANGUAGE_NEAR words in its clause, not
    negated."""
    assert [idiom.skill_id for _, idiom in LANGUAGES.find(phrase)] == [name.lower() for name in found]


def test_a_language_asked_for_is_read_from_a_posting(client: FlaskClient, engine: Engine,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A requirement line naming a language with its level names the language's skill at IDIOM_SCORE, the name as
    evidence; with LANGUAGES off it does not. The small catalogue has no language skill: a made-up language stands
    for one, mapped to a skill it has."""
    skill = engine.artifact.skills[0]
    monkeypatch.setattr(engine, "language_finder", LanguageFinder({"Zorblish": Idiom("Zorblish", skill["id"],
                                                                                     skill["label"])}))
    text = "Fluent Zorblish (C1) is a must"
    evidence = {"source": "text", "phrase": text, "matched": skill["label"], "score": target.IDIOM_SCORE,
                "idiom": "Zorblish"}
    skills = client.post("/v1/skills/extract", json={"text": text}).get_json()["skills"]
    assert [s for s in skills if s["id"] == skill["id"]] == [
        {"id": skill["id"], "label": skill["label"], "kind": skill["kind"], "score": target.IDIOM_SCORE,
         "evidence": [evidence]}]
    monkeypatch.setattr(target, "LANGUAGES", False)
    skills = client.post("/v1/skills/extract", json={"text": text}).get_json()["skills"]
    assert [s for s in skills if s["id"] == skill["id"]] == []


def test_an_empty_lexicon_finds_nothing() -> None:
    """A catalogue that has none of the lexicon's skills reads no phrasing."""
    assert IdiomFinder(()).find("Full UK driving licence") == []


def test_a_posting_phrasing_names_its_skill_with_the_words_as_evidence(client: FlaskClient, engine: Engine) -> None:
    """'Line management of two direct reports' compares with no ESCO label closely enough, yet asks for managing
    staff: the skill is extracted at IDIOM_SCORE with the phrasing as evidence, once although two phrasings name it."""
    staff = next(s for s in engine.artifact.skills if s["label"] == "manage staff")
    text = "Line management of two direct reports"
    evidence = {"source": "text", "phrase": text, "matched": "manage staff", "score": target.IDIOM_SCORE,
                "idiom": "Line management"}
    skills = client.post("/v1/skills/extract", json={"text": text}).get_json()["skills"]
    assert [s for s in skills if s["id"] == staff["id"]] == [
        {"id": staff["id"], "label": "manage staff", "kind": staff["kind"], "score": target.IDIOM_SCORE,
         "evidence": [evidence]}]


def test_a_skill_read_only_from_a_licence_phrasing_is_marked_a_condition(client: FlaskClient,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The extract answer marks a skill every phrase of which is a licence phrasing with condition (the small
    catalogue has no *drive vehicles*: here "management" stands for a licence's word)."""
    text = "Line management of two direct reports"
    before = client.post("/v1/skills/extract", json={"text": text}).get_json()["skills"]
    monkeypatch.setattr(target, "LICENCE", re.compile(r"\bmanagement\b", re.IGNORECASE))
    after = client.post("/v1/skills/extract", json={"text": text}).get_json()["skills"]
    staff = [s for s in after if s["label"] == "manage staff"]
    assert staff and staff[0]["condition"] is True
    assert [s for s in after if s["label"] != "manage staff"] == [s for s in before if s["label"] != "manage staff"]
    assert [{**s, "condition": True} for s in before if s["label"] == "manage staff"] == staff


def test_without_the_lexicon_the_phrasing_names_nothing(client: FlaskClient, engine: Engine,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The skill comes of the lexicon, not of the phrase's meaning: with IDIOMS off it is not extracted."""
    monkeypatch.setattr(target, "IDIOMS", False)
    skills = client.post("/v1/skills/extract", json={"text": "Line management of two direct reports"}).get_json()
    assert "manage staff" not in [s["label"] for s in skills["skills"]]


def test_a_named_tool_is_not_told_twice(client: FlaskClient) -> None:
    """'Microsoft Excel' is both an O*NET tool and a phrasing of the lexicon: the tool's evidence alone is kept."""
    skills = client.post("/v1/skills/extract", json={"text": "Reporting in Microsoft Excel"}).get_json()["skills"]
    sheet = next(s for s in skills if s["label"] == "use spreadsheets software")
    assert [e.get("tool", {}).get("name") for e in sheet["evidence"] if "tool" in e or "idiom" in e] == [
        "Microsoft Excel"]


def test_a_learner_holds_the_skill_of_a_phrasing_they_list(client: FlaskClient, engine: Engine) -> None:
    """A learner who lists "line management" holds managing staff, with the phrasing as the source; a skill written as
    ESCO names it is held as before."""
    staff = next(s for s in engine.artifact.skills if s["label"] == "manage staff")
    body = {"target": {"role_id": engine.artifact.roles[0]["id"]},
            "learner": {"skills": ["Line management", "manage staff"]}}
    held = client.post("/v1/gap", json=body).get_json()["held"]["skills"]
    assert held == [{"id": staff["id"], "label": "manage staff", "kind": staff["kind"], "confidence": 1.0,
                     "source": {"skill_text": "manage staff", "matched": "manage staff"}}]
    body["learner"] = {"skills": ["Line management"]}
    held = client.post("/v1/gap", json=body).get_json()["held"]["skills"]
    source = {"skill_text": "Line management", "matched": "manage staff", "idiom": "Line management"}
    assert held == [{"id": staff["id"], "label": "manage staff", "kind": staff["kind"],
                     "confidence": target.IDIOM_SCORE, "source": source}]


def test_a_learner_holds_a_language_they_list_with_its_level(client: FlaskClient, engine: Engine,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A learner who lists "Business <language> (B2)" holds the language's skill at IDIOM_SCORE, the name in the
    source, and nothing the rest of the words match less surely ("Business English (B2)" had held *OpenEdge Advanced
    Business Language*). A made-up language stands for one, mapped to a skill of the small catalogue."""
    skill = engine.artifact.skills[0]
    monkeypatch.setattr(engine, "language_finder", LanguageFinder({"Zorblish": Idiom("Zorblish", skill["id"],
                                                                                     skill["label"])}))
    body = {"target": {"role_id": engine.artifact.roles[0]["id"]}, "learner": {"skills": ["Business Zorblish (B2)"]}}
    held = client.post("/v1/gap", json=body).get_json()["held"]["skills"]
    source = {"skill_text": "Business Zorblish (B2)", "matched": skill["label"], "idiom": "Zorblish"}
    assert held == [{"id": skill["id"], "label": skill["label"], "kind": skill["kind"],
                     "confidence": target.IDIOM_SCORE, "source": source}]


def test_a_learner_s_phrasing_keeps_only_a_match_as_sure_as_itself(app: Flask, engine: Engine,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A text holding a phrasing ("... with three direct reports") holds the phrasing's skill, and the skill its
    words match best only when that scores IDIOM_SCORE too; without the lexicon, that best match alone."""
    body = {"target": {"role_id": engine.artifact.roles[0]["id"]},
            "learner": {"skills": ["Reporting analysis results with three direct reports"]}}
    client = app.test_client()
    monkeypatch.setattr(target, "IDIOMS", False)
    without = client.post("/v1/gap", json=body).get_json()["held"]["skills"]
    app.extensions["badgepath.answers"].entries.clear()  # the same request, answered anew
    monkeypatch.setattr(target, "IDIOMS", True)
    held = client.post("/v1/gap", json=body).get_json()["held"]["skills"]
    assert len(without) == 1 and without[0]["label"] != "manage staff" and without[0]["confidence"] < target.IDIOM_SCORE
    assert [(s["label"], s["source"].get("idiom")) for s in held] == [("manage staff", "direct reports")]


def test_a_badge_titled_with_a_phrasing_is_read_as_its_skill(client: FlaskClient, engine: Engine) -> None:
    """A badge that names no credential but holds a posting phrasing ("Line Management Award") is read as the
    phrasing's skill, and the answer says so."""
    staff = next(s for s in engine.artifact.skills if s["label"] == "manage staff")
    body = {"target": {"role_id": engine.artifact.roles[0]["id"]}, "learner": {"badges": ["Line Management Award"]}}
    held = client.post("/v1/gap", json=body).get_json()
    assert held["held"]["badges"] == [{"index": 0, "input": "Line Management Award", "resolved": "skill",
                                       "skill": staff["id"], "confidence": target.IDIOM_SCORE}]
    assert [s["source"] for s in held["held"]["skills"]] == [{"badge_text": "Line Management Award",
                                                              "idiom": "Line Management"}]


@pytest.mark.parametrize(("badge", "label", "idiom"), [
    ("PMP", "project management", "PMP"),
    ("Project Management Professional (PMP)", "project management", "PMP"),
    ("CompTIA Security+", "cyber security", "CompTIA Security+"),
    ("PSM I", "Agile project management", "PSM I"),
])
def test_a_certification_badge_is_read_as_the_skill_it_certifies(client: FlaskClient, engine: Engine, badge: str,
                                                                 label: str, idiom: str) -> None:
    """A badge naming a certification the catalogue has no course for ("PMP" was unmatched) holds the skill the
    certification attests, by the lexicon's certification rows, and the answer says which words were read."""
    skill = next(s for s in engine.artifact.skills if s["label"] == label)
    body = {"target": {"role_id": engine.artifact.roles[0]["id"]}, "learner": {"badges": [badge]}}
    held = client.post("/v1/gap", json=body).get_json()["held"]
    assert held["badges"] == [{"index": 0, "input": badge, "resolved": "skill", "skill": skill["id"],
                               "confidence": target.IDIOM_SCORE}]
    assert [(s["label"], s["source"]) for s in held["skills"]] == [(label, {"badge_text": badge, "idiom": idiom})]


def test_a_phrase_that_is_mostly_phrasings_is_read_for_sure_matches_only(engine: Engine,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A phrase whose phrasings are half its words or more ("Line management and budgeting") takes only skill
    matches as sure as the phrasings (phrased: "strong communication skills" had brought "teach communication methods");
    a longer phrase that only holds one is read as before; without the lexicon no phrase is."""
    def phrased(phrase: str) -> bool:
        """phrased on what the engine finds in the phrase."""
        return target.phrased(phrase, target.phrasings(engine, phrase))

    assert phrased("Line management and budgeting")
    assert phrased("Strong line management")
    assert not phrased("Line management of a team of analysts in a growing data function")
    assert not phrased("Forecasting revenue for the board")
    monkeypatch.setattr(target, "IDIOMS", False)
    assert not phrased("Line management and budgeting")
