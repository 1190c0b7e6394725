"""Request ids, JSON access logs, security headers and Prometheus metrics."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
BUCKETS = (0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "frame-ancestors 'none'",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per log line, with the request id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as JSON."""
        entry: dict[str, Any] = {
            "time": self.formatTime(record), "level": record.levelname, "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if has_request_context():
            entry.setdefault("request_id", g.get("request_id"))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def setup_logging() -> None:
    """Send the badgepath logger to stderr as JSON lines (once per process)."""
    logger = logging.getLogger("badgepath")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


class Metrics:
    """The app's own Prometheus registry (one per app, so tests can build many apps)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("badgepath_requests", "HTTP requests", ["endpoint", "method", "status"],
                                registry=self.registry)
        self.latency = Histogram("badgepath_request_seconds", "Request latency", ["endpoint"], buckets=BUCKETS,
                                 registry=self.registry)
        self.encode = Histogram("badgepath_encode_seconds", "Model encode time per call", buckets=BUCKETS,
                                registry=self.registry)
        self.encoded = Counter("badgepath_encoded_texts", "Texts encoded by the model", registry=self.registry)
        self.rows = Gauge("badgepath_index_rows", "Vector rows per index", ["index"], registry=self.registry)
        self.records = Gauge("badgepath_catalog_records", "Catalogue records", ["kind"], registry=self.registry)

    def observe_encode(self, seconds: float, count: int) -> None:
        """Record one model call."""
        self.encode.observe(seconds)
        self.encoded.inc(count)


def start_request() -> None:
    """Assign the request id (the caller's X-Request-ID when well-formed) and start the clock."""
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
    g.started = time.perf_counter()


def finish_request(response: Response) -> Response:
    """Add headers, count the request and write the access log line."""
    from flask import current_app

    elapsed = time.perf_counter() - getattr(g, "started", time.perf_counter())
    response.headers["X-Request-ID"] = getattr(g, "request_id", "-")
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    endpoint = request.url_rule.rule if request.url_rule else "unmatched"
    metrics: Metrics = current_app.extensions["badgepath.metrics"]
    metrics.requests.labels(endpoint, request.method, str(response.status_code)).inc()
    metrics.latency.labels(endpoint).observe(elapsed)
    logging.getLogger("badgepath.access").debug("request", extra={"fields": {
        "request_id": g.get("request_id"), "method": request.method, "path": request.path,
        "status": response.status_code, "ms": round(elapsed * 1000, 2), "endpoint": endpoint,
    }})
    return response


def metrics_view() -> Response:
    """Prometheus text exposition of this worker's metrics."""
    from flask import current_app

    metrics: Metrics = current_app.extensions["badgepath.metrics"]
    return Response(generate_latest(metrics.registry), content_type=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    """Wire logging, metrics and per-request hooks into the app."""
    setup_logging()
    metrics = Metrics()
    app.extensions["badgepath.metrics"] = metrics
    resources = app.extensions.get("badgepath")
    if resources is not None:
        resources.encoder.observer = metrics.observe_encode
        for name, table in resources.engine.artifact.tables.items():
            metrics.rows.labels(name).set(table.rows)
            metrics.records.labels(name).set(len(getattr(resources.engine.artifact, name)))
    app.before_request(start_request)
    app.after_request(finish_request)
    app.add_url_rule("/metrics", "metrics", metrics_view, methods=["GET"])
