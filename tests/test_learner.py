"""How a learner's own words become held skills: qualifications read by their subject, background checks, one word
matched to another, and badge titles dressed with their kind, on the small real catalogue slice."""

from __future__ import annotations

import pytest

from service.engine import learner
from service.engine.core import Engine
from service.engine.learner import resolve_learner, skill_subject
from service.engine.recommend import gap_report
from service.schemas import GapRequest, Learner

from .catalogs import DATA_SCIENTIST, PLOT


def held(engine: Engine, skills: list[str]) -> tuple[dict[str, tuple[str, float, str]], list[str]]:
    """Each free-text skill held, by its text: (label, confidence, matched text); and the warnings' details."""
    holdings = resolve_learner(engine, Learner(skills=skills))
    by_text = {s["source"]["skill_text"]: (s["label"], s["confidence"], s["source"]["matched"])
               for s in holdings.skills.values()}
    return by_text, [w["detail"] for w in holdings.warnings]


@pytest.mark.parametrize(("text", "subject"), [
    ("Excel certification", "Excel"),
    ("Diploma in Python", "Python"),
    ("Certificate in Data Analysis", "Data Analysis"),
    ("Google Data Analytics Professional Certificate", "Google Data Analytics"),
    ("AAT Level 3 Diploma in Accounting", "AAT Accounting"),
    ("Degree in Nursing", "Nursing"),
    ("NVQ Level 3", ""),
    ("Level 3 Diploma", ""),
    ("Driver CPC", ""),
    ("DBS check", ""),
    ("Enhanced DBS", ""),
    ("Forklift licence", "Forklift"),
    ("data analysis", "data analysis"),
    ("card games", "card games"),  # a card only at the end is a qualification's
    ("CSCS card", "CSCS"),
    ("Level 3 support", "Level 3 support"),  # a level only beside a qualification's kind
    ("licence compliance", "licence compliance"),
    ("CPC", "CPC"),  # Certified Professional Coder or pay-per-click: left to the reading
    ("pre-employment screening", "pre-employment screening"),  # the work of checking, not a check held
    ("Security clearance vetting", "Security clearance vetting"),
    ("Secret clearance", ""),
    ("Certificate III in Individual Support (Ageing)", "Individual Support (Ageing)"),  # Australian levels
    ("Cert IV in Training and Assessment", "Training and Assessment"),
    ("QQI Level 6 in Healthcare Support", "Healthcare Support"),  # an Irish award
    ("Cert III", ""),
    ("cert management", "cert management"),  # "cert" only before a level
    ("Certificate III in Individual Support [Ageing]", "Individual Support [Ageing]"),
    ("Certified 6 Sigma Green Belt", "6 Sigma Green Belt"),  # a level only after a certificate
    ("Visa sponsorship", "Visa sponsorship"),  # HR work, not a status held
    ("Stamp 4", ""),  # an Irish work permit held
    ("NQF Level 4", ""),  # South African levels and school-leaving awards
    ("Matric (Grade 12)", ""),
    ("National Senior Certificate", ""),
    ("WAEC", ""),
    ("Red Seal Endorsement", ""),  # a Canadian trade endorsement: its trade, when named, is the subject
    ("Red Seal Electrician", "Electrician"),
    ("NQF 5 Diploma in Project Management", "Project Management"),
    ("Grade 8 piano", "Grade 8 piano"),  # a grade only beside a qualification's kind
])
def test_a_qualification_is_read_by_its_subject(text: str, subject: str) -> None:
    """What a learner's text says they can do: the text without the words of a qualification, its level or its kind;
    nothing for a background check or for a qualification named by its level alone."""
    assert skill_subject(text) == subject


def test_a_qualification_holds_the_skill_of_its_subject(engine: Engine) -> None:
    """"Excel certification" holds the spreadsheet skill as sure as "Excel" does (its words had pulled the reading down
    to 0.57 on the full catalogue); a qualification named by its level, and a background check, hold nothing, and
    the warnings say why."""
    texts = ["Excel certification", "Diploma in Python", "NVQ Level 3", "DBS check"]
    assert held(engine, texts) == (
        {"Excel certification": ("use spreadsheets software", 0.8723, "Microsoft Office Excel"),
         "Diploma in Python": ("Python (computer programming)", 1.0, "Python")},
        ["skill 'NVQ Level 3' names a qualification but not what it taught: name the skills instead",
         "skill 'DBS check' is a background check, not a skill"])


def test_without_subjects_a_qualification_is_read_with_its_words(engine: Engine,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The same texts read whole (SUBJECTS off): lower scores for the qualifications with a subject, so the test
    above can fail."""
    monkeypatch.setattr(learner, "SUBJECTS", False)
    found, _ = held(engine, ["Excel certification", "Diploma in Python"])
    assert {text: round(score, 2) for text, (_, score, _) in found.items()} == {
        "Excel certification": 0.57, "Diploma in Python": 0.65}


def test_one_word_matched_to_another_needs_one_word_skill(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A learner's one word held by a skill named by another one word needs ONE_WORD_SKILL: MiniLM finds different
    words near by their spelling. The word may be a qualification's subject ("tachograph card"). Without the bar the
    same words are held by such look-alikes."""
    texts = ["tachograph", "triage", "Jira", "tachograph card", "Jira certification"]
    assert held(engine, texts) == ({}, [f"skill {t!r} matched no ESCO skill well enough" for t in texts])
    monkeypatch.setattr(learner, "ONE_WORD_SKILL", 0.0)
    found, _ = held(engine, texts[:3])
    assert found and all(" " not in matched and matched.lower() != text.lower()
                         for text, (_, _, matched) in found.items())


@pytest.mark.parametrize("texts", [["DBS check"], ["NVQ Level 3", "Level 3 Diploma"]])
def test_a_learner_of_only_checks_and_bare_qualifications_is_answered(engine: Engine, texts: list[str]) -> None:
    """Skills and badges that are all checks or bare qualifications leave nothing to read: the answer says so for
    each (this had been a 500, reading an empty list)."""
    answer = gap_report(engine, GapRequest.model_validate({
        "target": {"role_id": DATA_SCIENTIST}, "learner": {"skills": texts, "badges": texts}}))
    assert answer["held"]["skills"] == [] and [w["code"] for w in answer["warnings"]] == (
        ["badge_unmatched"] * len(texts) + ["skill_unmatched"] * len(texts))


def test_a_badge_kind_is_not_an_issuer(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A badge title's kind ("Professional Certificate") says nothing of its issuer, even when a provider's name holds
    one of its words: the full catalogue has the Association of International Certified Professional Accountants,
    and "IBM Data Science Professional Certificate" had been unmatched because "professional" named it."""
    aicpa = "association of international certified professional accountants"
    monkeypatch.setattr(engine, "provider_words", {**engine.provider_words, "professional": frozenset({aicpa}),
                                                   "certified": frozenset({aicpa})})
    cred = engine.credential(engine.artifact.credential_pos[PLOT])
    answer = gap_report(engine, GapRequest.model_validate({
        "target": {"role_id": DATA_SCIENTIST}, "learner": {"badges": [f"{cred['name']} Professional Certificate"]}}))
    assert answer["held"]["badges"] == [{"index": 0, "input": f"{cred['name']} Professional Certificate",
                                         "resolved": "credential", "credential": PLOT, "confidence": 1.0}]


def test_a_skill_read_weakly_is_held_and_the_answer_says_so(engine: Engine) -> None:
    """A free-text skill held under WEAK_READ (0.70) is held with a warning naming what it was read as and how
    sure; one read surely is not warned about."""
    texts = ["Python", "making charts for the boss"]
    holdings = resolve_learner(engine, Learner(skills=texts))
    by_text = {s["source"]["skill_text"]: s for s in holdings.skills.values()}
    weak = by_text["making charts for the boss"]
    assert by_text["Python"]["confidence"] == 1.0 and weak["confidence"] < learner.WEAK_READ
    assert holdings.warnings == [{
        "code": "skill_read_weakly", "pointer": "/learner/skills/1",
        "detail": f"skill 'making charts for the boss' was read as {weak['label']!r} at {weak['confidence']:.2f} "
                  "(held); name the skill if that is not it"}]


@pytest.mark.parametrize(("text", "parts"), [
    ("BLS/CPR", ["BLS", "CPR"]), ("R/SAS", ["R", "SAS"]), ("C++/C#", ["C++", "C#"]),
    ("A/B testing", []), ("Excel / Word", []), ("and/or", ["and", "or"]), ("/", []),
])
def test_a_slashed_text_is_words_joined_by_slashes(text: str, parts: list[str]) -> None:
    """slashed: a text of words joined by slashes and nothing else, else nothing ("A/B testing" is one skill)."""
    assert learner.slashed(text) == parts


def test_a_slashed_skill_held_by_nothing_whole_is_read_part_by_part(engine: Engine) -> None:
    """"R/SAS" matches no skill as a whole; its parts each hold theirs, under the text's pointer ("BLS/CPR" had been
    unmatched while "BLS" and "CPR" each name a skill). A slashed text that matches whole is held whole."""
    found, warnings = held(engine, ["R/SAS", "Hadoop/Spark"])
    assert {text: label for text, (label, _, _) in found.items()} == {
        "R": "R", "SAS": "SAS language", "Hadoop/Spark": "Hadoop"}
    assert warnings == ["skill 'SAS' was read as 'SAS language' at 0.64 (held); name the skill if that is not it"]


def test_a_skill_that_names_a_tool_holds_its_category_skill(engine: Engine) -> None:
    """A learner's skill that is a software tool's name alone, in any case, holds the ESCO skill of the tool's O*NET
    category, as a posting naming the tool requires it ("Terraform" had been held as *maintain terrazzo* at 0.56,
    so a learner who knew it never covered a posting's "Terraform"), and no weak reading of its letters beside it."""
    holdings = resolve_learner(engine, Learner(skills=["terraform"]))
    tool = engine.tools.named("Terraform")
    assert tool is not None and tool.name == "IBM Terraform"
    skill = engine.skill_ref(engine.artifact.skill_pos[tool.skill_id])
    assert list(holdings.skills.values()) == [{
        **skill, "confidence": round(tool.score, 4),
        "source": {"skill_text": "terraform", "matched": tool.matched,
                   "tool": {"name": "IBM Terraform", "written": "terraform",
                            "category": "Configuration management software", "source": "O*NET 29.2"}}}]
    assert holdings.warnings == []
    assert engine.tools.named("Terraform pipelines") is None  # only a whole name
    assert engine.tools.named("Project") is None  # a common word alone
