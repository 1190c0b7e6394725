"""A recommended path exported as a CTDL Pathway (JSON-LD) or an iCalendar file."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import Blueprint, Response, current_app

from ..credentials.ical import calendar
from ..credentials.pathway import pathway
from ..engine.recommend import recommend
from ..schemas import ExportQuery, ExportRequest
from . import engine, json_body, parse, query_args, resources

bp = Blueprint("export", __name__, url_prefix="/v1")


def coming_monday(today: date) -> date:
    """Today when it is a Monday, else the next Monday."""
    return today + timedelta(days=-today.weekday() % 7)


def revised() -> datetime:
    """When the data behind the answer was built (the artifact's creation time): the calendar's DTSTAMP."""
    return datetime.fromisoformat(resources().manifest["created_at"]).astimezone(UTC)


@bp.post("/recommendations/export")
def export() -> Response:
    """The recommendation's path as ?format=ctdl (application/ld+json) or ?format=ics (text/calendar)."""
    fmt = parse(ExportQuery, query_args()).format
    body = parse(ExportRequest, json_body())
    result = recommend(engine(), body)
    start = body.start_date or coming_monday(datetime.now(UTC).date())
    if fmt == "ctdl":
        # the app's JSON escapes < > &, so the JSON-LD is safe to embed in a page's <script> element
        return Response(current_app.json.dumps(pathway(result, start), ensure_ascii=False, sort_keys=False),
                        mimetype="application/ld+json")
    headers = {"Content-Disposition": 'attachment; filename="badgepath-path.ics"'}
    return Response(calendar(result, start, revised()), mimetype="text/calendar", headers=headers)
