"""Security options (off by default): API keys, per-key rate limits (memory and Redis), CORS; and what is always on:
security headers and a request id on every answer and log line."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from service import create_app, security
from service.config import SettingsError, load_settings
from service.observability import SECURITY_HEADERS, JsonFormatter

from .live import free_port

TYPE = "https://badgepath.dev/problems/"
KEY, OTHER = "k-3f9a1c", "k-77b2e0"
HASHES = ",".join(hashlib.sha256(k.encode()).hexdigest() for k in (KEY, OTHER))
ORIGIN = "https://coach.example"
OPEN = ["/", "/healthz", "/readyz", "/metrics", "/docs", "/openapi.json", "/docs/init.js", "/web/static/app.js"]
RID = "security-1"


def secured(app: Flask, **settings: Any) -> Flask:
    """An app with these settings serving the session app's model and artifact (loaded once, so this is quick)."""
    new = create_app({"load_model": False, "testing": True, **settings})
    new.extensions["badgepath"] = app.extensions["badgepath"]
    return new


def problem(status: int, slug: str, title: str, detail: str) -> dict[str, Any]:
    """The expected problem body."""
    return {"type": TYPE + slug, "title": title, "status": status, "detail": detail, "request_id": RID}


@pytest.fixture(scope="module")
def keyed(app: Flask) -> Flask:
    """API keys and a CORS allowlist on."""
    return secured(app, api_keys=HASHES, cors_origins=f"{ORIGIN}, https://other.example/")


@pytest.fixture
def api(keyed: Flask) -> FlaskClient:
    """A client of the keyed app sending a fixed request id."""
    client = keyed.test_client()
    client.environ_base["HTTP_X_REQUEST_ID"] = RID
    return client


def test_keys_are_off_by_default(client: FlaskClient) -> None:
    """Without BADGEPATH_API_KEYS the API answers anyone."""
    response = client.get("/v1/meta")
    assert response.status_code == 200
    assert "WWW-Authenticate" not in response.headers


def test_missing_key_is_401(api: FlaskClient) -> None:
    """No key: 401 problem with a Bearer challenge."""
    response = api.get("/v1/meta")
    assert (response.status_code, response.mimetype) == (401, "application/problem+json")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="badgepath"'
    assert response.get_json() == problem(401, "unauthorized", "Unauthorized",
                                          "send an API key as `Authorization: Bearer <key>` or `X-API-Key: <key>`")


@pytest.mark.parametrize("headers", [
    {"Authorization": "Bearer k-wrong"}, {"X-API-Key": "k-wrong"}, {"X-API-Key": HASHES.split(",")[0]},
    {"Authorization": f"Basic {KEY}"}, {"Authorization": f"Bearer {KEY}x"},
], ids=["bearer", "x-api-key", "the-hash-itself", "basic-scheme", "longer"])
def test_wrong_key_is_401(api: FlaskClient, headers: dict[str, str]) -> None:
    """A key that is not configured (the configured hash is not a key either) is refused as invalid."""
    response = api.get("/v1/meta", headers=headers)
    if headers.get("Authorization", "").startswith("Basic"):
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="badgepath"'
        return
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="badgepath", error="invalid_token"'
    assert response.get_json() == problem(401, "unauthorized", "Unauthorized", "the API key is not valid")


@pytest.mark.parametrize("headers", [
    {"Authorization": f"Bearer {KEY}"}, {"Authorization": f"bearer {OTHER}"}, {"X-API-Key": KEY},
], ids=["bearer", "bearer-lowercase-other-key", "x-api-key"])
def test_right_key_is_served(api: FlaskClient, headers: dict[str, str]) -> None:
    """Either configured key, in either header, reaches the API."""
    response = api.post("/v1/roles/match", json={"text": "data analyst"}, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["roles"][0]["title"] == "data analyst"


@pytest.mark.parametrize("path", OPEN)
def test_open_paths_need_no_key(api: FlaskClient, path: str) -> None:
    """Probes, metrics, docs, the OpenAPI document and the page stay open."""
    assert api.get(path).status_code == 200


def test_keys_compare_with_every_hash_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check runs hmac.compare_digest against every configured hash, even after a match."""
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(security.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or a == b)
    hashes = HASHES.split(",")
    assert security.known(hashes[0], hashes)
    assert calls == [(hashes[0], hashes[0]), (hashes[0], hashes[1])]


def test_raw_keys_in_settings_are_refused() -> None:
    """BADGEPATH_API_KEYS takes sha256 digests: a plain key stops the start with one line."""
    with pytest.raises(SettingsError) as caught:
        create_app({"load_model": False, "api_keys": KEY})
    assert str(caught.value) == ("invalid settings: BADGEPATH_API_KEYS: Value error, give comma-separated sha256 hex "
                                 "digests of the keys, not the keys")


def hammer(client: FlaskClient, count: int, **headers: str) -> list[int]:
    """Statuses of count GET /v1/meta calls."""
    return [client.get("/v1/meta", headers=headers).status_code for _ in range(count)]


def test_rate_limit_per_key(app: Flask) -> None:
    """Past the limit a key gets 429 problems with Retry-After; another key and the open paths are not affected."""
    client = secured(app, api_keys=HASHES, rate_limit="3/minute").test_client()
    client.environ_base["HTTP_X_REQUEST_ID"] = RID
    assert hammer(client, 3, **{"X-API-Key": KEY}) == [200, 200, 200]
    response = client.get("/v1/meta", headers={"X-API-Key": KEY})
    assert (response.status_code, response.mimetype) == (429, "application/problem+json")
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert response.headers["X-RateLimit-Limit"] == "3"
    assert response.get_json() == problem(429, "too-many-requests", "Too Many Requests", (
        "more requests than 3/minute for this API key (or client address); retry after Retry-After seconds"))
    assert hammer(client, 3, **{"X-API-Key": OTHER}) == [200, 200, 200]
    assert {client.get(path).status_code for path in OPEN * 2} == {200}


def test_rate_limit_without_keys_counts_by_address(app: Flask) -> None:
    """With keys off, each client address has its own budget."""
    client = secured(app, rate_limit="2/minute").test_client()
    assert hammer(client, 3) == [200, 200, 429]
    client.environ_base["REMOTE_ADDR"] = "127.0.0.9"
    assert hammer(client, 2) == [200, 200]


def test_gunicorn_settings_are_accepted_by_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """gunicorn.conf.py reads BADGEPATH_MALLOC_ARENAS; the app, which refuses unknown BADGEPATH_* variables, accepts it
    and refuses a negative count with one line."""
    monkeypatch.setenv("BADGEPATH_MALLOC_ARENAS", "1")
    assert load_settings().malloc_arenas == 1
    monkeypatch.setenv("BADGEPATH_MALLOC_ARENAS", "-1")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value) == "invalid settings: BADGEPATH_MALLOC_ARENAS: Input should be greater than or equal to 0"


def test_bad_rate_limit_setting_is_refused() -> None:
    """A rate the limiter cannot read stops the start with one line naming the variable."""
    with pytest.raises(SettingsError, match=r"^invalid settings: BADGEPATH_RATE_LIMIT: Value error, "):
        create_app({"load_model": False, "rate_limit": "100/fortnight"})


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A redis-server of our own on a free loopback port."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_redis(port, server)
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_for_redis(port: int, server: subprocess.Popen[bytes]) -> None:
    """Wait until the server answers PING; skip if it cannot start."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if redis.Redis(port=port, socket_timeout=1).ping():
                return
        except redis.ConnectionError:
            time.sleep(0.05)
    pytest.skip(f"redis-server did not start on port {port}")


def test_rate_limit_shared_through_redis(app: Flask, redis_url: str) -> None:
    """Two replicas on one Redis share each key's budget: the limit holds across them."""
    replicas = [secured(app, api_keys=HASHES, rate_limit="4/minute", rate_limit_storage_uri=redis_url).test_client()
                for _ in range(2)]
    statuses = [replicas[i % 2].get("/v1/meta", headers={"X-API-Key": KEY}).status_code for i in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    assert replicas[1].get("/v1/meta", headers={"X-API-Key": OTHER}).status_code == 200


def test_rate_limit_fails_open_without_redis(app: Flask) -> None:
    """If Redis is down the API keeps answering (counted in memory meanwhile) rather than failing every call."""
    client = secured(app, rate_limit="2/minute", rate_limit_storage_uri=f"redis://127.0.0.1:{free_port()}")
    assert hammer(client.test_client(), 3) == [200, 200, 429]


def test_cors_is_off_by_default(client: FlaskClient) -> None:
    """Without BADGEPATH_CORS_ORIGINS no origin is allowed."""
    response = client.get("/v1/meta", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_allows_listed_origins(api: FlaskClient) -> None:
    """A listed origin may read answers, errors included; others get no CORS headers."""
    response = api.get("/v1/meta", headers={"Origin": ORIGIN, "X-API-Key": KEY})
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in response.headers["Vary"]
    assert "X-Request-ID" in response.headers["Access-Control-Expose-Headers"]
    refused = api.get("/v1/meta", headers={"Origin": "https://other.example"})
    assert (refused.status_code, refused.headers["Access-Control-Allow-Origin"]) == (401, "https://other.example")
    stranger = api.get("/v1/meta", headers={"Origin": "https://evil.example", "X-API-Key": KEY})
    assert "Access-Control-Allow-Origin" not in stranger.headers


def test_cors_preflight_needs_no_key(api: FlaskClient) -> None:
    """A preflight from a listed origin is a 204 with the methods and headers a client may use."""
    response = api.options("/v1/recommendations", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-api-key"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert response.headers["Access-Control-Allow-Headers"] == "Authorization, Content-Type, X-API-Key, X-Request-ID"
    stranger = api.options("/v1/recommendations", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in stranger.headers


def test_cors_any_origin(app: Flask) -> None:
    """`*` allows every origin."""
    response = secured(app, cors_origins="*").test_client().get("/healthz", headers={"Origin": "https://a.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(("method", "path", "body", "mimetype"), [
    ("GET", "/healthz", None, "application/json"),
    ("GET", "/nowhere", None, "application/problem+json"),
    ("POST", "/v1/gap", {"target": {}}, "application/problem+json"),
    ("GET", "/", None, "text/html"),
    ("GET", "/docs", None, "text/html"),
    ("GET", "/metrics", None, "text/plain"),
    ("GET", "/web/static/app.js", None, "text/javascript"),
    ("POST", "/v1/recommendations/export?format=ics", {"target": {"title": "nurse"}}, "text/calendar"),
])
def test_security_headers_on_every_answer(client: FlaskClient, method: str, path: str, body: Any,
                                          mimetype: str) -> None:
    """Every answer, whatever its type, carries the security headers and a request id."""
    response = client.open(path, method=method, json=body)
    assert response.mimetype == mimetype
    assert {k: response.headers[k] for k in SECURITY_HEADERS} == SECURITY_HEADERS
    assert len(response.headers["X-Request-ID"]) == 32


def test_request_id_on_answers_and_log_lines(app: Flask) -> None:
    """A well-formed X-Request-ID is echoed; the log lines written while serving it carry it too."""
    boom = secured(app)
    boom.add_url_rule("/boom", "boom", lambda: 1 / 0)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger("badgepath").addHandler(handler)
    try:
        response = boom.test_client().get("/boom", headers={"X-Request-ID": "trace-42"})
    finally:
        logging.getLogger("badgepath").removeHandler(handler)
    assert (response.status_code, response.headers["X-Request-ID"]) == (500, "trace-42")
    lines = [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]
    assert lines and all(line["request_id"] == "trace-42" for line in lines)
    assert response.get_json()["detail"] == "unexpected error; quote request id trace-42"


def test_answer_json_is_sorted_utf8_and_markup_safe(app: Flask) -> None:
    """Answers serialise with sorted keys, UTF-8 text and `<`, `>`, `&` escaped; export's unsorted form keeps order."""
    document = {"title": "Café <b>chef</b> & cook", "hours": 1.5, "id": 7, "levels": {2: "advanced"}}
    assert app.json.dumps(document) == (
        '{"hours":1.5,"id":7,"levels":{"2":"advanced"},'
        '"title":"Café \\u003cb\\u003echef\\u003c/b\\u003e \\u0026 cook"}')
    assert app.json.dumps({"b": 1, "a": 2}, sort_keys=False) == '{"b":1,"a":2}'
    assert json.loads(app.json.dumps(document, indent=2)) == {**document, "levels": {"2": "advanced"}}
    assert app.json.dumps({"b": "é<"}, cls=json.JSONEncoder) == '{"b": "\\u00e9\\u003c"}'  # json module's options
