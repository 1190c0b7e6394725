"""A recommended path as an iCalendar file (RFC 5545): one all-day event per step, spanning its weeks."""

from __future__ import annotations

from datetime import date, datetime

from .pathway import Record, identifiers, step_dates, target_name

PRODID = "-//badgepath//learning path//EN"
FOLD = 75


def escape(text: str) -> str:
    """An iCalendar TEXT value: backslash, semicolon, comma and newline escaped."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 sequence."""
    parts, chunk, size, limit = [], "", 0, FOLD
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(chunk)
            chunk, size, limit = "", 0, FOLD - 1
        chunk, size = chunk + char, size + width
    return "\r\n ".join([*parts, chunk])


def event(step: Record, number: int, total: int, uid: str, start: date, stamp: str) -> list[str]:
    """One VEVENT: an all-day event from the step's first week to the end of its last week."""
    cred = step["credential"]
    first, after = step_dates(start, step)
    weeks = f"week {step['start_week']}" if step["start_week"] == step["end_week"] else \
        f"weeks {step['start_week']}-{step['end_week']}"
    summary = f"Step {number}/{total}: {cred['name']}"
    about = f"{step['why']}\n{step['hours']} h, {weeks}; {cred.get('provider') or 'unknown provider'}"
    lines = [
        "BEGIN:VEVENT", f"UID:{uid}@badgepath", f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{first:%Y%m%d}",
        f"DTEND;VALUE=DATE:{after:%Y%m%d}", f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(about)}", "TRANSP:TRANSPARENT",
    ]
    if cred.get("url"):
        lines.append(f"URL:{cred['url']}")
    return [*lines, "END:VEVENT"]


def no_steps(result: Record, name: str) -> str:
    """Why a path has no step: nothing in the catalogue closes the gap (within the constraints), nothing of the target
    was understood (target.resolved: no role matched and no skill was found), or the learner holds every skill it asks
    for."""
    if result["gap"]:
        return f"No learning steps: nothing in the catalogue closes the gap to {name} within these constraints"
    if not result["target"]["resolved"]:
        return "No learning steps: no role matched the target and it names no skill, so there is no gap to close"
    return f"No learning steps needed for {name}"


def nothing_to_do(uid: str, start: date, stamp: str, summary: str) -> list[str]:
    """A calendar needs one component: with no steps, a journal entry says why (it blocks no time)."""
    return ["BEGIN:VJOURNAL", f"UID:{uid}@badgepath", f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
            f"SUMMARY:{escape(summary)}", "END:VJOURNAL"]


def calendar(result: Record, start: date, stamp: datetime) -> str:
    """The iCalendar text (CRLF lines) of a recommendation answer; stamp is the data's revision time."""
    steps, ids = result["path"]["steps"], identifiers(result, start)
    when, name = f"{stamp:%Y%m%dT%H%M%SZ}", target_name(result)
    body = [line for i, step in enumerate(steps) for line in event(step, i + 1, len(steps), ids[2 + i], start, when)]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(f'Learning path to {name}')}",
             *(body or nothing_to_do(ids[0], start, when, no_steps(result, name))), "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
