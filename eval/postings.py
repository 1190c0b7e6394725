"""Synthetic job ads from ESCO: a held-out occupation's description and skills inside real-ad boilerplate."""

from __future__ import annotations

import random
from collections.abc import Sequence

from service.engine.core import Record

from .datasets import SEED, Query, essential_skills

COMPANY = [
    "We are a fast-growing, award-winning company with offices in five countries.",
    "Founded in 1998, we have grown into a trusted partner for more than 2,000 clients.",
    "Our people are at the heart of everything we do.",
    "Join a friendly, supportive team that values your ideas.",
    "We are proud to be a Great Place to Work certified employer.",
    "Our client, a leading organisation in its sector, is looking for a motivated new colleague.",
]
OFFER = [
    "Competitive salary and annual bonus",
    "25 days holiday plus bank holidays",
    "Company pension scheme with employer contributions",
    "Private medical insurance",
    "Cycle to work scheme",
    "Free parking on site",
    "Hybrid working: two days from home",
    "Generous employee discount",
    "Paid training and a clear career path",
    "Enhanced maternity and paternity pay",
]
LEGAL = [
    "We are an equal opportunity employer and welcome applications from all backgrounds.",
    "All applicants will be considered without regard to race, religion, gender, sexual orientation or age.",
    "Successful candidates will be subject to a background check.",
    "Please note that we are unable to offer visa sponsorship for this role.",
]
APPLY = [
    "To apply, please send your CV and a short cover letter to our recruitment team.",
    "Click apply now to submit your application.",
    "Closing date for applications: 30 June.",
    "Only shortlisted candidates will be contacted.",
]
REQUIRE = ["{years}+ years of experience in a similar role", "A relevant qualification or equivalent experience",
           "Right to work in the country", "Good attention to detail and a positive attitude"]
BULLET = {
    "skill": ["{skill}", "Ability to {skill}", "You will {skill}", "Able to {skill}", "Proven ability to {skill}"],
    "knowledge": ["{skill}", "Knowledge of {skill}", "Experience with {skill}", "Understanding of {skill}",
                  "Familiarity with {skill}"],
}
LIST_SHARE = 0.3
HTML_SHARE = 0.3
HEADINGS = {
    "about": ["About us", "Who we are", "The company"],
    "role": ["About the role", "The role", "Job description", "Overview"],
    "duties": ["Key responsibilities:", "What you'll do:", "Responsibilities", "Your tasks:"],
    "needs": ["Requirements:", "What we're looking for", "About you:", "Skills and experience"],
    "offer": ["What we offer:", "Benefits", "Why join us?", "Perks"],
}


def bullets(rng: random.Random, shown: list[tuple[str, str]]) -> list[str]:
    """Requirement bullets around skill texts; some bullets list two or three skills of one kind."""
    out, rest = [], list(shown)
    while rest:
        kind, text = rest.pop(0)
        same = [x for x in rest if x[0] == kind][: rng.randint(1, 2)] if rng.random() < LIST_SHARE else []
        for x in same:
            rest.remove(x)
        items = [text, *(t for _, t in same)]
        joined = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
        out.append(rng.choice(BULLET[kind]).format(skill=joined))
    return out


def section(rng: random.Random, kind: str, lines: list[str], mark: str) -> list[str]:
    """A heading with its lines, bulleted with one of the common markers."""
    return ["", rng.choice(HEADINGS[kind]), *[f"{mark}{line}" for line in lines]]


def as_html(lines: list[str]) -> str:
    """The same ad as HTML: headings, paragraphs and lists, with some inline emphasis."""
    out, in_list = [], False
    for line in lines[1:]:
        bullet = line[:2] in ("- ", "• ", "* ")
        if in_list and not bullet:
            out.append("</ul>")
            in_list = False
        if bullet and not in_list:
            out.append("<ul>")
            in_list = True
        if bullet:
            out.append(f"<li>{line[2:]}</li>")
        elif any(line in h for h in HEADINGS.values()):
            out.append(f"<h3><strong>{line}</strong></h3>")
        elif line:
            out.append(f"<p>{line}</p>")
    return f"<h2>{lines[0]}</h2>" + "".join(out) + ("</ul>" if in_list else "")


def posting(
    rng: random.Random, role: Record, skill_texts: dict[str, tuple[str, str]]
) -> tuple[str, str]:
    """(title, text) of one synthetic ad for a role; skill_texts maps a skill id to (kind, bullet text)."""
    essential = sorted(s["id"] for s in role["skills"] if s["relation"] == "essential")
    shown = rng.sample(essential, min(len(essential), rng.randint(3, 8)))
    mark = rng.choice(["- ", "• ", "* ", ""])
    title = rng.choice([role["title"], *role["alt_titles"]])
    lines = [title, *section(rng, "about", rng.sample(COMPANY, 2), ""),
             *section(rng, "role", [role["description"]], ""),
             *section(rng, "duties", bullets(rng, [skill_texts[s] for s in shown]), mark or "- "),
             *section(rng, "needs", [r.format(years=rng.randint(1, 5)) for r in rng.sample(REQUIRE, 2)], mark),
             *section(rng, "offer", rng.sample(OFFER, 4), mark), "", *rng.sample(LEGAL, 2), *rng.sample(APPLY, 2)]
    return title, as_html(lines) if rng.random() < HTML_SHARE else "\n".join(lines)


def job_ads(
    roles: Sequence[Record], positions: list[int], skill_texts: dict[str, tuple[str, str]]
) -> list[tuple[str, Query]]:
    """(title, query) per role position: the ad text with the role's essential skills as gold."""
    rng = random.Random(SEED + 5)
    out = []
    for pos in positions:
        title, text = posting(rng, roles[pos], skill_texts)
        out.append((title, Query(text, essential_skills(roles[pos]), "posting", pos)))
    return out
