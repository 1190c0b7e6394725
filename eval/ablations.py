"""`python -m eval.ablations`: the matcher with one improvement switched off at a time, on the dev sets it affects."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from service.engine import target, text

from .datasets import POSTING_SETS
from .harness import Setup, load_setup, patched
from .run import table
from .tasks import (
    Result,
    alt_to_skill,
    description_to_skills,
    job_ads_to_skills,
    postings_to_roles_and_skills,
    title_to_role,
    title_to_skills,
)

OLD_TAG = re.compile(r"<[^>]{0,500}>")


def line_phrases(posting: str) -> tuple[list[str], list[str], set[str]]:
    """The first matcher's splitting: every tag a break, boilerplate judged phrase by phrase, no sections, nothing
    marked nice to have."""
    cleaned = "\n".join(text.SPACE.sub(" ", x).strip() for x in html.unescape(OLD_TAG.sub("\n", posting)).splitlines())
    parts = [p for line in cleaned.splitlines() for p in text.split(line)]
    unique = list(dict.fromkeys(parts))
    return [p for p in unique if not text.is_boilerplate(p)], [p for p in unique if text.is_boilerplate(p)], set()


Variant = tuple[str, Any, dict[str, Any], tuple[str, ...]]
VARIANTS: list[Variant] = [
    ("as shipped", target, {}, ("titles", "title-skills", "alts", "descriptions", "ads")),
    ("neighbour roles weighed by their scores (ROLE_TEMPERATURE=0; before session 4)", target,
     {"ROLE_TEMPERATURE": 0.0}, ("title-skills", "descriptions", "ads")),
    ("skills by best label/alt row only (LABEL_SHARE=1)", target, {"LABEL_SHARE": 1.0}, ("alts", "ads")),
    ("roles by best title row only (TITLE_LABEL_SHARE=1)", target, {"TITLE_LABEL_SHARE": 1.0}, ("titles",)),
    ("titles matched only as posted (TITLE_VARIANTS=False)", target, {"TITLE_VARIANTS": False}, ("titles",)),
    ("3 nearest roles within 0.05 (was: 10 within 0.2)", target,
     {"ROLE_NEIGHBOURS": 3, "ROLE_NEIGHBOUR_MARGIN": 0.05}, ("descriptions", "ads")),
    ("role profiles weaker in the fusion (ROLE_SHARE=1.5; shipped 4, a smooth saturation since session 12)", target,
     {"ROLE_SHARE": 1.5}, ("descriptions", "ads", "postings")),
    ("no list items matched inside longer phrases (MENTIONS=False)", target, {"MENTIONS": False},
     ("descriptions", "ads")),
    ("list items trusted at the phrase threshold (MENTION_SKILL=0.52)", target, {"MENTION_SKILL": 0.52},
     ("descriptions", "ads")),
    ("role match on all kept phrases, up to 256 word pieces (was: first 80 words)", target,
     {"ROLE_TEXT_WORDS": 10_000}, ("descriptions", "ads")),
    ("top-1 skill per phrase (PHRASE_HITS=1)", target, {"PHRASE_HITS": 1}, ("ads",)),
    ("no section-aware boilerplate / HTML handling", target, {"marked_parts": line_phrases}, ("descriptions", "ads")),
    ("title abbreviations not written out (ABBREVIATE=False)", text, {"ABBREVIATE": False}, ("titles",)),
    ("no named software tools (TOOLS=False)", target, {"TOOLS": False}, ("ads",)),
    ("vetting lines kept as phrases (VETTING_NOTICES=False; set aside since session 13)", text,
     {"VETTING_NOTICES": False}, ("postings",)),
    ("no lexicon of posting phrasings (IDIOMS=False; since session 20)", target, {"IDIOMS": False},
     ("ads", "postings")),
    ("team leaders not read as supervisors (SUPERVISOR_TITLES=False; since session 20)", text,
     {"SUPERVISOR_TITLES": False}, ("titles",)),
]
POSTING_ROWS = ("badgepath, posting", "badgepath resolve_target (posting)")


def run_variant(setup: Setup, tasks: tuple[str, ...]) -> list[Result]:
    """The fused (or sole) matcher rows of the selected tasks."""
    runs: dict[str, Callable[[], list[Result]]] = {
        "titles": lambda: title_to_role(setup, 1000), "title-skills": lambda: title_to_skills(setup, 1000),
        "alts": lambda: alt_to_skill(setup, 1000),
        "descriptions": lambda: description_to_skills(setup, 300), "ads": lambda: job_ads_to_skills(setup, 150),
        "postings": lambda: [r for task in POSTING_SETS for r in postings_to_roles_and_skills(setup, task)
                             if r.method in POSTING_ROWS],
    }
    return [r for name in tasks for r in runs[name]() if r.method.startswith("badgepath") and
            ("fused" in r.method or "title + ad" in r.method or "extraction only" in r.method
             or name in ("titles", "title-skills", "alts", "postings"))]


def main() -> None:
    """Print one table: each variant's rows."""
    setup = load_setup()
    rows: list[Result] = []
    for name, module, values, tasks in VARIANTS:
        with patched(module, **values):
            for r in run_variant(setup, tasks):
                rows.append(Result(r.task, f"{name}: {r.method.removeprefix('badgepath').strip(' :,')}", r.n,
                                   r.metrics, ""))
    print(table(rows))


if __name__ == "__main__":
    main()
