"""`python -m eval.scraped`: the job-ad task with the ads as copied from job sites: a header of reference, location,
pay, link, phone and "posted ... ago" lines, tracking hashtags at the end; (separately) the plain bullets drawn
as glyphs (ticks, arrows, shapes, emoji, 'o'); and (separately) the company blurb opening the ad without its
"About us" heading. Compare its rows with the job-ad rows of `make eval`."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from . import postings, tasks
from .harness import load_setup, patched
from .run import table

GLYPHS = ("\u2713 ", "\u27a2 ", "\U0001f539 ", "\u25ba ", "\u2714\ufe0f ", "o ")
PLAIN_BULLET = re.compile(r"(?m)^(?:- |\u2022 |\* )")
HEADERS = (
    "Job Reference: JR-{n} | Location: {city} | Salary: \u00a3{pay},000 - \u00a3{top},000",
    "Ref: {n} \u00b7 {city} \u00b7 Posted {days} days ago \u00b7 {n2} applicants",
    "Location: {city}\nJob ID: REQ-{n}\nDate posted: {days}/11/2026",
    "{city} | Full-time | Posted {days} days ago",
)
FOOTERS = (
    "Apply online at https://careers.example.com/jobs/{n} or email your CV to jobs@example.com",
    "Call 0161 496 {n2:04d} for an informal chat.",
    "#LI-Hybrid #LI-{initials}1",
    "Closing date: {days}/12/2026",
)
CITIES = ("Manchester, UK", "Berlin, Germany", "Austin, TX", "Remote (EU)", "Leeds")


def glyphed(text: str, rng: random.Random) -> str:
    """text with every plain bullet replaced by a glyph."""
    return PLAIN_BULLET.sub(lambda _: rng.choice(GLYPHS), text)


def with_site_lines(text: str, rng: random.Random) -> str:
    """text under a job-site header and over a footer of application lines."""
    values = {"n": rng.randint(10000, 99999), "n2": rng.randint(3, 400), "city": rng.choice(CITIES),
              "pay": rng.randint(22, 40), "top": rng.randint(41, 60), "days": rng.randint(2, 28),
              "initials": rng.choice(("JS", "AB", "KM"))}
    head, foot = rng.choice(HEADERS).format(**values), rng.sample(FOOTERS, 2)
    return "\n".join([head, text, *(f.format(**values) for f in foot)])


ABOUT_HEADING = re.compile(r"(?m)^(?:About us|Who we are|The company)\n")
HTML_ABOUT_HEADING = re.compile(r"<(h\d|p|strong|b)>(?:About us|Who we are|The company)</\1>")


def unheaded_intro(text: str, rng: random.Random) -> str:
    """text with its company section's heading removed: the blurb opens the ad, as in many real ones."""
    return HTML_ABOUT_HEADING.sub("", ABOUT_HEADING.sub("", text))


def altered(job_ads: Any, change: Callable[[str, random.Random], str]) -> Any:
    """job_ads with every ad text changed by change(text, rng), drawn with a fixed seed."""

    def ads(*args: Any, **kwargs: Any) -> list[tuple[str, Any]]:
        rng = random.Random(7)
        return [(title, replace(q, text=change(q.text, rng))) for title, q in job_ads(*args, **kwargs)]

    return ads


def main() -> None:
    """Print the job-ad rows for ads with job-site lines, for glyph-bulleted ads, and for ads whose blurb has no
    heading."""
    setup, plain = load_setup(), postings.job_ads
    for name, change in (("job-site lines", with_site_lines), ("glyph bullets", glyphed),
                         ("company blurb without a heading", unheaded_intro)):
        with patched(postings, job_ads=altered(plain, change)):
            results = tasks.job_ads_to_skills(setup, 150)
        print(table([replace(r, task=f"{r.task} ({name})") for r in results]), flush=True)

if __name__ == "__main__":
    main()
