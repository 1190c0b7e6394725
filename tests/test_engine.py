"""Engine properties on the small real catalogue slice: gap, path constraints, order, honesty, determinism."""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import pytest

from service import calibration, create_app
from service.build import build
from service.config import ROOT
from service.embed import Encoder
from service.engine import core, target, text
from service.engine.core import ALIGNMENT_TRUST, ALT, LABEL, Engine, NotFound, credential_urls, named_acronyms, url_key
from service.engine.learner import Holdings, hold_credential, learner_texts, resolve_learner
from service.engine.planner import Plan, coverage_matrix, preferred, prune, shares
from service.engine.recommend import assess, gap_report, recommend
from service.engine.target import TEXT_TIE_MARGIN, extract_skills, posting_roles, resolve_target, text_tie_break
from service.index import DESCRIPTION, VectorTable
from service.schemas import Constraints, GapRequest, Learner, RecommendationRequest, Target

from .catalogs import DATA_ANALYST, DATA_SCIENTIST, PLOT, claimed, edited_credentials

UMICH = "University of Michigan"


def ask(engine: Engine, body: dict[str, Any]) -> dict[str, Any]:
    """Run one recommendation request through the engine."""
    return recommend(engine, RecommendationRequest.model_validate(body))


def role_skills(engine: Engine, role_id: str) -> list[str]:
    """Skill ids of a role."""
    return [s["id"] for s in engine.role(engine.artifact.role_pos[role_id])["skills"]]


@pytest.mark.parametrize(
    "constraints",
    [{}, {"max_hours": 40}, {"max_steps": 3}, {"max_cost": 0}, {"max_hours": 100, "max_steps": 5, "level": "beginner"}],
)
def test_constraints_are_never_exceeded(engine: Engine, constraints: dict[str, Any]) -> None:
    """Totals stay within max_hours, max_steps and max_cost; totals add up."""
    answer = ask(engine, {"target": {"role_id": DATA_SCIENTIST}, "constraints": constraints})
    path = answer["path"]
    hours = sum(step["credential"]["hours"] for step in path["steps"])
    assert math.isclose(path["total_hours"], round(hours, 2))
    assert path["total_hours"] <= constraints.get("max_hours", math.inf)
    assert len(path["steps"]) <= constraints.get("max_steps", math.inf)
    assert path["total_cost"] <= constraints.get("max_cost", math.inf)
    assert path["steps"], "the data scientist gap is coverable in part by this catalogue"


def test_prerequisites_always_precede(engine: Engine) -> None:
    """With only University of Michigan credentials, the specialization's course chain appears in order."""
    answer = ask(engine, {"target": {"role_id": DATA_SCIENTIST}, "constraints": {"include_providers": [UMICH]}})
    order = [step["credential"]["id"] for step in answer["path"]["steps"]]
    assert order, "Michigan courses cover part of the gap"
    for position, cid in enumerate(order):
        for required in engine.credential(engine.artifact.credential_pos[cid]).get("requires", []):
            assert required in order[:position], f"{required} must come before {cid}"
    assert {engine.credential(engine.artifact.credential_pos[c])["provider"] for c in order} == {UMICH}


def test_a_language_filter_keeps_only_credentials_taught_in_those_languages(engine: Engine) -> None:
    """Every credential of this slice is taught in English: asking for English (any case) changes nothing, asking
    for Spanish leaves no step, and the skills the path would have reached are listed as not reached."""
    body: dict[str, Any] = {"target": {"role_id": DATA_SCIENTIST}}
    free, english = ask(engine, body), ask(engine, {**body, "constraints": {"languages": ["EN"]}})
    spanish = ask(engine, {**body, "constraints": {"languages": ["es"]}})
    assert free["path"]["steps"] and english == free
    assert {s["credential"]["language"] for s in free["path"]["steps"]} == {"en"}
    assert spanish["path"]["steps"] == [] and spanish["uncovered"] == free["uncovered"]
    assert spanish["not_reached"] == [g for g in free["gap"] if g not in free["uncovered"]]


@pytest.fixture(scope="module")
def spanish_michigan(tmp_path_factory: pytest.TempPathFactory, small_catalog: Path, encoder: Encoder) -> Engine:
    """The engine of a copy of the slice whose University of Michigan credentials are taught in Spanish."""
    def spanish(row: dict[str, Any]) -> None:
        """Michigan's courses in Spanish."""
        if row["provider"] == UMICH:
            row["language"] = "es"

    return edited_engine(tmp_path_factory, small_catalog, encoder, spanish)


def edited_engine(tmp_path_factory: pytest.TempPathFactory, small_catalog: Path, encoder: Encoder,
                  edit: Callable[[dict[str, Any]], None]) -> Engine:
    """The engine of a copy of the slice with edit applied to each credential, built into its own artifact."""
    catalog = edited_credentials(small_catalog, tmp_path_factory.mktemp("edited") / "catalog", edit)
    artifact = tmp_path_factory.mktemp("edited-artifact") / "artifact"
    build(catalog, artifact, encoder, ROOT / "models" / "cache", progress=False)
    app = create_app({"artifact_dir": artifact, "catalog_dir": catalog, "testing": True})
    edited: Engine = app.extensions["badgepath"].engine
    return edited


def languages_of(answer: dict[str, Any]) -> list[str]:
    """The language of each step of an answer's path."""
    return [s["credential"]["language"] for s in answer["path"]["steps"]]


def test_paths_prefer_english_and_say_why_a_step_is_not(engine: Engine, spanish_michigan: Engine) -> None:
    """With Michigan's courses in Spanish, a default path takes a Spanish step only for a gap skill that no English
    credential teaches, and says so in one warning; with no preference it is the all-English slice's path, with more
    Spanish steps; preferring Spanish ("spa") warns of the English steps instead."""
    body: dict[str, Any] = {"target": {"role_id": DATA_SCIENTIST}}
    default = ask(spanish_michigan, body)
    anything = ask(spanish_michigan, {**body, "constraints": {"prefer_languages": []}})
    spanish_first = ask(spanish_michigan, {**body, "constraints": {"prefer_languages": ["spa"]}})
    english = [lang for lang in languages_of(spanish_first) if lang == "en"]
    assert [w for w in spanish_first["warnings"] if w["code"] == "other_language"] == (
        [{"code": "other_language", "count": len(english), "languages": ["en"],
          "detail": f"{len(english)} of the {len(spanish_first['path']['steps'])} steps "
                    f"{'is' if len(english) == 1 else 'are'} taught in en, for gap skills that no credential in the "
                    "preferred languages (es) teaches within the constraints"}] if english else [])
    ids = [s["credential"]["id"] for s in anything["path"]["steps"]]
    assert ids == [s["credential"]["id"] for s in ask(engine, body)["path"]["steps"]]
    assert "es" in languages_of(anything) and not [w for w in anything["warnings"] if w["code"] == "other_language"]
    assert languages_of(default).count("es") < languages_of(anything).count("es")
    _, gap, _, _ = assess(spanish_michigan, RecommendationRequest.model_validate(body))
    cov = coverage_matrix(spanish_michigan, gap.missing)
    english = spanish_michigan.facts.language[cov.rows] == "en"
    columns = {g["id"]: j for j, g in enumerate(gap.missing)}
    others = [s for s in default["path"]["steps"] if s["credential"]["language"] != "en"]
    for step in others:
        assert any(not (cov.strength[english, columns[c["id"]]] > 0).any() for c in step["covers"])
    told = [w for w in default["warnings"] if w["code"] == "other_language"]
    assert told == ([{"code": "other_language", "count": len(others), "languages": ["es"],
                      "detail": f"{len(others)} of the {len(default['path']['steps'])} steps "
                                f"{'is' if len(others) == 1 else 'are'} taught in es, for gap skills that no "
                                "credential in the preferred languages (en) teaches within the constraints"}]
                    if others else [])


def test_an_english_step_never_gives_way_to_one_in_another_language(spanish_michigan: Engine) -> None:
    """Pruning: an English step whose gap skills a later Spanish step also covers stays (with no preference it is
    dropped, as any step that another covers wholly); the Spanish one stays for what only it covers."""
    request = RecommendationRequest.model_validate({"target": {"role_id": DATA_SCIENTIST}})
    _, gap, _, _ = assess(spanish_michigan, request)
    cov = coverage_matrix(spanish_michigan, gap.missing)
    covers = [set(row.nonzero()[0].tolist()) for row in cov.strength]
    spanish = spanish_michigan.facts.language[cov.rows] == "es"
    pairs = [(int(cov.rows[e]), int(cov.rows[o])) for e in np.flatnonzero(~spanish) for o in np.flatnonzero(spanish)
             if covers[e] and covers[e] < covers[o] and not spanish_michigan.facts.has_requires[cov.rows[[e, o]]].any()]
    assert pairs, "the slice has an English credential whose gap skills a Spanish one covers and more"
    english, other = pairs[0]
    ours = preferred(spanish_michigan, ("en",))
    kept = prune(spanish_michigan, cov, Plan(chosen=[english, other]), ours).chosen
    anything = prune(spanish_michigan, cov, Plan(chosen=[english, other]), np.ones_like(ours)).chosen
    assert (kept, anything) == ([english, other], [other])


def test_languages_the_catalogue_lacks_are_warned_about_and_prefer_nothing(spanish_michigan: Engine) -> None:
    """A preferred or filtered language no credential is taught in is named in a warning; preferring only such
    languages is no preference (the all-languages path), not a path in which every step is "other"."""
    body: dict[str, Any] = {"target": {"role_id": DATA_SCIENTIST}}
    catalan = ask(spanish_michigan, {**body, "constraints": {"prefer_languages": ["cat", "xx"]}})
    anything = ask(spanish_michigan, {**body, "constraints": {"prefer_languages": []}})
    assert catalan["path"] == anything["path"]
    assert catalan["warnings"] == [
        {"code": "unknown_language", "pointer": "/constraints/prefer_languages/0",
         "detail": "no credential in the catalogue is taught in 'cat'"},
        {"code": "unknown_language", "pointer": "/constraints/prefer_languages/1",
         "detail": "no credential in the catalogue is taught in 'xx'"}]
    filtered = ask(spanish_michigan, {**body, "constraints": {"languages": ["per"]}})
    assert filtered["path"]["steps"] == [] and [w["code"] for w in filtered["warnings"]] == ["unknown_language",
                                                                                           "no_path"]


def test_a_language_filter_outside_the_preference_is_not_warned_about(spanish_michigan: Engine) -> None:
    """Asking for Spanish only (as "ES" or "spa") leaves nothing preferred to fall back from: no other_language
    warning, and the same Michigan path either way."""
    body: dict[str, Any] = {"target": {"role_id": DATA_SCIENTIST}}
    upper = ask(spanish_michigan, {**body, "constraints": {"languages": ["ES"]}})
    three = ask(spanish_michigan, {**body, "constraints": {"languages": ["spa"]}})
    assert upper == three and upper["path"]["steps"] and set(languages_of(upper)) == {"es"}
    assert not [w for w in upper["warnings"] if w["code"] == "other_language"]


def test_prerequisite_is_added_and_explained(engine: Engine) -> None:
    """Asking for a course that needs another pulls the prerequisite in first, with the reason given."""
    answer = ask(engine, {"target": {"role_id": DATA_SCIENTIST},
                          "constraints": {"include_providers": [UMICH], "max_steps": 10}})
    steps = {s["credential"]["id"]: s for s in answer["path"]["steps"]}
    for cid in steps:
        requires = engine.credential(engine.artifact.credential_pos[cid]).get("requires", [])
        for required in requires:
            codes = [(r["code"], r.get("credential")) for r in steps[required]["reasons"]]
            assert ("prerequisite_of", cid) in codes


def test_uncovered_lists_exactly_the_skills_nothing_teaches(engine: Engine) -> None:
    """A gap skill is uncovered iff no credential in the catalogue covers it above threshold."""
    request = RecommendationRequest.model_validate({"target": {"role_id": DATA_SCIENTIST}})
    _, gap, _, _ = assess(engine, request)
    coverable = coverage_matrix(engine, gap.missing).strength.max(axis=0) > 0
    expected = sorted(g["id"] for g, ok in zip(gap.missing, coverable, strict=True) if not ok)
    answer = recommend(engine, request)
    assert sorted(u["id"] for u in answer["uncovered"]) == expected
    assert expected, "the small catalogue cannot teach every data scientist skill"
    covered = {c["id"] for step in answer["path"]["steps"] for c in step["covers"]}
    assert covered.isdisjoint(expected)


def test_empty_gap_gives_empty_path(engine: Engine) -> None:
    """A learner holding every required skill gets no steps and full coverage."""
    answer = ask(engine, {"learner": {"skills": role_skills(engine, DATA_SCIENTIST)},
                          "target": {"role_id": DATA_SCIENTIST}})
    assert (answer["gap"], answer["path"]["steps"], answer["uncovered"]) == ([], [], [])
    assert (answer["path"]["coverage_before"], answer["path"]["coverage_after"]) == (1.0, 1.0)
    assert answer["path"]["total_hours"] == 0 and answer["path"]["total_weeks"] == 0


def test_same_request_same_bytes(engine: Engine) -> None:
    """Same request and artifact give a byte-identical answer."""
    body = {"learner": {"badges": ["Introduction to SQL", "python programming"]},
            "target": {"title": "data analyst"}, "constraints": {"hours_per_week": 7}}
    first = json.dumps(ask(engine, body), sort_keys=True)
    assert all(json.dumps(ask(engine, body), sort_keys=True) == first for _ in range(3))


def test_timeline_follows_hours_per_week(engine: Engine) -> None:
    """Weeks are consecutive slices of cumulative hours at the learner's pace."""
    answer = ask(engine, {"target": {"role_id": DATA_SCIENTIST}, "constraints": {"hours_per_week": 4}})
    cumulative = 0.0
    for step in answer["path"]["steps"]:
        assert step["start_week"] == math.floor(cumulative / 4 + 1e-9) + 1
        cumulative += step["credential"]["hours"]
        assert step["end_week"] == max(step["start_week"], math.ceil(cumulative / 4 - 1e-9))
    assert answer["path"]["total_weeks"] == answer["path"]["steps"][-1]["end_week"]


def test_every_step_explains_itself(engine: Engine) -> None:
    """Each step names the gap skills it covers, with the credential's aligned skill and similarity."""
    answer = ask(engine, {"target": {"role_id": DATA_SCIENTIST}})
    gap_ids = {g["id"] for g in answer["gap"]}
    for step in answer["path"]["steps"]:
        assert step["why"]
        for cover in step["covers"]:
            assert cover["id"] in gap_ids
            assert cover["similarity"] >= 0.8 and cover["via"]["id"] and cover["via"]["matched_text"]
        assert len(step["alternatives"]) <= 2


def test_coverage_rises_along_the_path(engine: Engine) -> None:
    """Cumulative coverage never falls and ends at coverage_after."""
    path = ask(engine, {"target": {"role_id": DATA_SCIENTIST}})["path"]
    values = [path["coverage_before"]] + [s["cumulative_coverage"] for s in path["steps"]]
    assert values == sorted(values) and values[-1] == path["coverage_after"]


def test_held_credential_is_excluded_and_counts(engine: Engine) -> None:
    """A held catalogue badge never reappears in the path and its skills count as held."""
    first = ask(engine, {"target": {"role_id": DATA_SCIENTIST}})["path"]["steps"][0]["credential"]["id"]
    answer = ask(engine, {"learner": {"badges": [first]}, "target": {"role_id": DATA_SCIENTIST}})
    assert first not in [s["credential"]["id"] for s in answer["path"]["steps"]]
    assert answer["path"]["coverage_before"] > 0


def test_unknown_ids_are_reported_not_dropped(engine: Engine) -> None:
    """Unknown badge and skill ids come back as warnings with their location."""
    request = GapRequest.model_validate({
        "learner": {"badges": ["no-such-badge-id"], "skills": ["http://data.europa.eu/esco/skill/nope"]},
        "target": {"role_id": DATA_SCIENTIST},
    })
    warnings = gap_report(engine, request)["warnings"]
    assert warnings == [
        {"code": "unknown_badge", "detail": "badge id 'no-such-badge-id' is not in the catalogue",
         "pointer": "/learner/badges/0"},
        {"code": "unknown_skill", "detail": "skill id 'http://data.europa.eu/esco/skill/nope' is not in the taxonomy",
         "pointer": "/learner/skills/0"},
    ]


def test_a_badge_title_dressed_with_its_issuer_or_kind_finds_its_credential(engine: Engine) -> None:
    """A learner's badge title names the catalogue credential even with its issuer in brackets or its kind after it
    (text.badge_name); the name alone is matched as before."""
    cred = engine.credential(engine.artifact.credential_pos[PLOT])
    for badge in (cred["name"], f"{cred['name']} ({cred['provider']})", f"{cred['name']} Professional Certificate"):
        held = gap_report(engine, GapRequest.model_validate({
            "target": {"role_id": DATA_SCIENTIST}, "learner": {"badges": [badge]}}))["held"]
        assert [(b["resolved"], b.get("credential")) for b in held["badges"]] == [("credential", PLOT)], badge
        assert held["badges"][0]["confidence"] == 1.0


def test_a_badge_title_naming_another_issuer_is_not_read_as_this_credential(engine: Engine) -> None:
    """Undressed, a title names PLOT exactly, but its brackets name another catalogue provider (IBM), or no provider
    with a name that is not near-exact: the title is then read only as written, at its own lower score."""
    cred = engine.credential(engine.artifact.credential_pos[PLOT])
    for badge in (f"{cred['name']} (IBM)", "Applied Plotting in Python (Metana)"):
        held = gap_report(engine, GapRequest.model_validate({
            "target": {"role_id": DATA_SCIENTIST}, "learner": {"badges": [badge]}}))["held"]
        assert all(b.get("confidence", 0.0) < 1.0 for b in held["badges"]), (badge, held["badges"])


def test_an_unknown_excluded_credential_is_reported(engine: Engine) -> None:
    """An exclude_credentials id the catalogue lacks excluded nothing, and the answer says so where it was given."""
    answer = ask(engine, {"target": {"role_id": DATA_SCIENTIST},
                          "constraints": {"exclude_credentials": ["coursera-no-such-course"]}})
    assert [w for w in answer["warnings"] if w["code"] == "unknown_credential"] == [
        {"code": "unknown_credential", "pointer": "/constraints/exclude_credentials/0",
         "detail": "credential id 'coursera-no-such-course' is not in the catalogue, so it excluded nothing"}]
    assert answer["path"] == ask(engine, {"target": {"role_id": DATA_SCIENTIST}})["path"]


def test_an_unknown_provider_is_reported(engine: Engine) -> None:
    """A listed provider the catalogue lacks (this slice has none named "Coursera") is reported where it was
    given: included, it matched no credential (so there is no path); excluded, it excluded nothing. A known provider
    in any case is no warning."""
    known = engine.credential_refs[0]["provider"]
    answer = ask(engine, {"target": {"role_id": DATA_SCIENTIST},
                          "constraints": {"include_providers": ["Coursera", known.upper()]}})
    assert [w for w in answer["warnings"] if w["code"] == "unknown_provider"] == [
        {"code": "unknown_provider", "pointer": "/constraints/include_providers/0",
         "detail": "no credential in the catalogue is offered by 'Coursera', so it matched no credential"}]
    answer = ask(engine, {"target": {"role_id": DATA_SCIENTIST}, "constraints": {"exclude_providers": ["edX"]}})
    assert [w for w in answer["warnings"] if w["code"] == "unknown_provider"] == [
        {"code": "unknown_provider", "pointer": "/constraints/exclude_providers/0",
         "detail": "no credential in the catalogue is offered by 'edX', so it excluded nothing"}]
    assert answer["path"] == ask(engine, {"target": {"role_id": DATA_SCIENTIST}})["path"]


def test_esco_ids_may_be_written_with_https_or_as_the_bare_uuid(engine: Engine) -> None:
    """A role id as its bare UUID and a held skill id with https read as the ESCO URIs they abbreviate."""
    uuid = DATA_SCIENTIST.rsplit("/", 1)[1]
    skill = role_skills(engine, DATA_SCIENTIST)[0]
    full = ask(engine, {"target": {"role_id": DATA_SCIENTIST}, "learner": {"skills": [skill]}})
    short = ask(engine, {"target": {"role_id": uuid.upper()},
                         "learner": {"skills": [skill.replace("http://", "https://")]}})
    assert short["target"] == full["target"] and short["path"] == full["path"]
    for written in (DATA_SCIENTIST.upper() + "/", DATA_SCIENTIST.replace("http://", "HTTPS://")):
        assert ask(engine, {"target": {"role_id": written}, "learner": {"skills": [skill]}})["path"] == full["path"]
    with pytest.raises(NotFound):  # a UUID under another kind or domain names no role
        ask(engine, {"target": {"role_id": DATA_SCIENTIST.replace("occupation", "skill")}})
    assert [s["id"] for s in short["held"]["skills"]] == [skill] and not short["warnings"]


def test_weak_title_says_no_good_match(engine: Engine) -> None:
    """A title no role resembles yields a warning and no invented profile."""
    report = gap_report(engine, GapRequest.model_validate({"target": {"title": "qwzx plorf"}}))
    assert [w["code"] for w in report["warnings"]] == ["no_role_match"]
    assert report["required"] == [] and report["target"]["role"] is None
    assert (report["target"]["resolved"], report["coverage"]) == (False, 1.0)  # 1.0 of nothing, and it says so
    assert gap_report(engine, GapRequest.model_validate({"target": {"role_id": DATA_SCIENTIST}}))["target"]["resolved"]
    assert report["warnings"][0]["detail"].startswith(f"no role matched above {calibration.ROLE_MATCH} (")


def test_weak_posting_names_the_description_threshold(engine: Engine) -> None:
    """A posting no role description resembles is judged, and reported, against ROLE_TEXT_MATCH."""
    report = gap_report(engine, GapRequest.model_validate({"target": {"description": "qwzx plorf blorb"}}))
    warning = next(w for w in report["warnings"] if w["code"] == "no_role_match")
    assert warning["detail"].startswith(f"no role matched above {calibration.ROLE_TEXT_MATCH} (")


def read_from(cred: dict[str, Any], item: dict[str, Any]) -> str:
    """What an alignment was read from, by the record: the catalogue, a provider tag or a description sentence."""
    if item.get("source") != "inferred":
        return "catalogue"
    return "tag" if item["matched_text"] in cred.get("skill_tags", []) else "description"


def claimable(engine: Engine, cred: dict[str, Any]) -> list[dict[str, Any]]:
    """The alignments of a credential a path may claim (catalogs.claimed)."""
    return [s for s in cred["skills"] if claimed(engine, cred, s)]


def test_alignment_floors_are_the_documented_ones() -> None:
    """The floors and the moderate band are the measured ones (docs/QUALITY.md, session 25)."""
    assert (core.PATH_TEXT_FLOOR, core.PATH_TAG_FLOOR, core.STRONG_TEXT, core.PATH_SUPPORT) == (0.60, 0.70, 0.70, 0.30)


def test_weak_alignments_neither_cover_nor_are_held(engine: Engine) -> None:
    """A description sentence under 0.60 or a tag under 0.70 is a coin flip on the labelled samples: no credential
    covers a skill through one, and a learner holding the credential does not hold it."""
    weak = [(c, s) for c in engine.artifact.credentials for s in c["skills"] if s not in claimable(engine, c)]
    kinds = {read_from(c, s) for c, s in weak}
    assert "tag" in kinds and kinds <= {"tag", "description"}
    teach = engine.teaching
    floors = {"catalogue": 0.0, "tag": 0.70, "description": 0.60}
    assert all(conf >= floors[src] - 1e-6 for conf, src in zip(teach.confidence.tolist(), teach.source, strict=True))
    assert len(teach.source) == sum(len(claimable(engine, c)) for c in engine.artifact.credentials)
    cred, item = next((c, s) for c, s in weak if s["id"] not in {t["id"] for t in claimable(engine, c)})
    held = Holdings()
    hold_credential(engine, held, engine.artifact.credential_pos[cred["id"]], 1.0)
    assert engine.artifact.skill_pos[item["id"]] not in held.skills
    assert {engine.skill(p)["id"] for p in held.skills} == {t["id"] for t in claimable(engine, cred)}


def test_a_badge_whose_credential_teaches_nothing_surely_says_so(engine: Engine) -> None:
    """A learner's badge held as a credential none of whose alignments clears its floor holds no skill, and the
    answer says why; a credential with a claimable alignment draws no such warning."""
    bare = next(c for c in engine.artifact.credentials if c["skills"] and not claimable(engine, c))
    sure = next(c for c in engine.artifact.credentials if claimable(engine, c))
    held = resolve_learner(engine, Learner(badges=[bare["id"], sure["id"]]))
    assert held.warnings == [{
        "code": "credential_teaches_no_known_skill", "pointer": "/learner/badges/0",
        "detail": f"badge {bare['id']!r} is the catalogue credential {bare['name']!r}, but none of its skills is "
                  f"aligned surely enough to count as held"}]
    assert {engine.skill(p)["id"] for p in held.skills} == {s["id"] for s in claimable(engine, sure)}


def test_precomputed_neighbours_match_exact_similarity(engine: Engine) -> None:
    """Coverage from the artifact's neighbour table equals brute force over every taught skill: the best similarity
    (at least SKILL_COVER) times the alignment's confidence to the power ALIGNMENT_TRUST, and that pair's
    similarity."""
    from service import calibration

    _, gap, _, _ = assess(engine, RecommendationRequest.model_validate({"target": {"role_id": DATA_SCIENTIST}}))
    cov = coverage_matrix(engine, gap.missing)
    strength = cov.dense(len(engine.artifact.credentials))
    rows = dict(zip(cov.rows.tolist(), range(len(cov.rows)), strict=True))
    vectors = engine.skill_vectors
    for c, cred in enumerate(engine.artifact.credentials):
        taught = [(engine.artifact.skill_pos[s["id"]], s["confidence"]) for s in claimable(engine, cred)]
        for g, entry in enumerate(gap.missing):
            sims = [(1.0 if t == entry["pos"] else float(vectors[t] @ vectors[entry["pos"]]), conf)
                    for t, conf in taught]
            eligible = [(sim * conf ** ALIGNMENT_TRUST, sim) for sim, conf in sims if sim >= calibration.SKILL_COVER]
            best, similarity = max(eligible, default=(0.0, 0.0))
            assert abs(strength[c, g] - best) < 1e-5, (cred["id"], entry["label"])
            assert abs((cov.similarity[rows[c], g] if c in rows else 0.0) - similarity) < 1e-5


def test_each_cover_names_the_credential_s_best_aligned_skill(engine: Engine) -> None:
    """A step's cover is reached through the credential's aligned skill that covers the gap skill best (brute force:
    cosine over its aligned skills, times the alignment's confidence to the power ALIGNMENT_TRUST, among those at
    least SKILL_COVER similar), with that skill's similarity and the alignment's own text and confidence."""
    answer = ask(engine, {"target": {"role_id": DATA_SCIENTIST}})
    vectors = engine.skill_vectors
    covers = [(step["credential"]["id"], cover) for step in answer["path"]["steps"] for cover in step["covers"]]
    assert covers
    for cid, cover in covers:
        cred = engine.credential(engine.artifact.credential_pos[cid])
        gap_pos = engine.artifact.skill_pos[cover["id"]]
        skills = claimable(engine, cred)
        sims = [1.0 if s["id"] == cover["id"] else float(vectors[engine.artifact.skill_pos[s["id"]]] @ vectors[gap_pos])
                for s in skills]
        scores = [sim * s["confidence"] ** ALIGNMENT_TRUST if sim >= calibration.SKILL_COVER else -1.0
                  for sim, s in zip(sims, skills, strict=True)]
        best = skills[int(np.argmax(scores))]
        source = read_from(cred, best)
        assert cover["via"] == {"id": best["id"], "label": engine.skill(engine.artifact.skill_pos[best["id"]])["label"],
                                "matched_text": best["matched_text"],
                                "alignment_confidence": round(float(best["confidence"]), 4), "read_from": source,
                                "evidence": "moderate" if source == "description" and best["confidence"] < 0.7
                                else "strong"}
        assert abs(cover["similarity"] - sims[int(np.argmax(scores))]) < 1e-4


def test_answer_cache_serves_identical_bytes(app: Any) -> None:
    """A repeated recommendation is answered from the worker's cache with the same bytes; a new one is computed."""
    answers = app.extensions["badgepath.answers"]
    client = app.test_client()
    body = {"target": {"role_id": DATA_SCIENTIST}, "constraints": {"max_steps": 2, "hours_per_week": 3}}
    first = client.post("/v1/recommendations", json=body)
    size = len(answers.entries)
    second = client.post("/v1/recommendations", json={**body, "learner": {"badges": [], "skills": []}})
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and len(answers.entries) == size  # same validated request, same key
    client.post("/v1/recommendations", json={**body, "constraints": {"max_steps": 3}})
    assert len(answers.entries) == min(size + 1, answers.size)


def test_an_exact_name_ranks_the_record_it_is_the_preferred_name_of_first() -> None:
    """Two skills named by the same text ("project management": an alt label of project commissioning, the label
    of project management): the search ranks the one it is the preferred label of first, whatever their order."""
    name, other = np.eye(4, dtype=np.float32)[0], np.eye(4, dtype=np.float32)[1]
    vectors = np.stack([name, other, name, other])  # owner 0: alt label + description; owner 1: label + description
    index = faiss.IndexFlatIP(4)
    index.add(vectors)
    table = VectorTable(index, np.array([0, 0, 1, 1]), np.array([ALT, DESCRIPTION, LABEL, DESCRIPTION]),
                        ["project management", "d0", "project management", "d1"])
    hits = table.search(name[None, :], 2)[0]
    assert [(h.owner, h.kind, h.text) for h in hits] == [(1, LABEL, "project management"),
                                                         (0, ALT, "project management")]


def test_a_posting_puts_first_the_profile_skills_it_talks_about(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A profile skill the posting describes, under the bar for extraction, rises above the profile skills it does
    not mention: importance takes in the phrase's support, and the answer names the phrase."""
    text = "Data Scientist\nYou will keep a tidy record of the research data we collect and share it openly."
    monkeypatch.setattr(target, "KNOWLEDGE_SHARE", 1.0)  # *data ethics* is a knowledge concept (see the test below)
    monkeypatch.setattr(target, "ROLE_ONLY_SHARE", 1.0)  # and named by the roles alone
    _, required, _ = resolve_target(engine, Target(description=text))
    share = target.SUPPORT_SHARE
    monkeypatch.setattr(target, "SUPPORT_SHARE", 0.0)
    _, plain, _ = resolve_target(engine, Target(description=text))
    labels, plain_labels = [r["label"] for r in required], [r["label"] for r in plain]
    assert (plain_labels.index("data ethics"), labels.index("data ethics")) == (20, 4)  # by the roles' weights alone
    profile = plain[20]["importance"]  # essential to both roles blended, whose weights sum to 1
    assert profile == round(1 - math.exp(-target.ROLE_SHARE), 4)
    assert required[4] == {
        "id": "http://data.europa.eu/esco/skill/e9575f7f-053a-439e-8074-f93df3334e92", "label": "data ethics",
        "kind": "knowledge", "pos": 347, "relation": "essential",
        "importance": pytest.approx((profile + share * 0.5252) / (1 + share), abs=1e-4),
        "evidence": [
            {"source": "role", "role_id": DATA_SCIENTIST, "role_title": "data scientist", "relation": "essential"},
            {"source": "role", "role_id": DATA_ANALYST, "role_title": "data analyst", "relation": "essential"}],
        "text_support": {"score": 0.5252, "phrase": text.splitlines()[1].rstrip(".")}}
    assert [r["id"] for r in extract_skills(engine, text)[0].values()] == [
        next(r["id"] for r in required if r["label"] == "manage research data")]  # the one skill extracted


def test_a_slash_title_is_also_read_as_its_first_alternative(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A title joining alternatives with a spaced slash is also read as its first, the main title ("Welder /
    Fabricator" read whole matched *electron beam welder* on the full catalogue); the best-scoring reading wins. An
    unspaced slash shares a head and is not split."""
    assert target.title_readings(engine, "Senior Welder / Fabricator - Perth") == [
        "Senior Welder / Fabricator - Perth", "Welder / Fabricator", "Welder"]
    assert target.title_readings(engine, "UX/UI Designer") == ["UX/UI Designer",
                                                               "user experience/user interface Designer"]
    both = Target(title="Data Analyst / Scientist")
    assert (resolve_target(engine, both)[0]["role"]["title"], resolve_target(engine, both)[0]["role"]["score"]) == (
        "data analyst", 1.0)
    monkeypatch.setattr(text, "TITLE_ALTERNATIVES", False)
    assert resolve_target(engine, both)[0]["role"]["title"] == "data scientist"  # read whole


class Refuse:
    """An encoder that fails on any text: what a batch did not encode beforehand would reach it."""

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Fail, naming the texts."""
        raise AssertionError(f"not encoded beforehand: {texts}")


def test_a_batch_encodes_beforehand_every_text_a_posting_is_read_by(engine: Engine) -> None:
    """target_texts lists what resolving the target encodes, acronym plurals read singular included ("GPs"), and the
    runs of a one-paragraph posting's opening words with their readings."""
    posting = Target(description="Pharmacist\nLiaise with GPs and hospital teams on prescriptions. Write SOPs.\n"
                                 "Manage the dispensary team and check prescriptions for safety.")
    flat = Target(description="Ref: DA-0412 Data Analyst Acme Analytics Ltd, Leeds Full-time, £32,000 You will write "
                              "SQL queries and build dashboards for our finance team.")
    for item in (posting, flat):
        view = engine.preencoded(target.target_texts(engine, item))
        view.encoder.encoder = Refuse()  # type: ignore[attr-defined]
        assert resolve_target(view, item) == resolve_target(engine, item)
    assert resolve_target(engine, flat)[0]["title_line"] == "Data Analyst"


def test_a_batch_encodes_beforehand_every_text_a_learner_is_read_by(engine: Engine) -> None:
    """learner_texts lists what resolving a learner's free text encodes, read as resolve_learner reads it: acronym
    plurals singular ("GPs", "SOPs"), as in postings."""
    learner = Learner(badges=["Writing SOPs for the lab"], skills=["Liaising with GPs", "SQL", "data analysis"])
    assert learner_texts(engine, learner) == [
        "Writing SOP for the lab", "Writing standard operating procedure (SOP) for the lab", "Liaising with GP", "SQL",
        "data analysis"]
    view = engine.preencoded(learner_texts(engine, learner))
    view.encoder.encoder = Refuse()  # type: ignore[attr-defined]
    assert resolve_learner(view, learner) == resolve_learner(engine, learner)


def test_a_posting_s_title_supports_the_skills_it_names(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-sentence advert whose sentence is set aside (pay in it) keeps its title: the title's role skills are
    ordered by how closely the title reads as them, not by id (TITLE_SUPPORT)."""
    posting = Target(description="Data Analyst needed for our busy Leeds office, £32,000 per annum.")
    monkeypatch.setattr(target, "KNOWLEDGE_SHARE", 1.0)  # the kinds weighed alike (see its own test)
    summary, required, _ = resolve_target(engine, posting)
    support = [r["text_support"]["score"] for r in required if r["relation"] == "essential"]
    assert summary["title_line"] == "Data Analyst"  # the head of the advert (text.head_title)
    assert {r["text_support"]["phrase"] for r in required} == {summary["title_line"]}
    assert support == sorted(support, reverse=True) and len(set(support)) > 1
    monkeypatch.setattr(target, "TITLE_SUPPORT", False)
    assert all("text_support" not in r for r in resolve_target(engine, posting)[1])


class Counting:
    """An encoder that records the calls it gets, passing them to the real one."""

    def __init__(self, encoder: Any):
        self.encoder, self.calls = encoder, []

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """The real encoder's vectors, the call recorded."""
        self.calls.append(list(texts))
        return self.encoder.encode_queries(texts)  # type: ignore[no-any-return]


def test_a_posting_s_title_is_encoded_once_for_its_roles_and_its_text_support(engine: Engine) -> None:
    """The title's text support reuses the vector its role match encoded: no call of its own for it (a second
    forward pass when the query cache is off). The phrases are encoded in one call, the title line among them."""
    view = copy.copy(engine)
    view.encoder = counting = Counting(engine.encoder)
    posting = Target(description="Data Analyst\nBuild dashboards in Power BI and report to the finance team.")
    assert resolve_target(view, posting) == resolve_target(engine, posting)
    assert counting.calls.count(["Data Analyst"]) == 1


def test_a_path_bounded_by_steps_takes_the_biggest_gain_first(engine: Engine) -> None:
    """With max_steps bounding the path, a step is worth its gain, not its gain per hour: one step is the credential
    that covers the most importance-weighted gap (the shortest of those on a tie), also under a max_hours that leaves
    room for it, and the best that fits under one that does not."""
    request = RecommendationRequest.model_validate({"target": {"role_id": DATA_SCIENTIST}})
    _, gap, _, _ = assess(engine, request)
    cov = coverage_matrix(engine, gap.missing)
    alone = np.array([not engine.credential(int(p)).get("requires") for p in cov.rows])
    gains = np.round(cov.strength[alone] @ cov.importance, 6)
    hours = np.array([engine.credential(int(p))["hours"] for p in cov.rows[alone]])
    best = cov.rows[alone][np.lexsort((hours, -gains))[0]]

    def first(constraints: dict[str, Any]) -> str:
        """The one step's credential id."""
        body = {"target": {"role_id": DATA_SCIENTIST}, "constraints": {"max_steps": 1, **constraints}}
        steps = ask(engine, body)["path"]["steps"]
        assert len(steps) == 1
        return str(steps[0]["credential"]["id"])

    per_hour = gains / np.maximum(hours, 0.5)
    assert per_hour[list(cov.rows[alone]).index(best)] < per_hour.max(), "per hour, another step would come first"
    assert first({}) == first({"max_hours": 10_000}) == engine.credential(int(best))["id"]
    fits = hours <= hours[list(cov.rows[alone]).index(best)] - 0.01
    assert first({"max_hours": float(hours[fits].max())}) == engine.credential(
        int(cov.rows[alone][fits][np.lexsort((hours[fits], -gains[fits]))[0]]))["id"]


def test_a_gain_is_weighed_by_the_larger_share_of_the_bounds_it_uses() -> None:
    """Per hour (half an hour at least) without max_steps; per step with max_steps alone; with max_hours too, by the
    larger of its share of the steps and of the hours."""
    hours, steps = np.array([0.2, 1.5, 40.0, 120.0]), np.ones(4)
    assert shares(hours, steps, Constraints()).tolist() == [0.5, 1.5, 40.0, 120.0]
    assert shares(hours, steps, Constraints(max_hours=100)).tolist() == [0.5, 1.5, 40.0, 120.0]
    assert shares(hours, steps, Constraints(max_steps=4)).tolist() == [0.25] * 4
    assert shares(hours, steps, Constraints(max_steps=4, max_hours=200)).tolist() == [0.25, 0.25, 0.25, 0.6]


def test_the_answer_says_why_its_path_is_empty_unpriced_or_off_level(engine: Engine) -> None:
    """Constraints that leave no credential to take give a no_path warning naming them; under a budget, steps with
    no published price are counted; a preferred level that fewer than half the steps have is said to be scarce."""
    body: dict[str, Any] = {"target": {"role_id": DATA_SCIENTIST}}
    nobody = ask(engine, {**body, "constraints": {"include_providers": ["Udemy"], "languages": ["fr"]}})
    assert (nobody["path"]["steps"], nobody["warnings"]) == ([], [
        {"code": "unknown_provider", "pointer": "/constraints/include_providers/0",
         "detail": "no credential in the catalogue is offered by 'Udemy', so it matched no credential"},
        {"code": "unknown_language", "pointer": "/constraints/languages/0",
         "detail": "no credential in the catalogue is taught in 'fr'"},  # this slice is all English
        {"code": "no_path", "detail": "no credential that teaches a gap skill is left to take within the constraints "
                                      '(include_providers ["Udemy"]; languages ["fr"])'}])
    blamed = ask(engine, {**body, "constraints": {"exclude_providers": ["Udemy"], "exclude_credentials": ["nope-123"],
                                                  "languages": ["xx"]}})
    assert blamed["warnings"][-1] == {  # only the filter that left a credential out is named
        "code": "no_path", "detail": "no credential that teaches a gap skill is left to take within the constraints "
                                     '(languages ["xx"])'}
    loose = ask(engine, {**body, "constraints": {"max_hours": 100000, "max_cost": 100000, "languages": ["xx"]}})
    assert loose["warnings"][-1]["detail"].endswith('(languages ["xx"])')  # bounds no credential exceeds go unnamed
    short = ask(engine, {**body, "constraints": {"max_hours": 1, "level": "beginner"}})
    assert short["warnings"] == [{"code": "no_path", "detail": "no credential that teaches a gap skill is left to "
                                                               "take within the constraints (max_hours 1)"}]
    free = ask(engine, {**body, "constraints": {"max_cost": 0}})
    steps = len(free["path"]["steps"])
    assert steps and free["warnings"] == [{
        "code": "cost_unknown", "count": steps,
        "detail": f"{steps} of the {steps} steps publish no price, so max_cost could not be checked for them"}]
    advanced = ask(engine, {**body, "constraints": {"level": "advanced"}})
    levels = [s["credential"]["level"] for s in advanced["path"]["steps"]]
    at = levels.count("advanced")
    assert 2 * at < len(levels) and advanced["warnings"] == [{
        "code": "few_at_level", "level": "advanced", "count": at,
        "detail": f"only {at} of the {len(levels)} steps are at the preferred level (advanced)"}]
    assert ask(engine, body)["warnings"] == ask(engine, {**body, "constraints": {"level": "mixed"}})["warnings"] == []


def test_a_phrase_names_the_skill_acronym_it_holds() -> None:
    """A skill's acronym label inside a phrase is read on its own at the list-item bar; not in a phrase written all in
    capitals (a shouted heading), nor when NAMED_ACRONYMS is off."""
    plain = target.matchable(["You will write SQL against our warehouse"], frozenset({"SQL"}))
    assert ("SQL", target.MENTION_SKILL) in plain and ("SQL", target.MENTION_SKILL) not in target.matchable(
        ["You will write SQL against our warehouse"])
    assert all(item != "SQL" for item, _ in target.matchable(["WRITE SQL AGAINST OUR WAREHOUSE"], frozenset({"SQL"})))


def test_skill_acronyms_read_in_phrases_leave_out_shouted_words() -> None:
    """Acronym labels are read inside phrases, except LESS and SPARK, which postings write in capitals for emphasis."""
    assert named_acronyms(["SQL", "GDPR", "LESS", "SPARK", "Python", "C++"]) == {"SQL", "GDPR"}


@pytest.fixture(scope="module")
def with_addresses(tmp_path_factory: pytest.TempPathFactory, small_catalog: Path, encoder: Encoder) -> Engine:
    """The engine of a copy of the slice whose credentials each publish a web address."""
    def address(row: dict[str, Any]) -> None:
        """A course page for each credential."""
        row["url"] = f"https://www.example.org/learn/{row['id']}"

    return edited_engine(tmp_path_factory, small_catalog, encoder, address)


def test_a_badge_given_as_the_credential_s_web_address_is_that_credential(with_addresses: Engine) -> None:
    """A learner who gives a credential by its own page (another scheme, no "www.", a trailing slash, a query) holds
    that credential, exactly as by its id, and the path does not recommend it again; another page is no credential."""
    first = ask(with_addresses, {"target": {"role_id": DATA_SCIENTIST}})["path"]["steps"][0]["credential"]["id"]
    page = f"http://example.org/learn/{first}/?utm_source=mail"
    by_page = ask(with_addresses, {"target": {"role_id": DATA_SCIENTIST}, "learner": {"badges": [page]}})
    by_id = ask(with_addresses, {"target": {"role_id": DATA_SCIENTIST}, "learner": {"badges": [first]}})
    assert by_page["held"]["badges"] == [{"index": 0, "input": page, "resolved": "credential", "credential": first,
                                          "confidence": 1.0}]
    assert {**by_page, "held": None} == {**by_id, "held": None}
    assert first not in [s["credential"]["id"] for s in by_page["path"]["steps"]]
    assert with_addresses.credential_at("https://www.example.org/learn/nothing-here") is None
    assert with_addresses.credential_at("https://www.example.org/learn") is None


@pytest.mark.parametrize(("url", "key"), [
    ("https://www.edx.org/course/x/?utm_source=mail#top", "edx.org/course/x"),
    ("http://EDX.org/course/x", "edx.org/course/x"),
    ("https://site.org/course.php?id=1", "site.org/course.php?id=1"),
    ("https://site.org/course.php?utm_medium=x&id=1", "site.org/course.php?id=1"),
])
def test_a_web_address_is_looked_up_without_scheme_www_slash_or_tracking(url: str, key: str) -> None:
    """Scheme, "www.", a trailing slash, a fragment and utm_ parameters do not change which page an address names;
    other query parameters do."""
    assert url_key(url) == key


def test_an_address_two_credentials_share_names_neither() -> None:
    """Two credentials published under one address (after url_key) are found by neither; others by theirs."""
    refs: list[dict[str, Any]] = [{"url": "https://a.org/c?id=1"}, {"url": "https://a.org/c?id=2"},
                                  {"url": "https://a.org/d"}, {"url": "http://a.org/d/"}, {}]
    assert credential_urls(refs) == {"a.org/c?id=1": 0, "a.org/c?id=2": 1}


@pytest.mark.parametrize("title", ["cna", "C.N.A.", "CNA"])
def test_a_title_typed_as_one_acronym_in_lower_case_or_with_full_stops_is_read_in_capitals(
        engine: Engine, title: str) -> None:
    """"cna" had met *milling machine operator* and "C.N.A." a refrigeration technician: a title that is one known
    acronym typed in lower case or with full stops is read as the acronym (target.acronym_title)."""
    assert target.title_readings(engine, title)[:2] == ["CNA", "certified nursing assistant"]
    assert target.acronym_title(engine, "it") == "it" and target.acronym_title(engine, "nurse") == "nurse"


def test_a_gap_no_credential_teaches_is_said_plainly(engine: Engine) -> None:
    """A learner who holds every missing skill a credential teaches is left a gap no credential is known to teach: the
    path is empty and a warning says so plainly; the first answer, with a path, has no such warning."""
    first = ask(engine, {"target": {"role_id": DATA_SCIENTIST}})
    uncovered = {s["id"] for s in first["uncovered"]}
    taught = [s["id"] for s in first["gap"] if s["id"] not in uncovered]
    assert first["path"]["steps"] and taught and uncovered
    assert all(w["code"] != "no_credential_teaches_gap" for w in first["warnings"])
    left = ask(engine, {"target": {"role_id": DATA_SCIENTIST}, "learner": {"skills": taught}})
    count = len(uncovered)
    assert (left["path"]["steps"], {s["id"] for s in left["uncovered"]}) == ([], uncovered)
    assert [w for w in left["warnings"] if w["code"] == "no_credential_teaches_gap"] == [{
        "code": "no_credential_teaches_gap", "count": count,
        "detail": f"no catalogue credential is known to teach any of the {count} missing skills (listed under "
                  "uncovered): hands-on skills are often learnt at work, on an apprenticeship or through a vocational "
                  "qualification"}]
    target = {"role_id": DATA_SCIENTIST}
    answers = (ask(engine, {"target": target, "learner": {"skills": [t for t in taught if t != skip]}})
               for skip in taught)  # a skill left out may still be covered by a held one as similar
    one = next(a for a in answers if len(a["gap"]) == count + 1)
    assert one["path"]["steps"] and count >= 0.85 * (count + 1)
    assert [w for w in one["warnings"] if w["code"] == "no_credential_teaches_gap"] == [{
        "code": "no_credential_teaches_gap", "count": count,
        "detail": f"no catalogue credential is known to teach {count} of the {count + 1} missing skills (listed under "
                  "uncovered): hands-on skills are often learnt at work, on an apprenticeship or through a vocational "
                  "qualification"}]


def test_a_path_cut_short_by_its_constraints_says_so(engine: Engine) -> None:
    """Gap skills a credential teaches but the path leaves out are listed under not_reached, and a path_stops_short
    warning counts them and names the constraints that left their credentials out; a path with room names none."""
    body: dict[str, Any] = {"target": {"role_id": DATA_SCIENTIST}}
    whole = ask(engine, body)
    assert whole["not_reached"] == [] and not any(w["code"] == "path_stops_short" for w in whole["warnings"])
    one = ask(engine, {**body, "constraints": {"max_steps": 1}})
    left = len(one["not_reached"])
    assert len(one["path"]["steps"]) == 1 and left > 0
    assert one["warnings"] == [{
        "code": "path_stops_short", "count": left,
        "detail": f"{left} gap skills that a catalogue credential teaches are not reached by this path (listed under "
                  "not_reached): the constraints (max_steps 1) leave out the credentials that teach them"}]
    hours = whole["path"]["steps"][0]["hours"]
    tight = ask(engine, {**body, "constraints": {"max_hours": hours}})
    assert tight["not_reached"] and tight["warnings"][-1]["detail"].endswith(
        f"the constraints (max_hours {json.dumps(int(hours) if float(hours).is_integer() else hours)}) leave out the "
        "credentials that teach them")


def test_a_skill_asked_only_as_nice_to_have_weighs_less(engine: Engine) -> None:
    """A requirement the posting calls a plus is read as before, but the skills read only from it are marked
    nice_to_have (entry and evidence) and weigh OPTIONAL_SHARE of their extraction weight; the rest are unchanged."""
    need = "Requirements:\n- Write SQL queries against our warehouse\n- Build dashboards in Tableau"
    wish = "Requirements:\n- Write SQL queries against our warehouse\n- Build dashboards in Tableau (a plus)"
    (_, needed, _), (_, wished, _) = (resolve_target(engine, Target(description=d)) for d in (need, wish))
    marked = [r for r in wished if r.get("nice_to_have")]
    assert marked and all(e.get("nice_to_have") for r in marked for e in r["evidence"])
    assert {e["phrase"] for r in marked for e in r["evidence"]} == {"Build dashboards in Tableau"}
    before = {r["id"]: r for r in needed}
    for entry in wished:
        plain = before[entry["id"]]
        if entry.get("nice_to_have"):
            assert entry["importance"] < plain["importance"]
            assert entry["evidence"] == [{**e, "nice_to_have": True} for e in plain["evidence"]]
        else:
            assert entry == plain
    assert {p for p, r in extract_skills(engine, wish)[0].items() if r.get("nice_to_have")} == {
        r["pos"] for r in marked}


@pytest.fixture(scope="module")
def priced(tmp_path_factory: pytest.TempPathFactory, small_catalog: Path, encoder: Encoder) -> Engine:
    """The engine of a copy of the slice whose credentials are free to take and sell a certificate for 49."""
    def price(row: dict[str, Any]) -> None:
        """Free to audit, 49 for the certificate."""
        row["cost"], row["certificate_cost"] = 0, 49

    return edited_engine(tmp_path_factory, small_catalog, encoder, price)


def test_a_budget_the_certificates_exceed_is_said_so(priced: Engine) -> None:
    """Under max_cost, a path whose courses fit but whose certificates would not says so (certificates_over_budget);
    every step is priced, so total_cost is complete; without a budget nothing is said."""
    body: dict[str, Any] = {"target": {"role_id": DATA_SCIENTIST}, "constraints": {"max_cost": 10, "max_steps": 3}}
    answer = ask(priced, body)
    path = answer["path"]
    steps = len(path["steps"])
    assert steps and (path["total_cost"], path["total_certificate_cost"], path["total_cost_complete"]) == (
        0, 49 * steps, True)
    assert [w for w in answer["warnings"] if w["code"] == "certificates_over_budget"] == [{
        "code": "certificates_over_budget", "cost": 49 * steps,
        "detail": f"with their verified certificates ({49 * steps} in all) the steps cost {49 * steps}, beyond "
                  "max_cost 10: the path fits the budget only without the certificates"}]
    loose = ask(priced, {"target": {"role_id": DATA_SCIENTIST}, "constraints": {"max_cost": 49 * 40}})
    assert not any(w["code"] == "certificates_over_budget" for w in loose["warnings"])


def test_a_long_phrase_is_also_read_clause_by_clause(monkeypatch: pytest.MonkeyPatch) -> None:
    """A phrase of more than CLAUSE_PHRASE_WORDS words is also matched by its clauses (commas, semicolons, "and",
    "or"; brackets aside) of CLAUSE_WORDS words or more, at the phrase bar; one of more than CLAUSE_REPLACES words
    split in two or more is no longer matched whole; a short phrase is not split."""
    sentence = ("You will build statistical models in Python (scikit-learn, statsmodels), run data quality checks "
                "and present findings to the leadership team every month")
    assert target.clauses_of(sentence) == ["You will build statistical models in Python", "run data quality checks",
                                           "present findings to the leadership team every month"]
    assert target.clauses_of("Build models, run checks and report") == []  # six words
    # a clause too short to read alone is read with the next one "and" joins it to (CLAUSE_JOIN), and that one alone
    # too; not across a comma
    duties = ("You'll be picking orders with a handheld scanner, packing and labelling parcels and keeping your "
              "area tidy")
    assert target.clauses_of(duties) == ["You'll be picking orders with a handheld scanner",
                                         "packing and labelling parcels", "keeping your area tidy"]
    assert target.clauses_of("Plan, prepare and cook meals for forty residents") == [
        "prepare and cook meals for forty residents", "cook meals for forty residents"]
    monkeypatch.setattr(target, "CLAUSE_JOIN", False)
    assert target.clauses_of(duties) == ["You'll be picking orders with a handheld scanner", "keeping your area tidy"]
    monkeypatch.setattr(target, "CLAUSE_JOIN", True)
    items = dict(target.matchable([sentence]))
    assert sentence not in items  # 22 words
    assert items["run data quality checks"] == items["present findings to the leadership team every month"] == (
        calibration.PHRASE_SKILL)
    shorter = "You will build statistical models, run data quality checks and report results"
    assert dict(target.matchable([shorter]))[shorter] == calibration.PHRASE_SKILL  # 12 words: matched whole too
    monkeypatch.setattr(target, "READ_CLAUSES", False)  # then only a list item, held to the list items' bar
    read = dict(target.matchable([sentence]))
    assert read[sentence] == calibration.PHRASE_SKILL
    assert read["run data quality checks"] == target.MENTION_SKILL > calibration.PHRASE_SKILL


def test_a_posting_s_knowledge_concepts_weigh_knowledge_share(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a posting's answer a knowledge concept's importance is KNOWLEDGE_SHARE of what it reads; a skill's is not
    touched, and a role's own profile (by role id) is as ESCO weighs it."""
    text = "Data Scientist\nBuild machine learning models in Python and present findings to stakeholders."
    _, required, _ = resolve_target(engine, Target(description=text))
    knowledge = target.KNOWLEDGE_SHARE
    monkeypatch.setattr(target, "KNOWLEDGE_SHARE", 1.0)
    _, plain, _ = resolve_target(engine, Target(description=text))
    read = {r["id"]: r for r in plain}
    assert {r["kind"] for r in required} == {"skill", "knowledge"}
    for entry in required:
        share = knowledge if entry["kind"] == "knowledge" else 1.0
        assert entry["importance"] == pytest.approx(share * read[entry["id"]]["importance"], abs=1e-4)
    _, profile, _ = resolve_target(engine, Target(role_id=DATA_SCIENTIST))
    monkeypatch.undo()
    assert resolve_target(engine, Target(role_id=DATA_SCIENTIST))[1] == profile


def test_a_skill_named_by_both_the_words_and_the_roles_keeps_its_weight() -> None:
    """In a posting's answer a skill its words and a role both name weighs in full; one only its words name weighs
    TEXT_ONLY_SHARE, one only a role names ROLE_ONLY_SHARE."""
    words, role = {"source": "text", "phrase": "SQL"}, {"source": "role", "role_id": DATA_ANALYST}
    required = target.by_evidence({1: {"importance": 0.8, "evidence": [words, role, words]},
                                   2: {"importance": 0.8, "evidence": [words]},
                                   3: {"importance": 0.8, "evidence": [role, role]}})
    assert [required[p]["importance"] for p in (1, 2, 3)] == [
        0.8, 0.8 * target.TEXT_ONLY_SHARE, 0.8 * target.ROLE_ONLY_SHARE]
    assert target.TEXT_ONLY_SHARE < 1 and target.ROLE_ONLY_SHARE < 1


def test_a_skill_read_only_from_a_licence_is_a_condition_and_weighs_less() -> None:
    """A skill whose every text evidence is a licence phrasing ("Full UK driving licence") is a condition of the job:
    marked so, it keeps CONDITION_SHARE of its extraction weight; the roles' need of it still counts in full."""
    licence = {"source": "text", "phrase": "Full UK driving licence", "score": 0.9, "idiom": "driving licence"}
    duty = {"source": "text", "phrase": "Drive the van to customers", "score": 0.9}
    found = target.mark_conditions({1: {"score": 0.9, "evidence": [licence]},
                                    2: {"score": 0.9, "evidence": [licence, duty]},
                                    3: {"score": 0.9, "evidence": [{**licence, "idiom": "eye for detail"}]}})
    assert [found[p].get("condition", False) for p in (1, 2, 3)] == [True, False, False]
    fused = target.fuse(found, {})
    assert fused[2]["importance"] == fused[3]["importance"]
    assert fused[1]["importance"] == pytest.approx(target.CONDITION_SHARE * fused[2]["importance"])
    needed = target.fuse(found, {1: {"importance": 1.0, "relation": "essential", "evidence": []}})
    assert needed[1]["importance"] > fused[2]["importance"]  # a driver's posting: the role needs it


def test_a_title_blended_from_several_roles_says_so(engine: Engine) -> None:
    """A title alone whose best role weighs under BLEND_WARNING of the blend names the roles and weights it was
    blended from; a title one role matches clearly says nothing."""
    scientist, analyst = (engine.role_at(r) for r in (DATA_SCIENTIST, DATA_ANALYST))
    assert scientist is not None and analyst is not None
    titled = [(scientist, 0.28), (analyst, 0.27)] + [(p, 0.09) for p in range(5) if p not in (scientist, analyst)][:5]
    warning = target.blended_title(engine, titled)
    shown = [{**target.role_ref(engine, p), "weight": round(w, 2)} for p, w in titled[:5]]
    names = ", ".join(f"{r['title']} ({r['weight']:.2f})" for r in shown)
    assert warning == [{"code": "title_blends_roles", "roles": shown, "detail": (
        f"no role clearly matches the title best: the skills of {len(titled)} close roles are blended by weight "
        f"({names}{', ...' if len(titled) > 5 else ''}); ask by role_id for one role's own gap")}]
    assert target.blended_title(engine, [(scientist, 0.6), (analyst, 0.4)]) == []
    assert not any(w["code"] == "title_blends_roles"
                   for w in resolve_target(engine, Target(title="data scientist"))[2])


def test_a_postings_text_breaks_a_near_tie_between_its_titles_roles(engine: Engine) -> None:
    """The roles a posting's title matches within TEXT_TIE_MARGIN of the best are ordered by title score + the text's
    weight: opening words that read as the second role's description put it first; a clear title match stays first,
    and the roles past the margin keep their places and scores."""
    described = engine.role_descriptions([0, 1, 2])
    tied = [(0, 0.80), (1, 0.80 - TEXT_TIE_MARGIN / 2), (2, 0.60)]
    assert text_tie_break(engine, tied, described[1]) == [tied[1], tied[0], tied[2]]
    assert text_tie_break(engine, tied, described[0]) == tied
    clear = [(0, 0.80), (1, 0.80 - 2 * TEXT_TIE_MARGIN), (2, 0.60)]
    assert text_tie_break(engine, clear, described[1]) == clear


def test_a_path_longer_than_a_year_says_so(engine: Engine) -> None:
    """A path that takes more than 52 weeks at the learner's pace warns long_path with its weeks and what shortens it;
    the same path at a faster pace does not."""
    slow = ask(engine, {"target": {"role_id": DATA_ANALYST}, "constraints": {"hours_per_week": 0.5}})
    weeks, hours = slow["path"]["total_weeks"], slow["path"]["total_hours"]
    assert weeks > 52
    assert [w for w in slow["warnings"] if w["code"] == "long_path"] == [{
        "code": "long_path", "weeks": weeks,
        "detail": f"this path takes {weeks} weeks ({int(hours) if hours == int(hours) else hours} hours at 0.5 hours a "
                  "week): raise "
                  "hours_per_week, or bound it with max_hours or max_steps (the path then covers the most important "
                  "gap skills it can within them)"}]
    fast = ask(engine, {"target": {"role_id": DATA_ANALYST}, "constraints": {"hours_per_week": 168}})
    assert fast["path"]["total_weeks"] <= 52 and "long_path" not in {w["code"] for w in fast["warnings"]}
    limits = {"hours_per_week": 0.5, "max_hours": 60}
    bounded = ask(engine, {"target": {"role_id": DATA_ANALYST}, "constraints": limits})
    long = [w["detail"] for w in bounded["warnings"] if w["code"] == "long_path"]
    assert len(long) == 1 and "raise hours_per_week, or lower max_hours (the path" in long[0]


def test_roles_match_and_a_recommendation_show_a_posting_the_same_first_role(engine: Engine) -> None:
    """A posting's first role is the same whether asked for one role (/v1/roles/match, limit 1) or recommended: the
    near-tie break looks as deep either way."""
    text = "Data Scientist\nYou will clean data, run SQL queries and build dashboards for the business."
    summary, _, _ = resolve_target(engine, Target(description=text))
    for limit in (1, 2, 10):
        assert posting_roles(engine, text, limit)[0][0][0] == engine.role_at(summary["roles"][0]["id"])
