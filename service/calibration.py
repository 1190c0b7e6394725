"""Calibrated similarity thresholds (cosine, all-MiniLM-L6-v2); docs/QUALITY.md shows how each was set."""

ALIGN_TAG = 0.65
"""A provider skill tag becomes an inferred ESCO skill at or above this score."""

ALIGN_TEXT = 0.52
"""A description sentence becomes an inferred ESCO skill at or above this score (scored like PHRASE_SKILL)."""

ALIGN_TEXT_SUPPORT = 0.33
"""A skill inferred from a description sentence must be at least this similar, by its name and description, to the
credential's whole text (name: description); F1-best on 255 hand-labelled edX sentences, checked on 150 more
(docs/QUALITY.md, session 17)."""

ALIGN_TAG_SUPPORT = 0.12
"""A skill inferred from a provider tag must be at least this similar, by its name and description, to the
credential's whole text: a tag read in another sense ("Performance Tuning" as musical tuning, "Containerization" as
fitting shipping containers) is dropped. F1-best on 240 hand-labelled Coursera tag alignments (folds: 0.12, 0.14;
docs/QUALITY.md, session 18)."""

ALIGN_TEXT_MAX = 8
"""At most this many skills are inferred from a credential's description."""

NEIGHBOUR_FLOOR = 0.70
"""The build stores, per skill, the taught skills at least this similar (SKILL_COVER must not be lower)."""

SKILL_COVER = 0.80
"""A held skill covers a required one at or above this skill-to-skill similarity."""

PHRASE_SKILL = 0.52
"""A job-description phrase names an ESCO skill at or above this score."""

BADGE_MATCH = 0.80
"""A free-text badge title matches a catalogue credential at or above this score."""

FREE_SKILL = 0.51
"""A free-text learner skill resolves to an ESCO skill at or above this score."""

ROLE_MATCH = 0.45
"""A free-text title matches a role (by its titles) at or above this score."""

ROLE_TEXT_MATCH = 0.40
"""A job description matches a role (by its description) at or above this score."""


def thresholds() -> dict[str, float]:
    """Every threshold above by name (the manifest records them; an artifact built with others is rebuilt)."""
    return {name: value for name, value in globals().items() if name.isupper()}
