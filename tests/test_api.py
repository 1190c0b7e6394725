"""The HTTP API through the Flask test client: every endpoint and error class, whole bodies asserted."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from werkzeug.exceptions import MethodNotAllowed, NotFound

from service import calibration, create_app
from service.engine import target as target_module
from service.engine.core import Engine, Record
from service.engine.recommend import covers_text, level_text

from .catalogs import DATA_ANALYST, claimed

RID = "test-request-1"
TYPE = "https://badgepath.dev/problems/"
CLOUD_ENGINEER = "http://data.europa.eu/esco/occupation/349ee6f6-c295-4c38-9b98-48765b55280e"
WEIGHT = {"essential": 1.0, "optional": 0.5}
HOURS_PER_WEEK = 5.0

# Where a step of each level sits in a path, as its "level" reason says.
@pytest.fixture
def api(client: FlaskClient) -> FlaskClient:
    """The session app's test client, sending a fixed X-Request-ID so error bodies are exact."""
    client.environ_base["HTTP_X_REQUEST_ID"] = RID
    return client


def problem(status: int, slug: str, title: str, detail: str, errors: list[Record] | None = None) -> Record:
    """The expected problem+json body of an error answered at the top level."""
    body: Record = {"type": TYPE + slug, "title": title, "status": status, "detail": detail, "request_id": RID}
    if errors is not None:
        body["errors"] = errors
    return body


def invalid(*errors: tuple[str, str, str]) -> Record:
    """The expected 422 body for (pointer, message, type) triples."""
    entries = [{"pointer": p, "message": m, "type": t} for p, m, t in errors]
    return problem(422, "validation", "Unprocessable Content", f"{len(entries)} invalid field(s)", entries)


def assert_problem(response: Any, expected: Record) -> None:
    """The response is problem+json with exactly this body and the request id header."""
    assert response.status_code == expected["status"]
    assert response.mimetype == "application/problem+json"
    assert response.headers["X-Request-ID"] == RID
    assert response.get_json() == expected


def skill_by_label(engine: Engine, label: str) -> Record:
    """The skill record with this preferred label."""
    return next(s for s in engine.artifact.skills if s["label"] == label)


def skill_of(engine: Engine, skill_id: str) -> Record:
    """The skill record with this id."""
    return engine.skill(engine.artifact.skill_pos[skill_id])


def short_skill(skill: Record) -> Record:
    """A skill as answers show it."""
    return {"id": skill["id"], "label": skill["label"], "kind": skill["kind"]}


def short_credential(cred: Record) -> Record:
    """A credential as path steps show it."""
    keys = ("id", "name", "provider", "hours", "level", "url", "type", "cost", "certificate_cost", "language")
    return {k: cred.get(k) for k in keys}


def role_summary(role: Record) -> Record:
    """A role matched by id, as the target summary shows it."""
    return {"id": role["id"], "title": role["title"], "isco_code": role["isco_code"], "score": 1.0}


# --- health, readiness, metadata ---------------------------------------------------------------


def test_healthz(api: FlaskClient) -> None:
    """Liveness answers the documented body with the request id and security headers."""
    response = api.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})
    assert response.headers["X-Request-ID"] == RID
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_readyz_reports_the_manifest(api: FlaskClient, app: Flask, artifact_dir: Path) -> None:
    """Readiness answers the manifest summary of the loaded artifact."""
    manifest = json.loads((artifact_dir / "manifest.json").read_text())
    expected = {"status": "ready", "model_sha256": manifest["model"]["sha256"], "counts": manifest["counts"],
                "created_at": manifest["created_at"], "load_seconds": app.extensions["badgepath"].load_seconds}
    response = api.get("/readyz")
    assert (response.status_code, response.get_json()) == (200, expected)


def test_not_ready_without_resources() -> None:
    """An app without model and artifact is alive but answers 503 on readiness and on the API."""
    client = create_app({"load_model": False}).test_client()
    client.environ_base["HTTP_X_REQUEST_ID"] = RID
    unready = problem(503, "not-ready", "Service Unavailable", "model and artifact are not loaded")
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert_problem(client.get("/readyz"), unready)
    assert_problem(client.get("/v1/meta"), unready)
    assert_problem(client.post("/v1/recommendations/batch", json={"requests": [{}]}), unready)


def test_meta(api: FlaskClient, artifact_dir: Path) -> None:
    """Meta answers the model, catalogue and build facts of the manifest."""
    manifest = json.loads((artifact_dir / "manifest.json").read_text())
    files = manifest["catalog"]["files"]
    assert sorted(files) == ["credentials", "roles", "skills", "tools"]
    lines = "".join(f"{kind} {files[kind]}\n" for kind in ("credentials", "roles", "skills", "tools"))
    expected = {k: manifest[k] for k in ("model", "counts", "created_at", "versions", "thresholds")}
    expected["catalog"] = {**manifest["catalog"], "sha256": hashlib.sha256(lines.encode()).hexdigest()}
    expected["encoder"] = "onnx"  # the default (auto), with the graph `make model` exported
    expected["limits"] = {"max_body_bytes": 1_048_576, "max_text_chars": 20_000, "max_batch": 100,
                          "max_encode_chars": 50_000}
    response = api.get("/v1/meta")
    assert (response.status_code, response.get_json()) == (200, expected)
    assert manifest["model"]["name"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["model"]["sha256"])


# --- search and lookup ---------------------------------------------------------------------------


def test_search_skills(api: FlaskClient, engine: Engine) -> None:
    """An exact alt label finds its skill first, with score 1 and the label that matched."""
    python = skill_by_label(engine, "Python (computer programming)")
    response = api.get("/v1/skills?q=python&limit=1")
    expected = {"query": "python", "skills": [{**short_skill(python), "score": 1.0, "matched": "Python"}]}
    assert (response.status_code, response.get_json()) == (200, expected)


def test_search_skills_ranks_by_score(api: FlaskClient) -> None:
    """Results are distinct, best first, and no more than the limit."""
    skills = api.get("/v1/skills?q=data+analysis&limit=5").get_json()["skills"]
    assert len(skills) == 5 and len({s["id"] for s in skills}) == 5
    assert [s["score"] for s in skills] == sorted((s["score"] for s in skills), reverse=True)


def test_search_roles(api: FlaskClient) -> None:
    """A role title finds its role with score 1."""
    response = api.get("/v1/roles?q=data+analyst&limit=1")
    role = {"id": DATA_ANALYST, "title": "data analyst", "isco_code": "2511", "score": 1.0, "matched": "data analyst"}
    assert (response.status_code, response.get_json()) == (200, {"query": "data analyst", "roles": [role]})


@pytest.mark.parametrize("q", ["data analyst", "Senior Data Analyst (Remote)", "BI analyst", "software dev"])
def test_role_search_ranks_as_role_match(api: FlaskClient, q: str) -> None:
    """The roles a search lists (the page's role box) are those /v1/roles/match finds for the same title, in the same
    order and with the same scores: a title's readings (its core, its abbreviations and acronyms written out) count
    in both, so a coach is not offered one list and matched to another role. The match lists only roles above its
    bar; the search lists up to its limit."""
    searched = api.get("/v1/roles", query_string={"q": q, "limit": 5}).get_json()["roles"]
    matched = api.post("/v1/roles/match", json={"text": q, "limit": 5}).get_json()["roles"]
    assert matched and len(searched) == 5 and all(r["matched"] for r in searched)
    assert [(r["id"], r["score"]) for r in searched[: len(matched)]] == [(r["id"], r["score"]) for r in matched]


def credential_hit(cred: Record, score: float) -> Record:
    """A credential search result."""
    keys = ("id", "name", "provider", "type", "level", "hours", "cost", "certificate_cost", "url", "language")
    return {**{k: cred.get(k) for k in keys}, "score": score}


def test_search_credentials(api: FlaskClient, engine: Engine) -> None:
    """A credential's exact name finds it with score 1."""
    cred = engine.credential(0)
    response = api.get("/v1/credentials", query_string={"q": cred["name"], "limit": 1})
    expected = {"query": cred["name"], "skill": None, "credentials": [credential_hit(cred, 1.0)]}
    assert (response.status_code, response.get_json()) == (200, expected)


def test_search_credentials_by_skill(api: FlaskClient, engine: Engine) -> None:
    """With only a skill, the credentials a path may claim it from come by alignment confidence, then id."""
    skill_id = engine.artifact.skills[int(engine.teaching.skill[0])]["id"]
    aligned = [(c, s["confidence"]) for c in engine.artifact.credentials for s in c["skills"]
               if s["id"] == skill_id and claimed(engine, c, s)]
    aligned.sort(key=lambda x: (-x[1], x[0]["id"]))
    response = api.get("/v1/credentials", query_string={"skill": skill_id, "limit": 3})
    expected = {"query": "", "skill": skill_id, "credentials": [credential_hit(c, s) for c, s in aligned[:3]]}
    assert (response.status_code, response.get_json()) == (200, expected)


def test_search_needs_a_query(api: FlaskClient) -> None:
    """Without q (or, for credentials, skill) a search is a 422 pointing at q."""
    assert_problem(api.get("/v1/skills?limit=5"), invalid(("/q", "q is required", "missing")))
    assert_problem(api.get("/v1/credentials?q=+"), invalid(("/q", "q or skill is required", "missing")))


def test_search_rejects_bad_parameters(api: FlaskClient) -> None:
    """Unknown parameters, skill outside credentials and a bad limit are 422s with pointers."""
    assert_problem(api.get("/v1/roles?q=x&limit=0"),
                   invalid(("/limit", "Input should be greater than or equal to 1", "greater_than_equal")))
    assert_problem(api.get("/v1/skills?q=x&limit=abc"), invalid(
        ("/limit", "Input should be a valid integer, unable to parse string as an integer", "int_parsing")))
    assert_problem(api.get("/v1/skills?q=x&skill=y"),
                   invalid(("/skill", "Extra inputs are not permitted", "extra_forbidden")))


def test_search_unknown_skill_filter(api: FlaskClient) -> None:
    """Filtering credentials by an unknown skill id is a 404 pointing at the parameter."""
    detail = "unknown skill id 'nope'"
    assert_problem(api.get("/v1/credentials?skill=nope"), problem(
        404, "unknown-skill", "Not Found", detail, [{"pointer": "/skill", "message": detail, "type": "unknown_skill"}]))


def test_get_role_by_percent_encoded_uri(api: FlaskClient, engine: Engine) -> None:
    """A role URI percent-encoded as one path segment answers the role with labelled skills."""
    role = engine.role(engine.artifact.role_pos[DATA_ANALYST])
    skills = [{**short_skill(skill_of(engine, s["id"])), "relation": s["relation"]} for s in role["skills"]]
    response = api.get("/v1/roles/" + quote(DATA_ANALYST, safe=""))
    assert (response.status_code, response.get_json()) == (200, {**role, "skills": skills})
    assert api.get("/v1/roles/" + DATA_ANALYST).get_json() == {**role, "skills": skills}
    assert api.get("/v1/roles/" + DATA_ANALYST.rsplit("/", 1)[1]).get_json() == {**role, "skills": skills}  # bare UUID


def test_get_credential_by_percent_encoded_id(api: FlaskClient, engine: Engine) -> None:
    """A credential id percent-encoded answers the credential with its aligned skills labelled."""
    cred = engine.credential(int(engine.teaching.credential[0]))
    tags = cred.get("skill_tags", [])
    skills = [{**s, "label": skill_of(engine, s["id"])["label"],
               "read_from": (kind := "tag" if tags else "description"),
               "claimed": (sure := claimed(engine, cred, s)),
               "evidence": "weak" if not sure else
               "moderate" if kind == "description" and s["confidence"] < 0.70 else "strong"}
              for s in cred["skills"]]  # the catalogue slice's alignments are all inferred: from tags where it has any
    response = api.get("/v1/credentials/" + quote(cred["id"], safe="").replace("-", "%2D"))
    assert (response.status_code, response.get_json()) == (200, {**cred, "skills": skills})


@pytest.mark.parametrize(("path", "kind", "ident", "pointer"), [
    ("/v1/roles/http%3A%2F%2Fexample.org%2Fno-such-role", "role", "http://example.org/no-such-role", "/role_id"),
    ("/v1/credentials/no%2Fsuch", "credential", "no/such", "/credential_id"),
])
def test_unknown_id(api: FlaskClient, path: str, kind: str, ident: str, pointer: str) -> None:
    """An unknown (decoded) id is a 404 naming the id and pointing at the path parameter."""
    detail = f"unknown {kind} id {ident!r}"
    errors = [{"pointer": pointer, "message": detail, "type": f"unknown_{kind}"}]
    assert_problem(api.get(path), problem(404, f"unknown-{kind}", "Not Found", detail, errors))


# --- text endpoints --------------------------------------------------------------------------------


def test_skills_extract(api: FlaskClient, engine: Engine) -> None:
    """A skill named in a text is found with the phrase that evidences it."""
    python = skill_by_label(engine, "Python (computer programming)")
    evidence = [{"source": "text", "phrase": "Python", "matched": "Python", "score": 1.0}]
    expected = {"skills": [{**short_skill(python), "score": 1.0, "evidence": evidence}],
                "boilerplate_dropped": [], "warnings": []}
    response = api.post("/v1/skills/extract", json={"text": "Python", "limit": 1})
    assert (response.status_code, response.get_json()) == (200, expected)


def test_tools_named_inside_a_sentence(api: FlaskClient) -> None:
    """Tools listed inside one long sentence are each found, with the list item as the evidence phrase; the
    sentence's clauses are read too (target.READ_CLAUSES)."""
    text = "You will build and maintain our web services in Java and JavaScript with Drupal and DB2"
    skills = api.post("/v1/skills/extract", json={"text": text}).get_json()["skills"]
    named = {(e["phrase"], s["label"], e["score"]) for s in skills for e in s["evidence"] if e["phrase"] != text}
    assert named == {("Java", "Java (computer programming)", 1.0), ("JavaScript", "JavaScript", 1.0),
                     ("Drupal", "Drupal", 1.0), ("DB2", "DB2", 1.0),
                     ("JavaScript with Drupal", "JavaScript", 0.7479),
                     ("maintain our web services in Java", "web services", 0.674)}


def test_a_title_as_posted_matches_like_its_core(api: FlaskClient) -> None:
    """Gender marker, seniority and a location suffix do not move a posted title off its role."""
    posted = api.post("/v1/roles/match", json={"text": "Senior Data Analyst (m/w/d) - Berlin", "limit": 3})
    plain = api.post("/v1/roles/match", json={"text": "Data Analyst", "limit": 3})
    assert (posted.status_code, posted.get_json()) == (200, plain.get_json())


def test_roles_match(api: FlaskClient) -> None:
    """A short text is matched as a title."""
    role = {"id": DATA_ANALYST, "title": "data analyst", "isco_code": "2511", "score": 1.0, "matched": "title"}
    response = api.post("/v1/roles/match", json={"text": "data analyst", "limit": 1})
    expected = {"roles": [role], "matched_by": "title", "warnings": []}
    assert (response.status_code, response.get_json()) == (200, expected)


# --- gap and recommendations: one small case built from the catalogue records ----------------------


@dataclass(frozen=True)
class LoneGap:
    """A learner holding every skill of a role but one, which one stand-alone credential teaches directly."""

    role: Record
    missing: Record
    credential: Record

    def held_ids(self) -> list[str]:
        """The skill URIs the learner sends."""
        return [s["id"] for s in self.role["skills"] if s["id"] != self.missing["id"]]

    def request(self, engine: Engine) -> Record:
        """A recommendation request whose only allowed credential is the one teaching the missing skill."""
        others = [c["id"] for c in engine.artifact.credentials if c["id"] != self.credential["id"]]
        return {"learner": {"skills": self.held_ids()}, "target": {"role_id": self.role["id"]},
                "constraints": {"hours_per_week": HOURS_PER_WEEK, "exclude_credentials": others}}


def teaches_alone(engine: Engine, cred: Record, skill_id: str) -> bool:
    """Whether the credential is aligned to the skill once, claimably (catalogs.claimed), and needs no prerequisite or
    parent."""
    aligned = [s for s in cred["skills"] if s["id"] == skill_id]
    return len(aligned) == 1 and claimed(engine, cred, aligned[0]) and not cred["requires"] and not cred["part_of"]


@pytest.fixture(scope="module")
def lone(engine: Engine) -> LoneGap:
    """The first cloud-engineer skill that no other of its skills covers and a credential teaches alone."""
    role = engine.role(engine.artifact.role_pos[CLOUD_ENGINEER])
    positions = np.array([engine.artifact.skill_pos[s["id"]] for s in role["skills"]])
    for i, item in sorted(enumerate(role["skills"]), key=lambda x: x[1]["id"]):
        nearest = engine.skill_similarity(positions[i : i + 1], np.delete(positions, i)).max()
        teachers = [c for c in engine.artifact.credentials if teaches_alone(engine, c, item["id"])]
        if nearest < calibration.SKILL_COVER and teachers:
            return LoneGap(role, item, min(teachers, key=lambda c: c["id"]))
    raise AssertionError("the small catalogue has no lone-gap case")


def requirement(role: Record, item: Record, engine: Engine) -> Record:
    """A required skill of a role-id target."""
    evidence = [{"source": "role", "role_id": role["id"], "role_title": role["title"], "relation": item["relation"]}]
    return {**short_skill(skill_of(engine, item["id"])), "importance": WEIGHT[item["relation"]],
            "relation": item["relation"], "evidence": evidence}


def held_skill(engine: Engine, skill_id: str) -> Record:
    """A skill the learner sent by URI."""
    return {**short_skill(skill_of(engine, skill_id)), "confidence": 1.0, "source": {"skill": skill_id}}


def coverage_before(case: LoneGap) -> float:
    """Share of the role's importance the learner already covers."""
    total = sum(WEIGHT[s["relation"]] for s in case.role["skills"])
    return round((total - WEIGHT[case.missing["relation"]]) / total, 4)


def target(case: LoneGap) -> Record:
    """The target summary of a role-id target."""
    return {"kind": "role", "role": role_summary(case.role), "roles": [role_summary(case.role)], "resolved": True}


def held(case: LoneGap, engine: Engine) -> Record:
    """What the learner holds: the skills sent, by id."""
    return {"badges": [], "credentials": [], "skills": [held_skill(engine, s) for s in sorted(case.held_ids())]}


def expected_gap(case: LoneGap, engine: Engine) -> Record:
    """The whole /v1/gap body of the lone-gap case."""
    required = []
    for item in sorted(case.role["skills"], key=lambda s: (-WEIGHT[s["relation"]], s["id"])):
        entry = requirement(case.role, item, engine)
        if item["id"] != case.missing["id"]:
            entry["held_as"] = {"id": item["id"], "label": entry["label"], "similarity": 1.0,
                                "source": {"skill": item["id"]}}
        required.append(entry)
    return {"target": target(case), "required": required, "held": held(case, engine),
            "gap": [requirement(case.role, case.missing, engine)], "coverage": coverage_before(case),
            "warnings": []}


def test_gap(api: FlaskClient, engine: Engine, lone: LoneGap) -> None:
    """The gap is the one skill the learner lacks; every other required skill is held as sent."""
    body = lone.request(engine)
    del body["constraints"]
    response = api.post("/v1/gap", json=body)
    assert (response.status_code, response.get_json()) == (200, expected_gap(lone, engine))


def covered(case: LoneGap, engine: Engine) -> Record:
    """The gap skill the step covers, through the credential's own alignment to it."""
    skill = skill_of(engine, case.missing["id"])
    align = next(s for s in case.credential["skills"] if s["id"] == skill["id"])
    source = ("catalogue" if align.get("source") != "inferred" else
              "tag" if align["matched_text"] in case.credential.get("skill_tags", []) else "description")
    via = {"id": skill["id"], "label": skill["label"], "matched_text": align["matched_text"],
           "alignment_confidence": align["confidence"], "read_from": source,
           "evidence": "moderate" if source == "description" and align["confidence"] < 0.7 else "strong"}
    return {"id": skill["id"], "label": skill["label"], "importance": WEIGHT[case.missing["relation"]],
            "relation": case.missing["relation"], "similarity": 1.0, "via": via}


def step(case: LoneGap, engine: Engine) -> Record:
    """The one step of the path."""
    cred, cover = case.credential, covered(case, engine)
    essential = int(cover["relation"] == "essential")
    reasons = [
        {"code": "covers_gap", "count": 1, "essential": essential,
         "text": f"covers 1 missing skill{', an essential one' if essential else ''}: {cover['label']}"},
        {"code": "level", "level": cred["level"],
         "text": f"{cred['level']} level"},  # the path's only step: no other level to be placed among
    ]
    return {"credential": short_credential(cred), "covers": [cover], "why": "; ".join(r["text"] for r in reasons),
            "reasons": reasons, "hours": cred["hours"], "start_week": 1,
            "end_week": math.ceil(cred["hours"] / HOURS_PER_WEEK), "cumulative_hours": cred["hours"],
            "cumulative_coverage": 1.0, "alternatives": []}


def expected_recommendation(case: LoneGap, engine: Engine) -> Record:
    """The whole /v1/recommendations body of the lone-gap case."""
    cred = case.credential
    path = {"steps": [step(case, engine)], "total_hours": cred["hours"],
            "total_weeks": math.ceil(cred["hours"] / HOURS_PER_WEEK), "hours_per_week": HOURS_PER_WEEK,
            "total_cost": round(cred.get("cost") or 0, 2), "cost_unknown_steps": int(cred.get("cost") is None),
            "total_cost_complete": cred.get("cost") is not None,
            "total_certificate_cost": round(cred.get("certificate_cost") or 0, 2),
            "coverage_before": coverage_before(case), "coverage_after": 1.0, "stacks": []}
    return {"target": target(case), "gap": [requirement(case.role, case.missing, engine)], "path": path,
            "uncovered": [], "not_reached": [], "held": held(case, engine), "warnings": []}


def test_recommendation(api: FlaskClient, engine: Engine, lone: LoneGap) -> None:
    """One explained, timed step closes the gap with the one credential allowed."""
    response = api.post("/v1/recommendations", json=lone.request(engine))
    assert (response.status_code, response.get_json()) == (200, expected_recommendation(lone, engine))


def test_recommendation_is_deterministic(api: FlaskClient) -> None:
    """The same free-text request twice answers byte-identical bodies."""
    body = {"learner": {"badges": ["Applied Machine Learning in Python", "SQL basics"], "skills": ["statistics"]},
            "target": {"title": "data scientist", "description": "Build models in Python and present findings."},
            "constraints": {"max_steps": 4, "hours_per_week": 8}}
    first, second = (api.post("/v1/recommendations", json=body) for _ in range(2))
    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    assert first.get_json()["path"]["steps"]


def test_batch_answers_in_order(api: FlaskClient, engine: Engine, lone: LoneGap) -> None:
    """Each item answers in place; a bad item gets its own problem with pointers inside the batch."""
    items = [lone.request(engine), {"target": {"role_id": "x", "title": "y"}}, {"target": {"role_id": "nope"}}]
    response = api.post("/v1/recommendations/batch", json={"requests": items})
    both = {"type": TYPE + "validation", "title": "Unprocessable Content", "status": 422,
            "detail": "1 invalid field(s)", "errors": [{"pointer": "/requests/1/target", "type": "value_error",
                                                      "message": "give either role_id or "
                                                                 "title/description, not both"}]}
    detail = "unknown role id 'nope'"
    unknown = {"type": TYPE + "unknown-role", "title": "Not Found", "status": 404, "detail": detail,
               "errors": [{"pointer": "/requests/2/target/role_id", "message": detail, "type": "unknown_role"}]}
    expected = {"results": [expected_recommendation(lone, engine), {"problem": both}, {"problem": unknown}]}
    assert (response.status_code, response.get_json()) == (200, expected)


def test_batch_encodes_its_items_in_one_call(api: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """The titles and free text of a batch's items are encoded in one call (packed together); each item then
    answers exactly as it does alone, and an invalid item still fails alone."""
    encoder = app.extensions["badgepath"].encoder
    calls: list[list[str]] = []
    real = encoder.encode_queries  # wrapped to record its calls; the model still encodes
    monkeypatch.setattr(encoder, "encode_queries", lambda texts: calls.append(list(texts)) or real(texts))
    items = [{"target": {"title": "Junior Data Analytics Officer - Leeds"}},
             {"target": {"title": "BI developer"}, "learner": {"skills": ["pivot tables"], "badges": ["Excel ninja"]}},
             {"target": {"description": "Data Engineer\nYou will build ETL pipelines in Python and SQL."}},
             {"target": {"title": " "}}]
    batch = api.post("/v1/recommendations/batch", json={"requests": items}).get_json()["results"]
    assert calls == [["Junior Data Analytics Officer - Leeds", "Data Analytics Officer", "BI developer",
                      "business intelligence developer", "Excel ninja", "pivot tables", "Data Engineer",
                      "Data Engineer You will build ETL pipelines in Python and SQL",
                      "You will build ETL pipelines in Python and SQL", "You will build ETL pipelines in Python",
                      "build ETL pipelines", "Python", "SQL",
                      "You will build extract, transform, load (ETL) pipelines in Python and SQL",
                      "You will build extract, transform, load (ETL) pipelines in Python",
                      "build extract, transform, load (ETL) pipelines"]]
    alone = [api.post("/v1/recommendations", json=item).get_json() for item in items[:3]]
    assert batch[:3] == alone
    assert batch[3]["problem"]["status"] == 422


def test_batch_limits(api: FlaskClient) -> None:
    """An empty batch, more than 100 requests, or a non-object item are rejected with pointers."""
    assert_problem(api.post("/v1/recommendations/batch", json={"requests": []}), invalid(
        ("/requests", "List should have at least 1 item after validation, not 0", "too_short")))
    assert_problem(api.post("/v1/recommendations/batch", json={"requests": [{}] * 101}),
                   invalid(("/requests", "at most 100 items allowed (got 101)", "value_error")))
    item = api.post("/v1/recommendations/batch", json={"requests": ["x"]}).get_json()["results"][0]
    assert item == {"problem": {"type": TYPE + "validation", "title": "Unprocessable Content", "status": 422,
                                "detail": "1 invalid field(s)", "errors": [{
                                    "pointer": "/requests/0", "type": "model_type",
                                    "message": "Input should be a JSON object"}]}}


# --- error classes ------------------------------------------------------------------------------------


def test_unknown_route(api: FlaskClient) -> None:
    """An unknown route is a problem+json 404."""
    detail = ("The requested URL was not found on the server. If you entered the URL manually please check your "
              "spelling and try again.")
    assert_problem(api.get("/v1/nothing-here"), problem(404, "not-found", "Not Found", detail))


def test_method_not_allowed(api: FlaskClient) -> None:
    """A wrong method is a problem+json 405 with the Allow header."""
    response = api.delete("/v1/recommendations")
    detail = "The method is not allowed for the requested URL."
    assert_problem(response, problem(405, "method-not-allowed", "Method Not Allowed", detail))
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}


def test_body_too_large(api: FlaskClient) -> None:
    """A body over the default 1 MiB limit is a 413 that names the limit (and, for a batch, how to send it); a form
    field over Werkzeug's own form limit is a 413 too, with Werkzeug's text, not the body limit's."""
    body = b'{"text": "' + b"a" * (1 << 20) + b'"}'
    response = api.post("/v1/skills/extract", data=body, content_type="application/json")
    detail = "the request body is over 1048576 bytes (BADGEPATH_MAX_BODY_BYTES)"
    assert_problem(response, problem(413, "request-entity-too-large", "Content Too Large", detail))
    batch = b'{"requests": [{"target": {"description": "' + b"a" * (1 << 20) + b'"}}]}'
    response = api.post("/v1/recommendations/batch", data=batch, content_type="application/json")
    assert_problem(response, problem(413, "request-entity-too-large", "Content Too Large",
                                     detail + "; send the batch as several smaller ones"))
    form = {"note": "a" * 600_000, "file": (io.BytesIO(b"{}"), "badge.json")}  # over the form's own field limit
    response = api.post("/v1/badges/import", data=form, content_type="multipart/form-data")
    assert response.status_code == 413 and "BADGEPATH_MAX_BODY_BYTES" not in response.get_json()["detail"]


def test_body_limit_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """BADGEPATH_MAX_BODY_BYTES sets the body limit."""
    monkeypatch.setenv("BADGEPATH_MAX_BODY_BYTES", "1000")
    assert create_app({"load_model": False}).config["MAX_CONTENT_LENGTH"] == 1000


def test_not_json(api: FlaskClient) -> None:
    """A body that is not declared as JSON is a 415."""
    response = api.post("/v1/gap", data="learner=x", content_type="application/x-www-form-urlencoded")
    detail = "send the body as application/json"
    assert_problem(response, problem(415, "unsupported-media-type", "Unsupported Media Type", detail))


@pytest.mark.parametrize(("raw", "detail"), [
    (b'{"target": ', "malformed JSON: Expecting value: line 1 column 12 (char 11)"),
    (b"", "malformed JSON: Expecting value: line 1 column 1 (char 0)"),
    (b'{"limit": NaN}', "malformed JSON: NaN is not a valid JSON number"),
    (b'{"limit": -Infinity}', "malformed JSON: -Infinity is not a valid JSON number"),
    (b'{"limit": 1e999}', "malformed JSON: number 1e999 is out of range"),
    (b'{"text": "caf\xe9"}', "body is not valid UTF-8 (byte 13)"),
    (b"[" * 100_000, "JSON nested too deeply"),
    (b'{"text": "a", "text": "b"}', "malformed JSON: member 'text' appears twice in one object"),
    (b'{"text": "a", "x": {"k": 1, "k": 2}}', "malformed JSON: member 'k' appears twice in one object"),
])
def test_malformed_json(api: FlaskClient, raw: bytes, detail: str) -> None:
    """Bodies that are not strict JSON in UTF-8 are 400s that say why."""
    response = api.post("/v1/skills/extract", data=raw, content_type="application/json")
    assert_problem(response, problem(400, "malformed-json", "Bad Request", detail))


@pytest.mark.parametrize("query", ["q=%ff%fe", "q=caf%E9", "q=ok&limit=%80"])
def test_query_string_must_be_utf8(api: FlaskClient, query: str) -> None:
    """A query string that is not UTF-8 once percent-decoded is a 400, not a search for replacement characters."""
    byte = query.index("%") - query[:query.index("%")].count("%") * 2
    detail = f"the query string is not valid UTF-8 once percent-decoded (byte {byte})"
    assert_problem(api.get(f"/v1/skills?{query}"), problem(400, "malformed-query", "Bad Request", detail))


def test_validation_pointers(api: FlaskClient) -> None:
    """Every invalid field is listed with a JSON pointer to it."""
    body = {"learner": {"badges": "x"}, "target": {"role_id": "r", "title": "t"}, "extra": 1}
    assert_problem(api.post("/v1/gap", json=body), invalid(
        ("/learner/badges", "Input should be a valid list", "list_type"),
        ("/target", "give either role_id or title/description, not both", "value_error"),
        ("/extra", "Extra inputs are not permitted", "extra_forbidden"),
    ))


def test_validation_of_text_requests(api: FlaskClient) -> None:
    """limit=0, a missing text and a non-object body are 422s."""
    assert_problem(api.post("/v1/skills/extract", json={"text": "python", "limit": 0}),
                   invalid(("/limit", "Input should be greater than or equal to 1", "greater_than_equal")))
    assert_problem(api.post("/v1/roles/match", json={}), invalid(("/text", "Field required", "missing")))
    assert_problem(api.post("/v1/gap", json=[]),
                   invalid(("", "Input should be a JSON object", "model_type")))


def test_constraints_validation(api: FlaskClient) -> None:
    """Constraint values out of range are 422s pointing into constraints."""
    body = {"target": {"role_id": DATA_ANALYST},
            "constraints": {"hours_per_week": 0, "level": "expert", "languages": ["en", "english"]}}
    assert_problem(api.post("/v1/recommendations", json=body), invalid(
        ("/constraints/hours_per_week", "Input should be greater than or equal to 0.1", "greater_than_equal"),
        ("/constraints/level", "Input should be 'beginner', 'intermediate', 'advanced' or 'mixed'", "literal_error"),
        ("/constraints/languages/1", "String should match pattern '^[A-Za-z]{2,3}$'", "string_pattern_mismatch"),
    ))


@pytest.fixture
def crashing(caplog: pytest.LogCaptureFixture) -> Iterator[FlaskClient]:
    """An app whose /boom route raises, with the badgepath log captured (it does not propagate to root)."""
    app = create_app({"load_model": False})

    @app.get("/boom")
    def boom() -> str:
        """Fail with internals that must not leak."""
        raise RuntimeError("secret internals at /srv/badgepath")

    logger = logging.getLogger("badgepath")
    logger.addHandler(caplog.handler)
    yield app.test_client()
    logger.removeHandler(caplog.handler)


def test_internal_error(crashing: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    """A crash is a generic 500 problem whose request id is also in the error log with the traceback."""
    response = crashing.get("/boom", headers={"X-Request-ID": RID})
    detail = f"unexpected error; quote request id {RID}"
    assert_problem(response, problem(500, "internal", "Internal Server Error", detail))
    assert b"secret" not in response.data and b"Traceback" not in response.data
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in errors] == [f"unhandled error request_id={RID} path=/boom"]
    assert errors[0].exc_info is not None and str(errors[0].exc_info[1]) == "secret internals at /srv/badgepath"


# --- documentation and metrics ------------------------------------------------------------------------


def test_openapi_is_valid(api: FlaskClient) -> None:
    """/openapi.json is a valid OpenAPI 3.1 document."""
    response = api.get("/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    validate(document, cls=OpenAPIV31SpecValidator)
    schemas = document["components"]["schemas"]
    constraints = schemas["Constraints"]["properties"]
    assert constraints["prefer_languages"]["default"] == ["en"]
    assert constraints["max_hours"]["anyOf"][0] == {"type": "number", "exclusiveMinimum": 0, "maximum": 100_000}
    assert "limits" in schemas["Meta"]["required"]


def test_openapi_paths_exist(api: FlaskClient, app: Flask) -> None:
    """Every documented operation is routed by the app, and every /v1 route is documented."""
    document = api.get("/openapi.json").get_json()
    urls = app.url_map.bind("localhost")
    for path, operations in document["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "some%2Fid", path)
        for method in operations:
            try:
                urls.match(concrete, method.upper())
            except (NotFound, MethodNotAllowed) as exc:
                raise AssertionError(f"{method.upper()} {path} is documented but not routed") from exc
    routed = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule) for r in app.url_map.iter_rules()}
    assert {p for p in routed if p.startswith("/v1/")} == set(document["paths"]) - {"/healthz", "/readyz"}


def test_docs_are_offline(api: FlaskClient) -> None:
    """/docs is HTML whose scripts and styles are all served by the app itself."""
    page = api.get("/docs")
    assert (page.status_code, page.mimetype) == (200, "text/html")
    html = page.get_data(as_text=True)
    assert "swagger-ui" in html and "http" not in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sorted(assets) == ["/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css", "/docs/init.js"]
    types = {}
    for asset in assets:
        response = api.get(asset)
        types[asset] = (response.status_code, response.mimetype)
        response.close()
    assert types == {"/docs/assets/swagger-ui-bundle.js": (200, "text/javascript"),
                     "/docs/assets/swagger-ui.css": (200, "text/css"), "/docs/init.js": (200, "text/javascript")}
    assert "/openapi.json" in api.get("/docs/init.js").get_data(as_text=True)


def metric(text: str, sample: str) -> float:
    """The value of one sample line in a Prometheus exposition."""
    for line in text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{sample} not exposed")


def test_metrics(api: FlaskClient, artifact_dir: Path) -> None:
    """/metrics counts requests and reports index rows and catalogue records."""
    counts = json.loads((artifact_dir / "manifest.json").read_text())["counts"]
    sample = 'badgepath_requests_total{endpoint="/healthz",method="GET",status="200"}'
    api.get("/healthz")
    before = metric(api.get("/metrics").get_data(as_text=True), sample)
    api.get("/healthz")
    response = api.get("/metrics")
    text = response.get_data(as_text=True)
    assert (response.status_code, response.mimetype) == (200, "text/plain")
    assert metric(text, sample) == before + 1
    for kind in ("skills", "roles", "credentials"):
        assert metric(text, f'badgepath_index_rows{{index="{kind}"}}') == counts[f"{kind}_rows"]
        assert metric(text, f'badgepath_catalog_records{{kind="{kind}"}}') == counts[kind]


def test_a_title_line_names_no_skill(api: FlaskClient) -> None:
    """A posting's title line is an occupation's name: it finds the role, not skills ('Data Analyst' alone matched
    data analysis skills); the duty under it does, and so does the skill's acronym it names."""
    text = "Data Analyst\nYou will write SQL queries"
    skills = api.post("/v1/skills/extract", json={"text": text}).get_json()["skills"]
    phrases = {e["phrase"] for s in skills for e in s["evidence"]}
    assert phrases == {"You will write SQL queries", "SQL"}
    without = api.post("/v1/skills/extract", json={"text": "Data analysis\nYou will write SQL queries"})
    assert "Data analysis" in {e["phrase"] for s in without.get_json()["skills"] for e in s["evidence"]}


def test_a_posting_without_a_title_is_matched_by_its_title_line(api: FlaskClient) -> None:
    """A posting sent without a title is headed by one: its first line is matched as the title and reported; a
    posting that opens with a sentence, or with a line of terms that matches no role well, has no title line; under a
    company's name, the line after it is the title line."""
    text = "Web Developer (React) - London\nYou will build responsive web pages in JavaScript with our designers."
    target = api.post("/v1/recommendations", json={"target": {"description": text}}).get_json()["target"]
    assert (target["title_line"], target["role"]["title"]) == ("Web Developer (React) - London", "web developer")
    titled = api.post("/v1/recommendations", json={"target": {"title": "Web Developer", "description": text}})
    assert "title_line" not in titled.get_json()["target"]
    sentence = "We are hiring. You will build responsive web pages in JavaScript with our designers."
    assert "title_line" not in api.post("/v1/gap", json={"target": {"description": sentence}}).get_json()["target"]
    terms = "Flexible working hours available\nYou will build responsive web pages in JavaScript with our designers."
    assert "title_line" not in api.post("/v1/gap", json={"target": {"description": terms}}).get_json()["target"]
    company = api.post("/v1/gap", json={"target": {"description": f"Northgate Group Ltd\n{text}"}}).get_json()["target"]
    assert (company["title_line"], company["role"]["title"]) == ("Web Developer (React) - London", "web developer")


def test_a_posting_may_name_its_title_in_a_sentence(api: FlaskClient) -> None:
    """A posting that opens with its company's name and a blurb is matched by the title a hiring sentence names, and
    the answer reports it as the title line; a sentence naming no title leaves the opening words to find the role. A
    one-paragraph advert is matched by its head."""
    blurb = ("Brightwater Holdings | Leeds | Full-time\n\nWe are a growing agency and we're looking for an experienced "
             "Web Developer to build responsive web pages in JavaScript with our designers.")
    target = api.post("/v1/gap", json={"target": {"description": blurb}}).get_json()["target"]
    assert (target["title_line"], target["role"]["title"]) == ("Web Developer", "web developer")
    unnamed = blurb.replace("an experienced Web Developer", "someone")
    assert "title_line" not in api.post("/v1/gap", json={"target": {"description": unnamed}}).get_json()["target"]
    advert = "Web Developer wanted – Leeds, hybrid. You will build responsive web pages in JavaScript with designers."
    target = api.post("/v1/gap", json={"target": {"description": advert}}).get_json()["target"]
    assert (target["title_line"], target["role"]["title"]) == ("Web Developer", "web developer")  # the advert's head


def test_a_weak_list_item_counts_when_the_role_profile_lists_its_skill(api: FlaskClient,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """'build statistical models' matches statistical modeling techniques at 0.72, under the 0.75 bar for list
    items: extraction alone leaves it out, while a posting for a data scientist (whose profile lists the skill)
    keeps it, with the phrase as evidence (the sentence not read by its clauses, whose first reaches the phrase bar
    on its own)."""
    monkeypatch.setattr(target_module, "READ_CLAUSES", False)
    text = ("Data Scientist\nYou will build statistical models, run data quality checks, report analysis results and "
            "manage research data for stakeholders")
    required = api.post("/v1/gap", json={"target": {"description": text}}).get_json()["required"]
    skill = next(s for s in required if s["label"] == "statistical modeling techniques")
    assert [e for e in skill["evidence"] if e["source"] == "text"] == [
        {"source": "text", "phrase": "build statistical models", "matched": "statistical modeling techniques",
         "score": 0.7173}]
    extracted = api.post("/v1/skills/extract", json={"text": text}).get_json()["skills"]
    assert "statistical modeling techniques" not in {s["label"] for s in extracted}


def test_roles_match_reads_a_posting_like_a_recommendation(api: FlaskClient) -> None:
    """A long text is a posting: its title line finds the role (as in /v1/recommendations), and the answer says
    which line; without a title line the opening words meet the role descriptions."""
    text = "Web Developer (React) - London\nYou will build responsive web pages in JavaScript with our designers."
    body = api.post("/v1/roles/match", json={"text": text, "limit": 1}).get_json()
    assert (body["title_line"], body["matched_by"], body["roles"][0]["title"], body["roles"][0]["matched"]) == (
        "Web Developer (React) - London", "description", "web developer", "title")
    duties = "Web developers develop, implement and document web-accessible software based on the designs provided."
    plain = api.post("/v1/roles/match", json={"text": duties, "limit": 1}).get_json()
    assert "title_line" not in plain and (plain["roles"][0]["title"], plain["roles"][0]["matched"]) == (
        "web developer", "description")




def test_text_support_names_a_phrase_of_the_posting_and_only_for_a_posting(api: FlaskClient) -> None:
    """Every required skill of a posting names the posting's phrase nearest it; a title alone has no phrases."""
    text = "Data Analyst\nYou will write SQL queries and build dashboards for the sales team."
    required = api.post("/v1/gap", json={"target": {"description": text}}).get_json()["required"]
    phrases = {s["text_support"]["phrase"] for s in required}
    assert phrases == {"Data Analyst", "You will write SQL queries and build dashboards for the sales team",
                       "You will write SQL queries", "write SQL queries", "SQL"}  # the title line, the sentence, a
    # clause of it, the list item and the acronym in it
    assert all(0 <= s["text_support"]["score"] <= 1 for s in required) and len(required) > 50
    assert [s["importance"] for s in required] == sorted((s["importance"] for s in required), reverse=True)
    titled = api.post("/v1/gap", json={"target": {"title": "Data Analyst"}}).get_json()["required"]
    assert titled and not any("text_support" in s for s in titled)


def test_a_posting_whose_line_breaks_were_lost_is_matched_by_its_opening_words(api: FlaskClient) -> None:
    """A posting given as one paragraph has no title line; the run of its opening words that best names a role is
    its title, after a reference too, and the answer reports it; the same posting as written finds the same role."""
    lines = ["Ref: DA-0412", "Data Analyst", "Acme Analytics Ltd, Leeds", "Full-time, £32,000",
             "You will write SQL queries and build dashboards for our finance team."]
    flat = api.post("/v1/gap", json={"target": {"description": " ".join(lines)}}).get_json()["target"]
    assert (flat["title_line"], flat["role"]["title"]) == ("Data Analyst", "data analyst")
    written = api.post("/v1/gap", json={"target": {"description": "\n".join(lines)}}).get_json()["target"]
    assert (written["title_line"], written["role"]["title"]) == ("Data Analyst", "data analyst")


def test_learner_texts_that_name_nothing_hold_nothing(api: FlaskClient) -> None:
    """A blank skill or badge is a 422 at its pointer; one without a letter or digit, or a placeholder such as
    "N/A", is reported as unmatched and holds nothing ("N/A" had held artificial neural networks through "NN")."""
    role = {"role_id": "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"}
    for field in ("skills", "badges"):
        blank = api.post("/v1/gap", json={"target": role, "learner": {field: ["SQL", "  "]}})
        assert (blank.status_code, blank.mimetype) == (422, "application/problem+json")
        assert [(e["pointer"], e["type"]) for e in blank.get_json()["errors"]] == [
            (f"/learner/{field}/1", "string_too_short")]
    junk = ["!!!", "N/A.", "\u200b", "none", "n / a"]
    learner = {"skills": junk, "badges": ["qwertyuiop zxcvbnm", "n/a"]}
    answer = api.post("/v1/gap", json={"target": role, "learner": learner}).get_json()
    assert answer["held"] == {"badges": [{"index": 0, "input": "qwertyuiop zxcvbnm", "resolved": "unmatched"},
                                         {"index": 1, "input": "n/a", "resolved": "unmatched"}],
                              "credentials": [], "skills": []}
    assert answer["warnings"] == [  # in badge order, then skill order
        {"code": "badge_unmatched", "pointer": "/learner/badges/0",
         "detail": "badge 'qwertyuiop zxcvbnm' matched no credential or skill well enough"},
        {"code": "badge_unmatched", "pointer": "/learner/badges/1",
         "detail": "badge 'n/a' names no credential or skill"},
        *({"code": "skill_unmatched", "pointer": f"/learner/skills/{i}", "detail": f"skill {text!r} names no skill"}
          for i, text in enumerate(junk))]


@pytest.mark.parametrize(("count", "essential", "text"), [
    (1, 1, "covers 1 missing skill, an essential one: s0"),
    (1, 0, "covers 1 missing skill: s0"),
    (3, 2, "covers 3 missing skills, 2 of them essential: s0, s1 and s2"),
    (2, 2, "covers 2 missing skills, all of them essential: s0 and s1"),
    (6, 0, "covers 6 missing skills, none of them essential: s0, s1, s2, s3 and 2 more"),
])
def test_a_steps_covers_read_as_words(count: int, essential: int, text: str) -> None:
    """A step's covers_gap reason reads as a sentence for a learner, not 'covers 1 missing skill(s), 0 essential'."""
    assert covers_text([{"label": f"s{i}", "via": {"evidence": "strong"}} for i in range(count)], essential) == text


def test_covers_read_from_one_sentence_are_named() -> None:
    """Covers read from one description sentence with moderate confidence are named after the sentence, so a learner
    knows which to check against the syllabus."""
    covers = [{"label": f"s{i}", "via": {"evidence": "moderate" if i % 2 else "strong"}} for i in range(12)]
    assert covers_text(covers[:2], 0) == ("covers 2 missing skills, none of them essential: s0 and s1 (s1 read from "
                                          "one sentence of its description: check the syllabus)")
    assert covers_text(covers, 1) == (
        "covers 12 missing skills, 1 of them essential: s0, s1, s2, s3 and 8 more (s1, s3, s5, s7 and 2 more read "
        "from one sentence of its description: check the syllabus)")


BEGINNER, MIXED, INTERMEDIATE, ADVANCED = 0, 1, 2, 3


@pytest.mark.parametrize(("level", "ranks", "text"), [
    ("beginner", [BEGINNER, INTERMEDIATE, ADVANCED],
     "beginner level: placed before the intermediate and advanced steps"),
    ("intermediate", [BEGINNER, INTERMEDIATE, ADVANCED],
     "intermediate level: placed after the beginner steps and before the advanced ones"),
    ("advanced", [MIXED, ADVANCED], "advanced level: placed after the mixed-level steps"),
    (None, [BEGINNER, MIXED], "unknown level: placed after the beginner steps"),  # unknown sorts with mixed
    ("beginner", [BEGINNER] * 4, "beginner level: no step of the path comes before or after it by level"),
    ("advanced", [ADVANCED], "advanced level"),
])
def test_a_steps_level_names_only_the_levels_of_its_path(level: str | None, ranks: list[int], text: str) -> None:
    """A step's level reason places it among the levels its path has: four beginner steps are not 'placed before the
    mixed-level, intermediate and advanced steps'."""
    assert level_text(level, ranks) == text


def test_extract_marks_the_skills_read_only_from_nice_to_have_lines(api: FlaskClient) -> None:
    """/v1/skills/extract says which skills the text names only as nice to have, and lists what it set aside."""
    text = ("Requirements:\n- Write SQL queries against our warehouse\n- Build dashboards in Tableau (a plus)\n"
            "Salary: £40k")
    body = api.post("/v1/skills/extract", json={"text": text}).get_json()
    wished = [s for s in body["skills"] if s.get("nice_to_have")]
    assert wished and all(e["phrase"] == "Build dashboards in Tableau" and e["nice_to_have"]
                          for s in wished for e in s["evidence"])
    assert all("nice_to_have" not in s for s in body["skills"] if s not in wished)
    assert body["boilerplate_dropped"] == ["Salary", "£40k"]


GERMAN_POSTING = ("Lagerarbeiter (m/w/d)\nWir suchen ab sofort einen Lagerarbeiter in Vollzeit für unser Lager in "
                  "Hamburg. Ihre Aufgaben: Kommissionierung und Verpackung von Waren, Bedienung von Gabelstaplern. "
                  "Wir bieten eine unbefristete Stelle und ein tolles Team.")
NOT_ENGLISH = {"code": "not_english", "language": "German",
               "detail": "the text reads as German; badgepath matches English text to English ESCO labels, so these "
                         "roles and skills are unreliable: send the posting in English"}


@pytest.mark.parametrize(("path", "body"), [
    ("/v1/recommendations", {"target": {"description": GERMAN_POSTING}}),
    ("/v1/skills/extract", {"text": GERMAN_POSTING}),
    ("/v1/roles/match", {"text": GERMAN_POSTING}),
])
def test_a_posting_in_another_language_is_answered_with_a_warning(api: FlaskClient, path: str, body: Record) -> None:
    """A German posting is still answered, but the answer says it is not English and why that matters."""
    response = api.post(path, json=body)
    assert response.status_code == 200
    assert [w for w in response.get_json()["warnings"] if w["code"] == "not_english"] == [NOT_ENGLISH]


def test_an_english_posting_gets_no_language_warning(api: FlaskClient) -> None:
    """An English posting that asks for German is English."""
    text = ("Warehouse Operative\nWe are hiring a warehouse operative for our Hamburg site. You will pick and pack "
            "orders and drive a forklift. Fluent German and English required.")
    warnings = api.post("/v1/recommendations", json={"target": {"description": text}}).get_json()["warnings"]
    assert [w for w in warnings if w["code"] == "not_english"] == []
