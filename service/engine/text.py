"""Text clean-up and splitting of job descriptions into phrases."""

from __future__ import annotations

import html
import re

TAG = re.compile(r"<[^>]{0,500}>")
SPACE = re.compile(r"\s+")
SPLIT = re.compile(r"(?<=[.!?;:])\s+|\s*[\n\r\u2022\u25aa\u25cf\u2013\u2014*•·|]+\s*|\s+-\s+")
MIN_PHRASE, MAX_PHRASE = 3, 300


def clean(text: str) -> str:
    """Strip markup, unescape entities and collapse whitespace, keeping line breaks as breaks."""
    text = html.unescape(TAG.sub("\n", text)).replace("\x00", " ")
    lines = (SPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def phrases(text: str) -> list[str]:
    """Split a posting into short phrases (bullets, sentences, clauses), deduplicated in order."""
    parts = (p.strip(" ,.;:-") for p in SPLIT.split(clean(text)))
    kept = [p[:MAX_PHRASE] for p in parts if len(p) >= MIN_PHRASE and any(c.isalpha() for c in p)]
    return list(dict.fromkeys(kept))

BOILERPLATE = re.compile(
    r"\b(salary|salaries|compensation|benefits?|bonus(es)?|pension|401\s?\(?k\)?|dental|vision insurance|"
    r"health (insurance|care plan)|paid (time off|leave)|pto|holidays?|vacation|annual leave|"
    r"equal (employment )?opportunit|discriminat|regardless of (race|gender|age)|diversity|inclusive workplace|"
    r"veteran status|sexual orientation|gender identity|national origin|disabilit(y|ies) status|"
    r"we offer|what we offer|perks|free (lunch|snacks|coffee)|gym|wellbeing allowance|"
    r"about us|who we are|our (company|mission|story|culture|values)|founded in|headquartered|"
    r"apply (now|today|online)|how to apply|send (us )?your (cv|resume)|click apply|recruitment agency|"
    r"visa sponsorship|relocation package|hybrid working|remote[- ]first|flexible (working|hours)|"
    r"job (type|reference)|closing date|start date|full[- ]time|part[- ]time|contract length)\b",
    re.IGNORECASE,
)


def is_boilerplate(phrase: str) -> bool:
    """Whether a phrase is company blurb, benefits, legal or application text rather than a requirement."""
    return bool(BOILERPLATE.search(phrase))
