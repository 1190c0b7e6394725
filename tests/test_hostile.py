"""Hostile input against the real server (gunicorn, one worker): each gets its 4xx problem, whole body asserted, and
the worker stays up and healthy after every one."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from service.engine.core import Engine

from .catalogs import DATA_ANALYST
from .live import Reply, Server, gunicorn

RID = "hostile-1"
TYPE = "https://badgepath.dev/problems/"
JSON = {"Content-Type": "application/json", "X-Request-ID": RID}
ENCODE_BUDGET = 3_000
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;'

OVER_BODY_LIMIT = "the request body is over 1048576 bytes (BADGEPATH_MAX_BODY_BYTES)"

@pytest.fixture(scope="module")
def server(artifact_dir: Path, small_catalog: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """gunicorn with one worker and a small text budget (so the budget test is quick)."""
    log = tmp_path_factory.mktemp("hostile") / "server.log"
    with gunicorn(log, artifact_dir=str(artifact_dir), catalog_dir=str(small_catalog),
                  max_encode_chars=str(ENCODE_BUDGET)) as running:
        yield running


@pytest.fixture
def live(server: Server) -> Iterator[Server]:
    """The server, checked after the test: /healthz answers and no worker was lost or replaced."""
    workers = server.workers()
    yield server
    health = server.request("GET", "/healthz")
    assert (health.status, health.json()) == (200, {"status": "ok"})
    assert server.workers() == workers
    assert "unhandled error" not in server.log_text()


def problem(status: int, slug: str, title: str, detail: str, errors: list[dict[str, Any]] | None = None,
            rid: str | None = RID) -> dict[str, Any]:
    """The expected problem body."""
    body: dict[str, Any] = {"type": TYPE + slug, "title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    if rid is not None:
        body["request_id"] = rid
    return body


def invalid(pointer: str, message: str, kind: str = "value_error") -> dict[str, Any]:
    """The expected 422 body for one invalid field."""
    return problem(422, "validation", "Unprocessable Content", "1 invalid field(s)",
                   [{"pointer": pointer, "message": message, "type": kind}])


def assert_problem(reply: Reply, expected: dict[str, Any]) -> None:
    """A problem+json answer, not sniffable, with exactly this body."""
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert (reply.status, reply.json()) == (expected["status"], expected)


def post(server: Server, path: str, body: bytes, headers: dict[str, str] | None = None) -> Reply:
    """POST raw bytes as JSON (unless headers say otherwise)."""
    return server.request("POST", path, body, headers or JSON)


def post_json(server: Server, path: str, document: Any) -> Reply:
    """POST a JSON document."""
    return post(server, path, json.dumps(document).encode())


MALFORMED = [
    pytest.param(b'{"text": "caf\xe9 au lait"}', "body is not valid UTF-8 (byte 13)", id="invalid-utf8"),
    pytest.param(b'{"text": "\xed\xa0\x80"}', "body is not valid UTF-8 (byte 10)", id="utf8-encoded-surrogate"),
    pytest.param(b"[" * 10_000 + b"]" * 10_000, "JSON nested too deeply", id="array-10000-deep"),
    pytest.param(b'{"text": ' + b'{"a": ' * 10_000 + b"1" + b"}" * 10_001, "JSON nested too deeply",
                 id="object-10000-deep"),
    pytest.param(b'{"text": "x", "limit": 1e999}', "malformed JSON: number 1e999 is out of range", id="1e999"),
    pytest.param(b'{"text": "x", "limit": -1e999}', "malformed JSON: number -1e999 is out of range", id="-1e999"),
    pytest.param(b'{"text": "x", "limit": NaN}', "malformed JSON: NaN is not a valid JSON number", id="NaN"),
    pytest.param(b'{"text": "x", "limit": -Infinity}', "malformed JSON: -Infinity is not a valid JSON number",
                 id="-Infinity"),
    pytest.param(b'{"text": "x", "limit": 1' + b"0" * 5000 + b"}",
                 "malformed JSON: a number of 5001 digits (at most 100)", id="5001-digit-integer"),
    pytest.param(b'{"text": "x", "limit": -1' + b"0" * 100 + b"}",
                 "malformed JSON: a number of 101 digits (at most 100)", id="101-digit-integer"),
    pytest.param(b'{"text": "a\x00b"}', "malformed JSON: Invalid control character at: line 1 column 12 (char 11)",
                 id="raw-null-byte"),
    pytest.param(b"\xef\xbb\xbf{}", "malformed JSON: Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 "
                 "(char 0)", id="byte-order-mark"),
]


@pytest.mark.parametrize(("body", "detail"), MALFORMED)
def test_malformed_json_is_400(live: Server, body: bytes, detail: str) -> None:
    """Bodies that are not strict JSON in UTF-8 are 400s that say why."""
    assert_problem(post(live, "/v1/skills/extract", body), problem(400, "malformed-json", "Bad Request", detail))


def test_lone_surrogate_escape_is_422(live: Server) -> None:
    """A \\ud800 escape parses to a string that is no Unicode; validation refuses it and names the field."""
    reply = post(live, "/v1/gap", b'{"target": {"title": "data \\ud800 analyst"}}')
    assert_problem(reply, invalid("/target/title", "Input should be a valid string, unable to parse raw data as a "
                                  "unicode string", "string_unicode"))


def test_escaped_null_byte_is_data(live: Server) -> None:
    """An escaped NUL inside a text is just a character: the text is read, not refused nor crashing."""
    reply = post_json(live, "/v1/skills/extract", {"text": "python\u0000 and sql"})
    assert reply.status == 200
    assert set(reply.json()) == {"skills", "boilerplate_dropped", "warnings"}


def test_null_byte_in_ids_is_unknown(live: Server) -> None:
    """A NUL in a path id is an unknown id (404), echoed back escaped."""
    reply = live.request("GET", "/v1/credentials/a%00b", headers={"X-Request-ID": RID})
    detail = "unknown credential id 'a\\x00b'"
    assert_problem(reply, problem(404, "unknown-credential", "Not Found", detail,
                                  [{"pointer": "/credential_id", "message": detail, "type": "unknown_credential"}]))


def test_ten_megabyte_body_is_413(live: Server) -> None:
    """A 10 MB body is refused with 413 before it is parsed."""
    body = b'{"text": "' + b"a" * 10_000_000 + b'"}'
    reply = live.upload("/v1/skills/extract", body, {**JSON, "Content-Length": str(len(body))})
    assert_problem(reply, problem(
        413, "request-entity-too-large", "Content Too Large", OVER_BODY_LIMIT))


def test_ten_megabyte_chunked_body_is_413(live: Server) -> None:
    """The same through chunked transfer encoding (no Content-Length to check up front)."""
    chunks = [b'{"text": "'] + [b"a" * 1_000_000] * 10 + [b'"}']
    body = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    reply = live.upload("/v1/skills/extract", body, {**JSON, "Transfer-Encoding": "chunked"})
    assert_problem(reply, problem(413, "request-entity-too-large", "Content Too Large", OVER_BODY_LIMIT))


@pytest.mark.parametrize(("path", "document", "pointer"), [
    ("/v1/gap", {"target": {"title": "nurse"}, "learner": {"badges": ["a badge"] * 10_000}}, "/learner/badges"),
    ("/v1/gap", {"target": {"title": "nurse"}, "learner": {"badges": [1] * 10_000}}, "/learner/badges"),
    ("/v1/gap", {"target": {"title": "nurse"}, "learner": {"skills": ["sql"] * 10_000}}, "/learner/skills"),
    ("/v1/badges/import", {"badges": [{}] * 10_000}, "/badges"),
    ("/v1/recommendations/batch", {"requests": [{}] * 10_000}, "/requests"),
], ids=["badge-titles", "badge-numbers", "skills", "import", "batch"])
def test_ten_thousand_items_get_one_error(live: Server, path: str, document: Any, pointer: str) -> None:
    """10,000 items are one error about the count, not 10,000 errors (nor 10,000 model reads)."""
    limit = 100 if path.endswith("batch") else 200
    reply = post_json(live, path, document)
    assert_problem(reply, invalid(pointer, f"at most {limit} items allowed (got 10000)"))


@pytest.mark.parametrize(("path", "document", "pointer"), [
    ("/v1/recommendations", {"target": {"description": "a" * 1_000_000}}, "/target/description"),
    ("/v1/skills/extract", {"text": "a" * 1_000_000}, "/text"),
], ids=["description", "extract"])
def test_one_megabyte_text_is_422(live: Server, path: str, document: Any, pointer: str) -> None:
    """A 1 MB text fits the body limit but not the text limit: one error naming the field."""
    assert_problem(post_json(live, path, document),
                   invalid(pointer, "at most 20000 characters of text allowed, HTML tags not counted (got 1000000)"))


def test_a_posting_s_markup_is_not_counted_against_the_text_limit(live: Server) -> None:
    """An ATS posting of 15,000 characters of text in 30,000 of markup is read (its tags are not counted); one of
    20,001 characters of text is refused by them."""
    words = "Maintain forklift trucks and keep stock records. " * 300  # 15,000 characters
    marked = "".join(f'<span style="font-family:Arial;font-size:11pt">{w} </span>' for w in words.split())
    assert len(marked) > 20_000
    assert post_json(live, "/v1/skills/extract", {"text": marked}).status == 200
    over = "<p>" + "a" * 20_001 + "</p>"
    assert_problem(post_json(live, "/v1/skills/extract", {"text": over}),
                   invalid("/text", "at most 20000 characters of text allowed, HTML tags not counted (got 20001)"))


def test_text_budget_refuses_amplification(live: Server) -> None:
    """Many texts in one request cost the model more than any one limit shows: past the budget it is a 413."""
    skills = [f"skill number {i} with a few more words" for i in range(150)]
    reply = post_json(live, "/v1/gap", {"target": {"role_id": DATA_ANALYST}, "learner": {"skills": skills}})
    assert_problem(reply, problem(413, "too-much-text", "Content Too Large",
                                  f"the request needs more than {ENCODE_BUDGET} characters of text read by the model; "
                                  "send less text or split the batch"))


def test_text_budget_fails_batch_items_alone(live: Server) -> None:
    """In a batch, the items past the budget fail with their own 413 problem; the ones before succeed."""
    items = [{"target": {"description": " ".join(f"Role {i} needs skill number {j} in area {i * j}."
                                                  for j in range(20))}} for i in range(4)]
    reply = post_json(live, "/v1/recommendations/batch", {"requests": items})
    assert reply.status == 200
    results = reply.json()["results"]
    assert "path" in results[0]
    assert results[-1] == {"problem": problem(413, "too-much-text", "Content Too Large", (
        f"the request needs more than {ENCODE_BUDGET} characters of text read by the model; send less text or split "
        "the batch"), rid=None)}


@pytest.mark.parametrize(("content_type", "body"), [
    (None, b'{"text": "python"}'),
    ("text/plain", b'{"text": "python"}'),
    ("application/x-www-form-urlencoded", b"text=python"),
    ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="text"\r\n\r\npython\r\n--x--'),
    ("text/html", b"<html><body>python</body></html>"),
    ("application/xml", b"<text>python</text>"),
], ids=["none", "text-plain", "form", "multipart", "html", "xml"])
def test_wrong_content_type_is_415(live: Server, content_type: str | None, body: bytes) -> None:
    """Anything but JSON is a 415 saying what to send."""
    headers = {"X-Request-ID": RID} | ({"Content-Type": content_type} if content_type else {})
    assert_problem(post(live, "/v1/skills/extract", body, headers), problem(
        415, "unsupported-media-type", "Unsupported Media Type", "send the body as application/json"))


def test_utf16_json_is_400(live: Server) -> None:
    """JSON in UTF-16 (even when the charset says so) is not UTF-8: a 400 naming the byte."""
    body = '{"text": "python"}'.encode("utf-16")
    reply = post(live, "/v1/skills/extract", body, {**JSON, "Content-Type": "application/json; charset=utf-16"})
    assert_problem(reply, problem(400, "malformed-json", "Bad Request", "body is not valid UTF-8 (byte 0)"))


def assert_inert(reply: Reply) -> None:
    """An answer that carries hostile text only as JSON data: a JSON media type, nosniff, no raw < > &."""
    assert reply.headers["Content-Type"].split(";")[0] in {"application/json", "application/problem+json",
                                                          "application/ld+json"}
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert not {"<", ">", "&"} & set(reply.body.decode()), reply.body[:300]
    json.loads(reply.body)


TEXT_FIELDS = [
    ("POST", "/v1/skills/extract", {"text": XSS}),
    ("POST", "/v1/roles/match", {"text": XSS}),
    ("POST", "/v1/gap", {"target": {"title": XSS}, "learner": {"badges": [XSS], "skills": [XSS]}}),
    ("POST", "/v1/gap", {"target": {"role_id": XSS}}),
    ("POST", "/v1/recommendations", {"target": {"description": XSS}, "constraints": {
        "include_providers": [XSS], "exclude_providers": [XSS], "exclude_credentials": [XSS]}}),
    ("POST", "/v1/recommendations", {"target": {"title": "nurse"}, XSS: XSS}),
    ("POST", "/v1/recommendations/batch", {"requests": [{"target": {"title": XSS}}, {XSS: 1}]}),
    ("POST", "/v1/recommendations/export?format=ctdl", {"target": {"title": XSS}}),
    ("POST", "/v1/badges/import", {"badges": [XSS, {"type": XSS, "name": XSS}]}),
    ("GET", f"/v1/skills?q={quote(XSS)}", None),
    ("GET", f"/v1/roles?q={quote(XSS)}", None),
    ("GET", f"/v1/credentials?q={quote(XSS)}&skill={quote(XSS[:90])}", None),
    ("GET", f"/v1/credentials/{quote(XSS, safe='')}", None),
    ("GET", f"/v1/roles/{quote(XSS, safe='')}", None),
    ("GET", f"/v1/{quote(XSS, safe='')}", None),
    ("GET", f"/v1/skills?limit={quote(XSS)}", None),
]


@pytest.mark.parametrize(("method", "path", "document"), TEXT_FIELDS,
                         ids=[f"{m} {p.split('?')[0][:30]} {i}" for i, (m, p, _) in enumerate(TEXT_FIELDS)])
def test_markup_is_echoed_only_as_escaped_data(live: Server, method: str, path: str, document: Any) -> None:
    """HTML and script in every text field come back (if at all) as escaped JSON data, never as markup."""
    body = None if document is None else json.dumps(document).encode()
    assert_inert(live.request(method, path, body, JSON))


def test_markup_request_id_is_replaced(live: Server) -> None:
    """A hostile X-Request-ID is not echoed: the server assigns its own."""
    reply = live.request("GET", "/healthz", headers={"X-Request-ID": XSS[:60]})
    assert len(reply.headers["X-Request-ID"]) == 32
    assert set(reply.headers["X-Request-ID"]) <= set("0123456789abcdef")


def cyrillic(text: str) -> str:
    """The text with Latin a, e, o, c, p replaced by their Cyrillic look-alikes."""
    return text.translate(str.maketrans("aeocp", "аеоср"))


def test_lookalike_role_id_is_unknown(live: Server) -> None:
    """A role URI spelled with Cyrillic look-alikes is not the role: a 404 echoing exactly what was sent."""
    fake = cyrillic(DATA_ANALYST)
    reply = post_json(live, "/v1/gap", {"target": {"role_id": fake}})
    detail = f"unknown role id {fake!r}"
    assert_problem(reply, problem(404, "unknown-role", "Not Found", detail,
                                  [{"pointer": "/target/role_id", "message": detail, "type": "unknown_role"}]))


def test_lookalike_ids_in_paths_are_unknown(live: Server, engine: Engine) -> None:
    """Look-alike and full-width spellings of real ids are unknown ids, never silently folded onto the real one."""
    real = engine.artifact.credentials[0]["id"]
    for fake in (cyrillic(real), real.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}), real + "\u200b"):
        reply = live.request("GET", "/v1/credentials/" + quote(fake, safe=""), headers={"X-Request-ID": RID})
        assert (reply.status, reply.json()["type"]) == (404, TYPE + "unknown-credential")
        assert reply.json()["detail"] == f"unknown credential id {fake!r}"


def test_lookalike_title_is_read_as_text(live: Server) -> None:
    """A free-text title with look-alikes, zero-width and bidi controls is still just text to match."""
    reply = post_json(live, "/v1/roles/match", {"text": cyrillic("data analyst") + "\u200b\u202e"})
    assert reply.status == 200
    assert reply.json()["matched_by"] == "title"


TRAVERSALS = [
    ("/v1/credentials/..%2F..%2Fetc%2Fpasswd", "unknown-credential", "../../etc/passwd"),
    ("/v1/credentials/../../etc/passwd", "unknown-credential", "../../etc/passwd"),
    ("/v1/credentials/%2e%2e%252f%2e%2e%252fetc%252fpasswd", "unknown-credential", "..%2f..%2fetc%2fpasswd"),
    ("/v1/roles/..%2F..%2F..%2Fservice%2Fconfig.py", "unknown-role", "../../../service/config.py"),
]


@pytest.mark.parametrize(("path", "slug", "ident"), TRAVERSALS, ids=[p for p, _, _ in TRAVERSALS])
def test_traversal_ids_are_unknown_ids(live: Server, path: str, slug: str, ident: str) -> None:
    """Path-traversal strings as ids are ids like any other: unknown, 404, nothing read from disk."""
    kind = slug.removeprefix("unknown-")
    detail = f"unknown {kind} id {ident!r}"
    assert_problem(live.request("GET", path, headers={"X-Request-ID": RID}), problem(
        404, slug, "Not Found", detail, [{"pointer": f"/{kind}_id", "message": detail, "type": f"unknown_{kind}"}]))


@pytest.mark.parametrize("path", [
    "/docs/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/docs/assets/../../../../etc/passwd",
    "/docs/assets/%2Fetc%2Fpasswd", "/web/static/..%2F..%2Fconfig.py", "/web/static/../../security.py",
    "/docs/assets/..%5C..%5Cconfig.py", "/v1/roles/%2Fetc%2Fpasswd",
])
def test_traversal_of_static_files_is_404(live: Server, path: str) -> None:
    """The two folders served as files never serve anything outside themselves; an id that starts with / is
    no route at all."""
    assert_problem(live.request("GET", path, headers={"X-Request-ID": RID}), problem(
        404, "not-found", "Not Found", "The requested URL was not found on the server. If you entered the URL "
        "manually please check your spelling and try again."))


def raw_problem(answer: bytes) -> tuple[str, dict[str, str], Any]:
    """Status line, headers and JSON body of a raw HTTP answer."""
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return status, headers, json.loads(body)


def test_overlong_url_is_a_414_problem(live: Server) -> None:
    """A request line over gunicorn's 8190-byte limit gets a 414 problem (not gunicorn's HTML page)."""
    status, headers, body = raw_problem(live.raw(b"GET /v1/skills?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"))
    assert (status, headers["Content-Type"], headers["X-Content-Type-Options"]) == (
        "HTTP/1.1 414 URI Too Long", "application/problem+json", "nosniff")
    assert re.fullmatch("[0-9a-f]{32}", headers["X-Request-ID"])
    assert body == problem(414, "uri-too-long", "URI Too Long", "8199", rid=headers["X-Request-ID"]) | {
        "detail": body["detail"]}
    assert body["detail"].startswith("Request Line is too large")


def test_malformed_header_is_a_400_problem(live: Server) -> None:
    """A header gunicorn cannot parse is a 400 problem, its text escaped as JSON."""
    status, headers, body = raw_problem(live.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad<Header>: 1\r\n\r\n"))
    assert (status, headers["Content-Type"]) == ("HTTP/1.1 400 Bad Request", "application/problem+json")
    assert body == problem(400, "bad-request", "Bad Request", "Invalid HTTP header name: 'Bad<Header>'",
                           rid=headers["X-Request-ID"])


def test_unknown_methods_are_405(live: Server) -> None:
    """PUT, DELETE and PATCH on the API are 405 problems listing what is allowed."""
    for method in ("PUT", "DELETE", "PATCH"):
        reply = live.request(method, "/v1/gap", b"{}", JSON)
        assert set(reply.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}
        assert_problem(reply, problem(405, "method-not-allowed", "Method Not Allowed",
                                      "The method is not allowed for the requested URL."))


def test_access_log_lines_stay_json(live: Server) -> None:
    """Quotes and backslashes in the path and the User-Agent cannot forge fields of gunicorn's JSON access line."""
    forged = '\\", "status": "200'
    reply = live.request("GET", "/v1/credentials/" + quote(forged, safe=""),
                         headers={"User-Agent": forged, "X-Request-ID": "hostile-log"})
    assert reply.status == 404
    deadline = time.monotonic() + 5
    while '"hostile-log"' not in live.log_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = [json.loads(line) for line in live.log_text().splitlines() if '"hostile-log"' in line]
    assert [(e["status"], e["agent"], e["path"]) for e in lines] == [("404", forged, "/v1/credentials/" + forged)]
