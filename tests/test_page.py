"""The page at `/`: whole-HTML checks with the test client, and a real browser (Debian's chromium) end to end."""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, get_args

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from service import create_app
from service.build import build
from service.config import ROOT
from service.embed import Encoder
from service.schemas import Constraints, Level

from .catalogs import PLOT, edited_credentials

XSS = "<img src=x onerror=alert(1)>"
STATIC = ROOT / "service" / "web" / "static"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CONSTRAINT_FIELDS = {"hours_per_week", "max_hours", "max_cost", "max_steps", "level", "languages"}
SCENARIO = {"role": "data scientist", "badge_query": "python", "free_badge": "Excel basics",
            "hours_per_week": 6, "max_steps": 4, "languages": "*"}


class Page(HTMLParser):
    """Every start tag of a document with its attributes, and the text inside each script."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record a tag; start collecting script text."""
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "script":
            self.in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        """Stop collecting script text."""
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        """Keep text that sits inside a script element."""
        if self.in_script:
            self.scripts[-1] += data

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """Attributes of every `tag` whose attributes include `attrs`."""
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


@pytest.fixture(scope="module")
def page(app: Flask) -> Page:
    """The parsed page served at /."""
    response = app.test_client().get("/")
    assert (response.status_code, response.mimetype) == (200, "text/html")
    return Page(response.get_data(as_text=True))


def test_index_has_landmarks_and_headings(page: Page) -> None:
    """One h1; banner, main and footer landmarks; a skip link to main; numbered form sections."""
    assert page.find("html")[0]["lang"] == "en"
    assert [t for t, _ in page.tags if t in ("header", "main", "footer", "h1")] == ["header", "h1", "main", "footer"]
    assert page.find("a", href="#main") and page.find("main", id="main")
    assert [a["id"] for a in page.find("h2")] == ["target-h", "learner-h", "constraints-h", "results-h"]
    assert page.find("section", id="results")[0].get("hidden") == ""
    assert page.find("div", id="error", role="alert") and page.find("p", id="status", role="status")


def test_every_control_is_labelled(page: Page) -> None:
    """Each input, select and textarea has a <label for>; each combobox controls a listbox on the page."""
    labels = {a["for"] for a in page.find("label")}
    controls = [a for t, a in page.tags if t in ("input", "select", "textarea")]
    assert [c["id"] for c in controls if c["id"] not in labels] == []
    listboxes = {a["id"] for a in page.find("ul", role="listbox")}
    combos = page.find("input", role="combobox")
    assert [(c["id"], c["aria-controls"] in listboxes, c["aria-expanded"]) for c in combos] == [
        ("role", True, "false"), ("badge", True, "false"), ("skill", True, "false")]


def test_constraint_fields_match_the_api(page: Page) -> None:
    """The constraint controls carry the API's field names; the level choices are the API's levels, and the language
    choices English first (the API's default preference), any language, and the languages the served credentials are
    taught in (all English in this slice)."""
    named = {a["name"] for t, a in page.tags if t in ("input", "select") and a.get("name") in CONSTRAINT_FIELDS}
    assert named == CONSTRAINT_FIELDS and named <= set(Constraints.model_fields)
    assert [a["value"] for a in page.find("option")] == ["", *get_args(Level), "", "*", "en"]
    assert page.find("input", id="badge-file", type="file", name="file")


def test_scripts_are_files_not_inline(page: Page, client: FlaskClient) -> None:
    """The CSP allows only same-origin scripts: the one script is a deferred file, served as JavaScript."""
    scripts = page.find("script")
    assert [(s["src"], "defer" in s) for s in scripts] == [("/web/static/app.js", True)]
    assert page.scripts == [""]
    assert not [a for _, a in page.tags if any(k.startswith("on") for k in a)]
    assert [a["href"] for a in page.find("link", rel="stylesheet")] == ["/web/static/page.css"]
    for path, mimetype in (("/web/static/app.js", "text/javascript"), ("/web/static/page.css", "text/css")):
        response = client.get(path)
        assert (response.status_code, response.mimetype) == (200, mimetype)
        response.close()


def test_index_sends_security_headers(client: FlaskClient) -> None:
    """The page is served under the app's Content-Security-Policy and no-sniff headers."""
    response = client.get("/")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_footer_names_the_served_catalogue(client: FlaskClient, app: Flask) -> None:
    """The footer states the counts and model of the artifact in service."""
    counts = app.extensions["badgepath"].manifest["counts"]
    text = client.get("/").get_data(as_text=True)
    assert (f"Catalogue: {counts['roles']} ESCO roles, {counts['skills']} skills,\n"
            f"    {counts['credentials']} credentials; model sentence-transformers/all-MiniLM-L6-v2") in text


def test_index_answers_before_the_model_is_loaded(small_catalog: Path, tmp_path: Path) -> None:
    """Without model and artifact the page still renders, and says so."""
    app = create_app({"load_model": False, "artifact_dir": tmp_path, "catalog_dir": small_catalog})
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert "<p>The model and catalogue are not loaded yet.</p>" in response.get_data(as_text=True)


def test_script_never_parses_html() -> None:
    """Data reaches the document only through textContent and setAttribute: no HTML-parsing sinks at all."""
    source = (STATIC / "app.js").read_text()
    sinks = re.findall(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|DOMParser",
                       source)
    assert sinks == []
    assert "createElementNS" in source and "textContent" in source


# ---- the real browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xss_catalog(tmp_path_factory: pytest.TempPathFactory, app: Flask, small_catalog: Path) -> Path:
    """A copy of the small catalogue where the first step of the test scenario's path is named XSS and taught in
    Spanish."""
    first = scenario_answer(app.test_client())["path"]["steps"][0]["credential"]["id"]

    def hostile(row: dict[str, Any]) -> None:
        """The first step named XSS, in Spanish."""
        if row["id"] == first:
            row["name"], row["language"] = XSS, "es"

    return edited_credentials(small_catalog, tmp_path_factory.mktemp("xss") / "catalog", hostile)


@pytest.fixture(scope="module")
def xss_app(tmp_path_factory: pytest.TempPathFactory, xss_catalog: Path, encoder: Encoder) -> Flask:
    """The real app serving an artifact built from the XSS catalogue."""
    artifact = tmp_path_factory.mktemp("xss-artifact") / "artifact"
    build(xss_catalog, artifact, encoder, ROOT / "models" / "cache", progress=False)
    return create_app({"artifact_dir": artifact, "catalog_dir": xss_catalog, "testing": True})


@pytest.fixture(scope="module")
def live_url(xss_app: Flask) -> Iterator[str]:
    """The XSS app served over HTTP on a free local port."""
    server = make_server("127.0.0.1", 0, xss_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright; skipped, with the reason, where it cannot be launched."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        except Exception as exc:  # noqa: BLE001 - any launch failure means no browser here
            pytest.skip(f"chromium cannot be launched: {str(exc).splitlines()[0]}")
        yield chromium
        chromium.close()


class Tab:
    """A browser page that records dialogs and script errors, so a test can assert there were none."""

    def __init__(self, browser: Any, url: str) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self.on_dialog)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.goto(url)

    def on_dialog(self, dialog: Any) -> None:
        """Record and dismiss any alert/confirm/prompt: none may fire."""
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def texts(self, selector: str) -> list[str]:
        """The text content of every element matching selector."""
        return [str(t) for t in self.page.locator(selector).all_text_contents()]


@pytest.fixture
def tab(browser: Any, live_url: str) -> Iterator[Tab]:
    """A fresh page on the live app; after the test, no dialog fired and no script error was thrown."""
    opened = Tab(browser, live_url + "/")
    yield opened
    opened.page.close()
    assert (opened.dialogs, opened.errors) == ([], [])


def scenario_request(role_id: str, badge_id: str) -> dict[str, Any]:
    """The request the page should send for the scenario."""
    return {"target": {"role_id": role_id},
            "learner": {"badges": [badge_id, SCENARIO["free_badge"]], "skills": []},
            "constraints": {"hours_per_week": SCENARIO["hours_per_week"], "max_steps": SCENARIO["max_steps"],
                            "prefer_languages": []}}


def scenario_answer(client: FlaskClient) -> dict[str, Any]:
    """The API's answer to the scenario, asked directly."""
    role = client.get("/v1/roles", query_string={"q": SCENARIO["role"], "limit": 8}).get_json()["roles"][0]
    found = client.get("/v1/credentials", query_string={"q": SCENARIO["badge_query"], "limit": 8}).get_json()
    answer = client.post("/v1/recommendations", json=scenario_request(role["id"], found["credentials"][0]["id"]))
    assert answer.status_code == 200
    body: dict[str, Any] = answer.get_json()
    return body


def plan_scenario(tab: Tab) -> None:
    """Search the role by keyboard, add a catalogue badge and a free-text badge, set constraints, submit."""
    page = tab.page
    page.locator("#role").fill(SCENARIO["role"])
    page.wait_for_selector("#role-list [role=option]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.locator("#badge").fill(SCENARIO["badge_query"])
    page.locator("#badge-list [role=option]").first.click()
    page.locator("#badge").fill(SCENARIO["free_badge"])
    page.keyboard.press("Enter")
    page.locator("#hours_per_week").fill(str(SCENARIO["hours_per_week"]))
    page.locator("#max_steps").fill(str(SCENARIO["max_steps"]))
    page.locator("#languages").select_option(str(SCENARIO["languages"]))  # any language, the Spanish step too
    page.locator("#go").click()
    page.wait_for_selector("#steps .step")


def test_browser_plans_a_path_on_a_timeline(tab: Tab, xss_app: Flask) -> None:
    """Role, two badges, constraints: the timeline and the step cards show the API's path, XSS name as text, and a
    course not taught in English says so."""
    expected = scenario_answer(xss_app.test_client())
    names = [s["credential"]["name"] for s in expected["path"]["steps"]]
    plan_scenario(tab)
    page = tab.page
    assert tab.texts("#badge-chips .chip > span") == [expected["held"]["credentials"][0]["name"], "Excel basics"]
    assert tab.texts("#steps .step-name") == names and XSS in names
    facts = tab.texts("#steps .step-facts")
    assert facts[0].endswith(" \u00b7 taught in Spanish") and not any("taught in" in f for f in facts[1:])
    bars = page.locator("#timeline svg a.bar")
    assert bars.count() == len(names)
    assert [bars.nth(i).get_attribute("href") for i in range(len(names))] == [
        f"#step-{i + 1}" for i in range(len(names))]
    first = expected["path"]["steps"][0]
    assert bars.first.get_attribute("aria-label") == (
        f"Step 1: {XSS}, weeks {first['start_week']}\u2013{first['end_week']}, {first['hours']:g} h")
    assert page.locator("img").count() == 0
    weeks = expected["path"]["total_weeks"]
    assert page.locator("#timeline-caption").text_content() == (
        f"{len(names)} steps over {weeks} week{'s' * (weeks != 1)} at 6 h a week; select a bar to read its step.")


def test_browser_shows_held_and_missing_with_evidence(tab: Tab, xss_app: Flask) -> None:
    """Required skills split into held and missing, essential/optional, each with its evidence on focus."""
    plan_scenario(tab)
    page = tab.page
    held = tab.texts("#held .tags.held .tag")
    assert held and "use spreadsheets software" in " ".join(held)
    assert tab.texts("#missing summary")[0].startswith("Essential (")
    tag = page.locator("#held .tag").first
    tag.focus()
    tip = tag.locator(".tip")
    assert tip.is_visible()
    assert "skill of the ESCO role \u201cdata scientist\u201d" in str(tip.text_content())
    assert "you hold it:" in str(tag.get_attribute("title"))
    assert page.locator("#coverage meter").count() == 2


@pytest.mark.parametrize(("posting", "skill", "evidence"), [
    ("Produce the monthly variance analysis in Excel", "use spreadsheets software",
     "the description names Microsoft Excel (spreadsheet software, O*NET 29.2): \u201cProduce the monthly variance "
     "analysis in Excel\u201d"),
    ("Build OLAP cubes for finance", "online analytical processing",
     "named in the description: \u201cBuild OLAP cubes for finance\u201d, read as \u201cBuild online analytical "
     "processing (OLAP) cubes for finance\u201d (similarity 0.638)"),
    ("Line management of two direct reports", "manage staff",
     "the description says \u201cLine management\u201d, as postings ask for this skill: \u201cLine management of two "
     "direct reports\u201d"),
], ids=["tool", "acronym", "idiom"])
def test_browser_shows_how_a_posting_names_a_skill(tab: Tab, posting: str, skill: str, evidence: str) -> None:
    """A pasted posting shows the skill it asks for, and the evidence names the tool (Excel), the phrase with its
    acronym written out (OLAP), or the posting phrasing that asks for the skill (line management)."""
    page = tab.page
    page.locator("#description").fill(posting)
    page.locator("#go").click()
    page.wait_for_selector("#missing .tag, #held .tag")
    tags = page.locator(".tag", has_text=skill)
    assert tags.count() >= 1
    assert evidence in str(tags.first.get_attribute("title"))
    assert (tab.dialogs, tab.errors) == ([], [])


def test_browser_autocomplete_renders_catalogue_text_as_text(tab: Tab) -> None:
    """Searching for the XSS credential lists its name verbatim; no element or dialog comes of it."""
    page = tab.page
    page.locator("#badge").fill(XSS)
    page.wait_for_selector("#badge-list [role=option] .option-label")
    assert tab.texts("#badge-list .option-label")[0] == XSS
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert tab.texts("#badge-chips .chip > span") == [XSS]
    assert page.locator("img").count() == 0


def test_browser_sends_a_pasted_posting_with_a_picked_role(tab: Tab) -> None:
    """A role picked from the list goes by its id; with a posting pasted too, by its title beside the posting, which
    is no longer dropped (the API takes a role id alone)."""
    page = tab.page
    page.locator("#role").fill(SCENARIO["role"])
    page.wait_for_selector("#role-list [role=option]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    title = page.locator("#role").input_value()
    with page.expect_request("**/v1/recommendations") as sent:
        page.locator("#go").click()
    assert set(sent.value.post_data_json["target"]) == {"role_id"}
    page.wait_for_selector("#steps .step")
    posting = "Build dashboards in Python and present findings to stakeholders."
    page.locator("#description").fill(posting)
    with page.expect_request("**/v1/recommendations") as sent:
        page.locator("#go").click()
    assert sent.value.post_data_json["target"] == {"title": title, "description": posting}
    page.wait_for_selector("#steps .step")


def test_browser_shared_link_restores_the_plan(tab: Tab, browser: Any) -> None:
    """The share link carries the whole form; opening it fills the form and draws the same path."""
    plan_scenario(tab)
    url = tab.page.locator("#share-url").input_value()
    steps = tab.texts("#steps .step-name")
    again = Tab(browser, url)
    again.page.wait_for_selector("#steps .step")
    assert again.texts("#steps .step-name") == steps
    assert again.page.locator("#role").input_value() == SCENARIO["role"]
    assert again.page.locator("#max_steps").input_value() == str(SCENARIO["max_steps"])
    assert again.texts("#badge-chips .chip > span")[1] == "Excel basics"
    again.page.close()
    assert (again.dialogs, again.errors) == ([], [])


def test_browser_shows_api_problems_readably(tab: Tab) -> None:
    """A 422 problem is shown as its title, detail and the invalid field by its label."""
    page = tab.page
    page.locator("#role").fill("data analyst")
    page.locator("#hours_per_week").fill("500")
    page.locator("#go").click()
    page.wait_for_selector("#error:not([hidden]) li")
    assert tab.texts("#error .error-title") == [
        "The service could not plan this. Unprocessable Content: 1 invalid field(s)"]
    assert tab.texts("#error li") == ["Hours per week: Input should be less than or equal to 168"]
    assert page.locator("#hours_per_week").get_attribute("aria-invalid") == "true"
    assert page.locator("#results").is_hidden()


def test_browser_asks_for_a_target_first(tab: Tab) -> None:
    """Submitting an empty form says what is missing, without calling the API."""
    tab.page.locator("#go").click()
    assert tab.texts("#error .error-title") == [
        "Nothing to aim for: pick a role, type a job title or paste a job description"]


def not_found(route: Any) -> None:
    """Answer like a server that lacks the endpoint."""
    route.fulfill(status=404, content_type="application/problem+json",
                  body=json.dumps({"type": "https://badgepath.dev/problems/not-found", "title": "Not Found",
                                   "status": 404, "detail": "The requested URL was not found on the server."}))


def test_browser_explains_missing_import_and_export(tab: Tab) -> None:
    """Where /v1/badges/import or the export endpoint answer 404, the page says so and keeps working."""
    page = tab.page
    page.route("**/v1/badges/import", not_found)
    page.route("**/v1/recommendations/export*", not_found)
    page.locator("#badge-file").set_input_files(
        files=[{"name": "badge.json", "mimeType": "application/json", "buffer": b'{"type": "Assertion"}'}])
    page.locator("#import-status", has_text="not available").wait_for()  # locators poll without eval (CSP)
    assert tab.texts("#import-status") == [
        "Importing Open Badges files is not available on this server yet; add your badges by name instead."]
    plan_scenario(tab)
    page.locator("#export-ics").click()
    page.locator("#export-status", has_text="not available").wait_for()
    assert tab.texts("#export-status") == ["ICS export is not available on this server yet."]


def open_badge(name: str, skill_id: str, expires: str) -> bytes:
    """An Open Badges 2.0 assertion (the fixture's, renamed) aligned to one ESCO skill, its issuer named XSS."""
    assertion = json.loads((ROOT / "tests" / "fixtures" / "badges" / "ob2-assertion.json").read_text())
    assertion["expires"] = expires
    assertion["badge"]["name"] = name
    assertion["badge"]["issuer"]["name"] = XSS
    assertion["badge"]["alignment"] = [{"targetName": "spreadsheets", "targetUrl": skill_id, "targetFramework": "ESCO"}]
    return json.dumps(assertion).encode()


def test_browser_imports_badges_as_the_server_resolves_them(tab: Tab, xss_app: Flask) -> None:
    """The real import endpoint: a badge aligned to an ESCO skill adds that skill (its alignment kept, not its name
    read as text); one named as a catalogue credential adds the credential and its declared skill; an expired one adds
    nothing and says why."""
    engine = xss_app.extensions["badgepath"].engine
    spreadsheets, python = (next(ref[0] for ref in engine.skill_refs if ref[1] == label)
                            for label in ("use spreadsheets software", "Python (computer programming)"))
    course = engine.credential(engine.artifact.credential_pos[PLOT])["name"]
    page = tab.page
    badges = [("Harbour Council Office Award", spreadsheets, "2099-06-30T23:59:59Z",
               "skill use spreadsheets software (from Harbour Council Office Award)"),
              (course, python, "2099-06-30T23:59:59Z",
               f"{course} ({XSS}); skill Python (computer programming) (from {course})"),
              ("SQL Basics", spreadsheets, "2020-01-01T00:00:00Z", "SQL Basics (expired, not counted)")]
    for index, (name, skill, expires, said) in enumerate(badges):
        page.locator("#badge-file").set_input_files(files=[{
            "name": f"badge{index}.json", "mimeType": "application/json", "buffer": open_badge(name, skill, expires)}])
        page.locator("#import-status", has_text=f"from badge{index}.json").wait_for()  # polls without eval (CSP)
        assert tab.texts("#import-status") == [f"Read 1 badge from badge{index}.json: {said}"]
    assert tab.texts("#skill-chips .chip > span") == ["use spreadsheets software", "Python (computer programming)"]
    assert tab.texts("#badge-chips .chip > span") == [course]


def test_browser_screenshot(tab: Tab, tmp_path: Path) -> None:
    """A picture of the scenario's answer, one skill's evidence showing; kept where PAGE_SCREENSHOT says."""
    plan_scenario(tab)
    page = tab.page
    page.locator("#step-1 .alternatives summary").click()
    page.locator("#held .tag").first.hover()
    target = Path(os.environ.get("PAGE_SCREENSHOT") or tmp_path / "screenshot.png")
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 50_000
