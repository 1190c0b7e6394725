"""Sanity checks of the eval harness's metric functions and hand-labelled data (no model, no artifact)."""

from __future__ import annotations

import random
from types import SimpleNamespace

import numpy as np
import pytest

from eval.baselines import top_owners
from eval.calibrate import Point, best, stats
from eval.datasets import (
    ALIGNMENT_SETS,
    DATA,
    POSTING_SETS,
    held_out_titles,
    labelled_alignments,
    labelled_postings,
    labelled_titles,
    read_jsonl,
)
from eval.finetune import batches, training_pairs
from eval.metrics import average_precision, hit_at, mean, precision_at, r_precision, reciprocal_rank
from eval.tasks import defensible, description_alignment
from service.build import role_rows, teaches_teaching
from service.engine.core import HAND_MAPPED, Record
from service.engine.text import phrases

from .catalogs import catalogue


def test_reciprocal_rank_uses_the_first_gold_hit_within_k() -> None:
    """1/rank of the first hit; 0 when the hit lies beyond k or is absent."""
    assert reciprocal_rank(["x", "g", "h"], {"g", "h"}) == 0.5
    assert reciprocal_rank(["x", "y", "g"], {"g"}, k=2) == 0.0
    assert reciprocal_rank([], {"g"}) == 0.0


def test_average_precision_normalises_by_gold_size() -> None:
    """AP averages precision at each hit over all gold items, so a missed gold item costs."""
    assert average_precision(["a", "x", "b"], {"a", "b"}) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision(["a"], {"a", "b"}) == 0.5
    assert average_precision(["a", "b"], set()) == 0.0


def test_r_precision_and_cap() -> None:
    """Precision at R = |gold|, optionally capped (RP@5)."""
    assert r_precision(["a", "x"], {"a", "b"}) == 0.5
    assert r_precision(["a", "x", "b"], {"a", "b", "c"}, cap=1) == 1.0
    assert precision_at(["a"], {"a"}, 2) == 0.5


def test_hit_and_mean() -> None:
    """Hit@k is a 0/1 indicator; the mean of nothing is 0."""
    assert hit_at(["x", "a"], {"a"}, 1) == 0.0 and hit_at(["x", "a"], {"a"}, 2) == 1.0
    assert mean([]) == 0.0 and mean([1.0, 0.0]) == 0.5


def test_top_owners_keeps_each_owners_best_row() -> None:
    """Rows are collapsed to owners by their best score, best owner first."""
    scores = np.array([[0.1, 0.9, 0.5, 0.2]], np.float32)
    ranked = top_owners(scores, np.array([0, 0, 1, 2]), 2)
    assert [(o, round(s, 2)) for o, s in ranked[0]] == [(0, 0.9), (1, 0.5)]


def test_calibration_counts_accepted_empty_gold_as_errors() -> None:
    """Precision counts an accepted no-match item as wrong; recall is over labelled items only."""
    points = [Point(0.9, True, False), Point(0.6, False, False), Point(0.7, False, True), Point(None, False, False)]
    at = stats(points, 0.65)
    assert (at.precision, at.recall, at.rejected) == (0.5, pytest.approx(1 / 3), 0.0)
    assert stats(points, 0.8).rejected == 1.0 and best(points).threshold == 0.71


def test_finetune_pairs_leave_held_out_records_out() -> None:
    """Training pairs come only from skills and roles no dev set uses; a batch never repeats a text."""
    skills = [{"id": "s0", "label": "use SQL", "alt_labels": ["SQL querying"]},
              {"id": "s1", "label": "bake bread", "alt_labels": ["bread making", "baking"]}]
    roles = [{"id": "r0", "title": "baker", "alt_titles": ["bread baker"],
              "skills": [{"id": "s1", "relation": "essential"}, {"id": "s0", "relation": "optional"}]},
             {"id": "r1", "title": "data analyst", "alt_titles": ["analyst"], "skills": []}]
    pairs = training_pairs(skills, roles, skip_skills={0}, skip_roles={1}, rng=random.Random(0))
    assert sorted(pairs) == [("baker", "bake bread"), ("baking", "bake bread"), ("bread baker", "baker"),
                             ("bread making", "bake bread")]
    assert batches([("a", "b"), ("c", "a"), ("d", "e"), ("f", "g")], 2) == [[("a", "b"), ("d", "e")]]


def test_the_hand_labelled_sets_name_catalogue_records() -> None:
    """Every gold id of the hand-labelled titles and of the posting sets is a role or skill of the committed
    catalogue, and no title or posting is there twice."""
    roles, skills = ({r["id"] for r in catalogue(name)} for name in ("roles", "skills"))
    titles = labelled_titles()
    postings = [p for name, _ in POSTING_SETS.values() for p in labelled_postings(DATA / name)]
    assert (len(titles), len({q.text for q in titles})) == (220, 220)
    assert (len(postings), len({p.text for p in postings})) == (700, 700)
    assert all(q.gold <= roles for q in titles) and all(p.roles and p.roles <= roles for p in postings)
    assert all(p.skills and p.skills <= skills for p in postings)


def test_the_labelled_path_covers_name_catalogue_records() -> None:
    """The 300 labelled path covers (160 from trade roles' paths, 140 from office roles') name catalogue roles,
    credentials and skills, each credential aligned to the text it was matched through, each with two labels."""
    roles, skills = ({r["id"] for r in catalogue(name)} for name in ("roles", "skills"))
    credentials = {c["id"]: c for c in catalogue("credentials")}
    items = read_jsonl(DATA / "path_covers_labelled.jsonl")
    assert [sum(i["sample"] == s for i in items) for s in ("trade", "office")] == [160, 140]
    assert len({(i["role"], i["credential"], i["skill"]) for i in items}) == 300
    assert all(i["role"] in roles and i["skill"] in skills and i["credential"] in credentials for i in items)
    assert all(len(i["labels"]) == 2 and set(i["labels"]) <= {"yes", "partly", "no"} for i in items)
    texts = [(credentials[i["credential"]], i["matched_text"]) for i in items]
    assert all(text in {*c.get("skill_tags", []), *phrases(c.get("description", ""), whole=False)} for c, text in texts)


def test_the_labelled_alignments_name_catalogue_records_and_weigh_their_strata() -> None:
    """The 255 labelled edX sentences (and the 150 of the second sample, none of them again) name catalogue
    credentials (without tags) and skills, each sentence of its credential's description; the first sample's stratum
    weights add up to the 5,669 sentences scoring 0.45 or more that it was drawn from."""
    credentials = {c["id"]: c for c in catalogue("credentials")}
    skills = {s["id"] for s in catalogue("skills")}
    items = labelled_alignments()
    assert (len(items), sum(len(i.labels) == 2 for i in items)) == (255, 37)
    assert all(not credentials[i.credential].get("skill_tags") for i in items)
    assert all(i.text in phrases(credentials[i.credential]["description"], whole=False)[:40] for i in items)
    assert all(set(i.labels) <= skills for i in items)
    assert round(sum(i.weight for i in items)) == 1761 + 868 + 1357 + 928 + 493 + 262
    second = labelled_alignments(DATA / list(ALIGNMENT_SETS)[1])
    assert (len(second), len({(i.credential, i.text) for i in second} & {(i.credential, i.text) for i in items})) == (
        150, 0)
    assert all(i.text in phrases(credentials[i.credential]["description"], whole=False)[:40] for i in second)
    assert all(set(i.labels) <= skills and len(i.labels) == 1 for i in second)


def test_description_alignment_weighs_each_sentence_by_its_stratum() -> None:
    """Precision over the sentences whose skill the credential holds, recall over the defensible ones, each sentence
    weighted by its stratum; a skill held by the credential counts for the sentence it was labelled with."""
    items = labelled_alignments()
    good = next(i for i in items if len(i.labels) == 1 and defensible(next(iter(i.labels.values()))))
    bad = next(i for i in items if len(i.labels) == 1 and not defensible(next(iter(i.labels.values()))))
    credentials = {c["id"]: {**c, "skills": []} for c in catalogue("credentials")}
    for item, text in ((good, good.text), (bad, "another sentence of the course")):
        credentials[item.credential]["skills"] = [
            {"id": next(iter(item.labels)), "confidence": 0.6, "matched_text": text, "source": "inferred"}]
    setup = SimpleNamespace(artifact=SimpleNamespace(credentials=list(credentials.values())))
    courses = {c["id"]: c for c in catalogue("credentials")}
    wanted = sum(i.weight for i in items if any(  # a course about teaching keeps its skill: its fallback never counts
        defensible(labels) for skill, labels in i.labels.items()
        if skill != i.fallback or not teaches_teaching(courses[i.credential])))
    result = description_alignment(setup)  # type: ignore[arg-type]
    assert result.metrics == {"precision": good.weight / (good.weight + bad.weight), "recall": good.weight / wanted}


def as_table(roles: list[Record]) -> SimpleNamespace:
    """The role table's rows as the build makes them (build.role_rows), without vectors."""
    rows = role_rows(roles)
    return SimpleNamespace(owner=np.array(rows.owner), kind=np.array(rows.kind), texts=rows.texts)


def test_held_out_titles_are_esco_s_whatever_traps_the_catalogue_corrects() -> None:
    """A trap title withdrawn from one role and given to another (catalog/README.md), and a reported title given to a
    role, leave the dev set as ESCO files it: the same queries with ESCO's gold; the index rows of a held-out text are
    dropped wherever they are."""
    esco = [{"id": "r0", "title": "petroleum engineer", "alt_titles": ["gas engineer", "reservoir engineer",
                                                                         "engineer"]},
            {"id": "r1", "title": "gas service technician", "alt_titles": ["gas fitter"]},
            {"id": "r2", "title": "baker", "alt_titles": ["bread baker", "pastry baker", "engineer"]}]
    corrected = [{**esco[0], "withdrawn_titles": ["gas engineer"]},
                 {**esco[1], "corrected_titles": ["gas engineer"], "reported_titles": ["Gas Tech"]},
                 {**esco[2], "withdrawn_titles": ["engineer"]}]
    seen = set()
    for seed in range(20):
        before, _ = held_out_titles(esco, as_table(esco), 2, seed)  # type: ignore[arg-type]
        after, drop = held_out_titles(corrected, as_table(corrected), 2, seed)  # type: ignore[arg-type]
        assert after == before
        held = {q.text for q in after}
        assert {as_table(corrected).texts[row] for row in drop} == held - {"engineer"}  # a bare noun has no row
        seen |= held
    assert "gas engineer" in seen


def test_the_shipped_dev_titles_are_esco_s() -> None:
    """On the committed catalogue, the 1,000 held-out titles are those of its ESCO titles alone (no reported, posted or
    corrected title, nothing withdrawn)."""
    roles = catalogue("roles")
    esco = [{k: v for k, v in r.items() if k not in HAND_MAPPED and k != "withdrawn_titles"} for r in roles]
    shipped, _ = held_out_titles(roles, as_table(roles), 1000)  # type: ignore[arg-type]
    assert shipped == held_out_titles(esco, as_table(esco), 1000)[0]  # type: ignore[arg-type]
    assert len(shipped) == 1000
