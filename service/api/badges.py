"""Open Badges import: badges sent as JSON or uploaded as files, read, verified offline and resolved."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import FileStorage

from ..credentials.errors import FormatError
from ..credentials.openbadges import Badge, read_bytes
from ..engine.learner import Holdings, resolve_badges
from ..engine.recommend import held_report
from ..errors import Problem
from ..schemas import BadgeImportRequest
from . import engine, json_body, parse, settings

bp = Blueprint("badges", __name__, url_prefix="/v1")
MULTIPART = "multipart/form-data"


def file_error(index: int, upload: FileStorage, exc: FormatError) -> dict[str, Any]:
    """One per-file fault: the part, the file name and where inside the file."""
    where = exc.where()
    return {**where, "pointer": f"/file/{index}{where.get('pointer', '')}", "file": upload.filename,
            "message": exc.located(), "type": exc.kind}


def uploaded() -> tuple[list[str | Badge], list[str | None]]:
    """The badges of a multipart upload's `file` parts, or a 422 listing every unreadable file."""
    files = request.files.getlist("file")
    if not files or len(files) > settings().max_badges:
        message = f"upload 1 to {settings().max_badges} badge files as `file` parts"
        errors = [{"pointer": "/file", "message": message, "type": "file_count"}]
        raise Problem(422, "validation", "Unprocessable Content", "1 invalid field(s)", errors)
    now, badges, errors = datetime.now(UTC), [], []
    for i, upload in enumerate(files):
        try:
            badges.append(read_bytes(upload.read(), now))
        except FormatError as exc:
            errors.append(file_error(i, upload, exc))
    if errors:
        raise Problem(422, "invalid-badge", "Unprocessable Content", f"{len(errors)} unreadable badge file(s)", errors)
    return list(badges), [f.filename for f in files]


def sent() -> tuple[list[str | Badge], list[str | None]]:
    """The badges of the request: a multipart upload or a JSON body."""
    if request.mimetype == MULTIPART:
        return uploaded()
    if not request.is_json:
        raise Problem(415, "unsupported-media-type", "Unsupported Media Type",
                      "send the badges as application/json or upload them as multipart/form-data")
    items = parse(BadgeImportRequest, json_body()).badge_items()
    return items, [None] * len(items)


@bp.post("/badges/import")
def import_badges() -> ResponseReturnValue:
    """Each badge read and verified, what it resolved to, and what the learner holds through them."""
    items, names = sent()
    held = Holdings()
    resolve_badges(engine(), items, held, "/badges")
    held.badges.sort(key=lambda b: b["index"])
    for entry in held.badges:
        if names[entry["index"]] is not None:
            entry["file"] = names[entry["index"]]
    return jsonify({**held_report(held), "warnings": held.warnings})
