"""Exports: a recommended path as CTDL Pathway JSON-LD (expanded offline with PyLD) and as iCalendar."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from pyld import jsonld

from service import create_app
from service.api.export import coming_monday
from service.build import build
from service.config import ROOT
from service.credentials.ingest import Ingest, catalogue_ids, import_catalog
from service.credentials.pathway import CTDL_CONTEXT
from service.embed import Encoder

FIXTURES = Path(__file__).parent / "fixtures"
CONTEXT = json.loads((FIXTURES / "ctdl" / "context.json").read_text())
CETERMS, EXT = "https://purl.org/ctdl/terms/", "https://badgepath.dev/ns#"
RID = {"X-Request-ID": "export-test"}
CLOUD_ENGINEER = "http://data.europa.eu/esco/occupation/349ee6f6-c295-4c38-9b98-48765b55280e"
REQUEST = {"target": {"role_id": CLOUD_ENGINEER}, "constraints": {"hours_per_week": 10},
           "start_date": "2027-01-04"}


def offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """PyLD document loader: the CTDL context from the local copy; any other fetch fails the test."""
    assert url == CTDL_CONTEXT, f"network fetch attempted: {url}"
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": CONTEXT}


def expand(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Expanded JSON-LD nodes by @id."""
    expanded = jsonld.expand(document, {"documentLoader": offline_loader})
    return {node["@id"]: node for node in expanded}


def ids(node: dict[str, Any], term: str) -> list[str]:
    """The IRIs a node's expanded property links to."""
    return [v["@id"] for v in node.get(CETERMS + term, [])]


def value(node: dict[str, Any], iri: str) -> Any:
    """The single literal value of an expanded property."""
    values = node[iri]
    assert len(values) == 1
    return values[0]["@value"]


def export(client: FlaskClient, fmt: str, body: dict[str, Any]) -> Any:
    """POST /v1/recommendations/export?format=fmt."""
    return client.post(f"/v1/recommendations/export?format={fmt}", json=body, headers=RID)


def recommendation(client: FlaskClient, body: dict[str, Any]) -> dict[str, Any]:
    """The plain recommendation the export is made from."""
    plain = {k: v for k, v in body.items() if k != "start_date"}
    answer: dict[str, Any] = client.post("/v1/recommendations", json=plain).get_json()
    assert answer["path"]["steps"], "the fixture request should give a path"
    return answer


def check_pathway(document: dict[str, Any], steps: list[dict[str, Any]], start: date) -> None:
    """The expanded Pathway: destination as child, components chained by precedes, dates from the weeks."""
    nodes = expand(document)
    pathway = next(n for n in nodes.values() if n["@type"] == [CETERMS + "Pathway"])
    goal = ids(pathway, "hasDestinationComponent")
    assert ids(pathway, "hasChild") == goal and len(goal) == 1
    components = ids(nodes[goal[0]], "hasChild")
    assert [value(nodes[c], EXT + "credentialId") for c in components] == [s["credential"]["id"] for s in steps]
    assert ids(pathway, "hasPart") == goal + components
    assert [ids(nodes[c], "precedes") for c in components] == [[c] for c in components[1:] + goal]
    for component, step in zip(components, steps, strict=True):
        node = nodes[component]
        assert node["@type"][0] in (CETERMS + "CourseComponent", CETERMS + "CredentialComponent")
        assert node[CETERMS + "name"][0]["@value"] == step["credential"]["name"]
        assert (ids(node, "isChildOf"), ids(node, "isPartOf")) == (goal, [pathway["@id"]])
        first = start + timedelta(weeks=step["start_week"] - 1)
        assert value(node, EXT + "startDate") == first.isoformat()
        last = start + timedelta(weeks=step["end_week"], days=-1)
        assert value(node, EXT + "endDate") == last.isoformat()


def check_calendar(text: str, steps: list[dict[str, Any]], start: date) -> None:
    """The parsed calendar: one all-day event per step, spanning its weeks, in order."""
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    assert (calendar["VERSION"], calendar["PRODID"]) == ("2.0", "-//badgepath//learning path//EN")
    assert len(events) == len(steps)
    for number, (event, step) in enumerate(zip(events, steps, strict=True), start=1):
        assert str(event["SUMMARY"]) == f"Step {number}/{len(steps)}: {step['credential']['name']}"
        assert event["DTSTART"].dt == start + timedelta(weeks=step["start_week"] - 1)
        assert event["DTEND"].dt == start + timedelta(weeks=step["end_week"])
        assert str(event["DESCRIPTION"]).startswith(step["why"])
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_ctdl_pathway_expands_offline(client: FlaskClient) -> None:
    """format=ctdl answers JSON-LD whose expansion (CTDL context supplied locally) has the path's structure."""
    response = export(client, "ctdl", REQUEST)
    assert (response.status_code, response.mimetype) == (200, "application/ld+json")
    steps = recommendation(client, REQUEST)["path"]["steps"]
    check_pathway(json.loads(response.get_data()), steps, date(2027, 1, 4))


def test_ics_parses_with_one_event_per_step(client: FlaskClient) -> None:
    """format=ics answers text/calendar that the icalendar package parses into the path's events."""
    response = export(client, "ics", REQUEST)
    assert (response.status_code, response.mimetype) == (200, "text/calendar")
    assert response.headers["Content-Disposition"] == 'attachment; filename="badgepath-path.ics"'
    text = response.get_data(as_text=True)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    check_calendar(text, recommendation(client, REQUEST)["path"]["steps"], date(2027, 1, 4))


def test_exports_are_deterministic(client: FlaskClient) -> None:
    """The same request gives byte-identical exports (ids are name-based UUIDs, DTSTAMP is the build time)."""
    for fmt in ("ctdl", "ics"):
        assert export(client, fmt, REQUEST).get_data() == export(client, fmt, REQUEST).get_data()


def test_start_date_defaults_to_the_coming_monday() -> None:
    """Without start_date the path starts on the coming Monday (today when it is one)."""
    assert coming_monday(date(2027, 1, 4)) == date(2027, 1, 4)
    assert coming_monday(date(2027, 1, 5)) == date(2027, 1, 11)
    assert coming_monday(date(2027, 1, 10)) == date(2027, 1, 11)


def test_empty_path_is_still_a_calendar(client: FlaskClient) -> None:
    """When nothing is left to learn the calendar holds one journal entry saying so."""
    answer = client.post("/v1/gap", json={"target": {"role_id": CLOUD_ENGINEER}}).get_json()
    body = {**REQUEST, "learner": {"skills": [r["id"] for r in answer["required"]]}}
    text = export(client, "ics", body).get_data(as_text=True)
    calendar = icalendar.Calendar.from_ical(text)
    assert list(calendar.walk("VEVENT")) == []
    assert [str(j["SUMMARY"]) for j in calendar.walk("VJOURNAL")] == ["No learning steps needed for cloud engineer"]


@pytest.mark.parametrize(("body", "summary"), [
    ({"target": {"title": "zxqv blorf"}},
     "No learning steps: no role matched the target and it names no skill, so there is no gap to close"),
    ({"target": {"description": "Zorblax quux frobnicator wanted. Must know Python and SQL."},
      "learner": {"skills": ["Python", "SQL"]}}, "No learning steps needed for the described role"),
    ({**REQUEST, "constraints": {"include_providers": ["No Such Provider"]}},
     "No learning steps: nothing in the catalogue closes the gap to cloud engineer within these constraints"),
])
def test_empty_path_says_why(client: FlaskClient, body: dict[str, Any], summary: str) -> None:
    """A calendar without steps says whether the target asks for no skill, the constraints left nothing that closes
    the gap, or the learner holds every skill a posting that matched no role names."""
    calendar = icalendar.Calendar.from_ical(export(client, "ics", body).get_data(as_text=True))
    assert list(calendar.walk("VEVENT")) == []
    assert [str(j["SUMMARY"]) for j in calendar.walk("VJOURNAL")] == [summary]


@pytest.mark.parametrize(("query", "body", "errors"), [
    ("", REQUEST, [{"pointer": "/format", "message": "Field required", "type": "missing"}]),
    ("?format=pdf", REQUEST, [{"pointer": "/format", "message": "Input should be 'ctdl' or 'ics'",
                               "type": "literal_error"}]),
    ("?format=ics", {**REQUEST, "start_date": "next week"},
     [{"pointer": "/start_date", "message": "Input should be a valid date or datetime, input is too short",
       "type": "date_from_datetime_parsing"}]),
])
def test_export_errors_are_problems(client: FlaskClient, query: str, body: dict[str, Any],
                                    errors: list[dict[str, Any]]) -> None:
    """A missing or unknown format and a bad start_date are 422 problems with pointers."""
    response = client.post(f"/v1/recommendations/export{query}", json=body, headers=RID)
    assert (response.status_code, response.get_json()) == (422, {
        "type": "https://badgepath.dev/problems/validation", "title": "Unprocessable Content", "status": 422,
        "detail": f"{len(errors)} invalid field(s)", "errors": errors, "request_id": "export-test"})


@pytest.fixture(scope="module")
def ctdl_app(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Iterator[Flask]:
    """An app over the small catalogue plus the credentials imported from the CTDL fixture."""
    root = tmp_path_factory.mktemp("ctdl-catalog")
    small = FIXTURES / "catalog_small"
    for kind in ("skills", "roles"):
        shutil.copy(small / f"{kind}.jsonl", root / f"{kind}.jsonl")
    ingest = Ingest(skills=catalogue_ids(small, "skills"), credentials=catalogue_ids(small, "credentials") or set())
    import_catalog("ctdl", [FIXTURES / "ctdl" / "cloud-credentials.json"], root / "imported.jsonl", ingest)
    (root / "credentials.jsonl").write_text((small / "credentials.jsonl").read_text()
                                            + (root / "imported.jsonl").read_text())
    build(root, root / "artifact", encoder, ROOT / "models" / "cache", progress=False)
    yield create_app({"artifact_dir": root / "artifact", "catalog_dir": root, "testing": True})


def test_ctdl_in_pathway_out(ctdl_app: Flask) -> None:
    """CTDL credentials imported, built and recommended come back out as Pathway components, prerequisites first."""
    client = ctdl_app.test_client()
    body = {"target": {"role_id": CLOUD_ENGINEER}, "constraints": {"include_providers": ["Example Cloud Institute"]},
            "start_date": "2027-01-04"}
    steps = recommendation(client, body)["path"]["steps"]
    chosen = [s["credential"]["id"] for s in steps]
    certificate = "ce-8f1e4b3a-2c5d-4e6f-8a9b-0c1d2e3f4a5b"
    assert certificate in chosen
    prerequisites = {"ce-1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9", "ce-5e6f7081-9203-44b5-a6d7-e8f90a1b2c3d"}
    assert prerequisites <= set(chosen[: chosen.index(certificate)])
    response = export(client, "ctdl", body)
    check_pathway(json.loads(response.get_data()), steps, date(2027, 1, 4))
    check_calendar(export(client, "ics", body).get_data(as_text=True), steps, date(2027, 1, 4))
