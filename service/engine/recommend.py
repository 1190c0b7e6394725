"""The engine's entry points: gap report and recommendation (gap + explained, time-boxed path)."""

from __future__ import annotations

import json

import numpy as np

from ..schemas import Constraints, GapRequest, RecommendationRequest
from .core import Engine, Record, evidence_strength
from .gap import Gap, analyse_gap, public
from .learner import Holdings, learner_texts, resolve_learner
from .planner import (
    LEVEL_RANK,
    Coverage,
    allowed,
    coverage_matrix,
    filters,
    greedy,
    level_rank,
    order_steps,
    preferred,
    preferred_languages,
    via_pairs,
    weeks,
)
from .target import resolve_target, target_texts

MAX_ALTERNATIVES = 2


def focus(engine: Engine, summary: Record, required: list[Record]) -> list[Record]:
    """For a free-text target, keep as many profile skills as the best-matching role has, plus every skill
    the posting text itself names: blending several roles' profiles ranks skills well but would make the
    gap (and the path) several roles wide."""
    role = summary.get("role")
    if summary["kind"] == "role" or role is None:
        return required
    size = len(engine.role(engine.artifact.role_pos[role["id"]])["skills"])
    named = [r for r in required if any(e["source"] == "text" for e in r["evidence"])]
    profile = [r for r in required if not any(e["source"] == "text" for e in r["evidence"])][:size]
    keep = {id(r) for r in named + profile}
    return [r for r in required if id(r) in keep]


def request_texts(engine: Engine, request: GapRequest) -> list[str]:
    """The texts answering request will encode: its target's, then its learner's free text."""
    return target_texts(engine, request.target) + learner_texts(engine, request.learner)


def assess(engine: Engine, request: GapRequest) -> tuple[Record, Gap, Holdings, list[Record]]:
    """Resolve target and learner and analyse the gap."""
    summary, required, warnings = resolve_target(engine, request.target)
    required = focus(engine, summary, required)
    held = resolve_learner(engine, request.learner)
    return summary, analyse_gap(engine, required, held), held, warnings + held.warnings


def gap_report(engine: Engine, request: GapRequest) -> Record:
    """Body of POST /v1/gap."""
    summary, gap, held, warnings = assess(engine, request)
    return {
        "target": summary,
        "required": [public(r) for r in gap.required],
        "held": held_report(held),
        "gap": [public(r) for r in gap.missing],
        "coverage": gap.coverage(),
        "warnings": warnings,
    }


def held_report(held: Holdings) -> Record:
    """What the learner was understood to hold."""
    return {
        "badges": held.badges,
        "credentials": sorted(held.credentials.values(), key=lambda c: c["id"]),
        "skills": sorted(held.skills.values(), key=lambda s: s["id"]),
    }


def recommend(engine: Engine, request: RecommendationRequest) -> Record:
    """Body of POST /v1/recommendations."""
    summary, gap, held, warnings = assess(engine, request)
    cov = coverage_matrix(engine, gap.missing)
    mask = allowed(engine, held, request.constraints)
    languages = preferred_languages(engine, request.constraints)
    plan = greedy(engine, cov, mask, held, request.constraints, languages)
    steps = order_steps(engine, plan.chosen, cov)
    coverable = cov.strength.max(axis=0, initial=0) > 0 if gap.missing else np.zeros(0, bool)
    reached = np.max(cov.of(steps), axis=0) > 0 if steps else np.zeros(len(gap.missing), bool)
    ours = preferred(engine, languages)
    path = path_report(engine, gap, cov, steps, mask, held, request.constraints, ours)
    short = coverable & ~reached  # gap skills a credential teaches that the path does not reach
    left_out = stops_short(engine, request.constraints, steps, int(short.sum()),
                           cov.rows[cov.strength[:, short].any(axis=1)])
    return {
        "target": summary,
        "gap": [public(r) for r in gap.missing],
        "path": path,
        "uncovered": [public(r) for r, ok in zip(gap.missing, coverable, strict=True) if not ok],
        "not_reached": [public(r) for r, left in zip(gap.missing, short, strict=True) if left],
        "held": held_report(held),
        "warnings": warnings + path_warnings(engine, steps, path["cost_unknown_steps"], coverable, request.constraints,
                                             languages, ours, cov.rows)
        + left_out + over_budget(path, request.constraints) + long_path(path, request.constraints),
    }


# An answer says plainly that the catalogue teaches little of the gap when no credential is known to teach this share
# of the missing skills or more: a forklift driver's path of one step left 39 of 40 uncovered, a chef's 42 of 47,
# and nothing said so (a user's review). Over 400 roles, 34.1 of 44.5 gap skills (77 %) are untaught on average, so
# a lower share would warn on most answers.
UNTAUGHT_SHARE = 0.85


def path_warnings(
    engine: Engine, steps: list[int], unpriced: int, coverable: np.ndarray, c: Constraints, languages: tuple[str, ...],
    ours: np.ndarray, teaching: np.ndarray,
) -> list[Record]:
    """What the answer says about its path: that no credential teaches most gap skills (UNTAUGHT_SHARE), that there
    is none although credentials teach gap skills (naming the constraints that leave some of them out; teaching: their
    positions, see binding), that a budget could not be checked for its unpriced steps (the path report's count), that
    under half the steps are at the preferred level, that some steps are taught outside the preferred languages
    (planner.preferred_languages; ours: the credentials taught in one), and that an excluded credential id, a listed
    provider or a listed language is not in the catalogue."""
    out: list[Record] = [
        {"code": "unknown_credential", "pointer": f"/constraints/exclude_credentials/{i}",
         "detail": f"credential id {cid!r} is not in the catalogue, so it excluded nothing"}
        for i, cid in enumerate(c.exclude_credentials) if cid not in engine.artifact.credential_pos]
    out += [{"code": "unknown_provider", "pointer": f"/constraints/{field}/{i}",
             "detail": f"no credential in the catalogue is offered by {name!r}, so it "
                       + ("matched no credential" if field == "include_providers" else "excluded nothing")}
            for field in ("include_providers", "exclude_providers")
            for i, name in enumerate(getattr(c, field)) if name.casefold() not in engine.providers]
    out += [{"code": "unknown_language", "pointer": f"/constraints/{field}/{i}",
             "detail": f"no credential in the catalogue is taught in {code!r}"}
            for field in ("languages", "prefer_languages") if field in c.model_fields_set
            for i, code in enumerate(getattr(c, field)) if code not in engine.languages]
    untaught = int(len(coverable) - coverable.sum())
    if untaught and untaught >= UNTAUGHT_SHARE * len(coverable):
        which = f"any of the {untaught}" if untaught == len(coverable) else f"{untaught} of the {len(coverable)}"
        out.append({"code": "no_credential_teaches_gap", "count": untaught,
                    "detail": f"no catalogue credential is known to teach {which} missing skills (listed under "
                              "uncovered): hands-on skills are often learnt at work, on an apprenticeship or through a "
                              "vocational qualification"})
    if not steps and coverable.any():
        limits = named_limits(c, binding(engine, c, teaching))
        out.append({"code": "no_path", "detail": "no credential that teaches a gap skill is left to take"
                    + (f" within the constraints ({limits})" if limits else "")})
    if c.max_cost is not None and unpriced:
        out.append({"code": "cost_unknown", "count": unpriced, "detail": f"{unpriced} of the {len(steps)} steps "
                    "publish no price, so max_cost could not be checked for them"})
    if c.level not in (None, "mixed") and steps and 2 * (at := int((engine.facts.level[steps] == c.level).sum())) < len(
            steps):
        out.append({"code": "few_at_level", "level": c.level, "count": at,
                    "detail": f"only {at} of the {len(steps)} steps are at the preferred level ({c.level})"})
    if steps and (others := [p for p in steps if not ours[p]]):
        taught = sorted({str(engine.facts.language[p]) for p in others})
        out.append({"code": "other_language", "count": len(others), "languages": taught,
                    "detail": f"{len(others)} of the {len(steps)} steps {'is' if len(others) == 1 else 'are'} "
                              f"taught in {', '.join(taught)}, for gap skills that no credential in the preferred "
                              f"languages ({', '.join(languages)}) teaches within the constraints"})
    return out


# A path longer than a year at the learner's pace is said to be so, with the constraints that shorten it: a user's
# review met paths of 97-199 weeks at the default 5 hours a week and no word about it.
LONG_PATH_WEEKS = 52


def long_path(path: Record, c: Constraints) -> list[Record]:
    """A long_path warning when the path takes more than LONG_PATH_WEEKS weeks at hours_per_week."""
    weeks = path["total_weeks"]
    if weeks <= LONG_PATH_WEEKS:
        return []
    hours, pace = as_json(path["total_hours"]), as_json(c.hours_per_week)
    bounds = " or ".join(name for name in ("max_hours", "max_steps") if getattr(c, name) is not None)
    shorten = f"lower {bounds}" if bounds else "bound it with max_hours or max_steps"
    return [{"code": "long_path", "weeks": weeks,
             "detail": f"this path takes {weeks} weeks ({hours} hours at {pace} hours a week): raise hours_per_week, "
                       f"or {shorten} (the path then covers the most important gap skills it can within them)"}]


def over_budget(path: Record, c: Constraints) -> list[Record]:
    """A warning when max_cost holds the courses but not with their verified certificates (sold apart by courses free
    to take): a learner who wants the certificates pays more than the budget."""
    courses, certificates = path["total_cost"], path["total_certificate_cost"]
    if c.max_cost is None or not certificates or courses + certificates <= c.max_cost + 1e-9:
        return []
    return [{"code": "certificates_over_budget", "cost": certificates,
             "detail": f"with their verified certificates ({as_json(certificates)} in all) the steps cost "
                       f"{as_json(round(courses + certificates, 2))}, beyond max_cost {as_json(c.max_cost)}: the "
                       "path fits the budget only without the certificates"}]


def stops_short(engine: Engine, c: Constraints, steps: list[int], left: int, teaching: np.ndarray) -> list[Record]:
    """A warning when a path leaves out gap skills that some credential teaches (left of them, listed under
    not_reached; teaching: the positions of the credentials that teach them), naming the constraints that keep those
    credentials out: max_steps when the path has that many steps, max_hours or max_cost when one of them would not
    fit in what the path leaves, a filter that excludes one of them; none when the path is empty (no_path says so)."""
    if not steps or not left or not len(teaching):
        return []
    facts = engine.facts
    bound = filtered_out(engine, c, teaching)
    if c.max_steps is not None and len(steps) >= c.max_steps:
        bound.add("max_steps")
    bound |= over_limits(engine, c, teaching, {k: float(v[steps].sum()) for k, v in (("max_hours", facts.hours),
                                                                                    ("max_cost", facts.cost))})
    limits = named_limits(c, bound)
    one = left == 1
    return [{"code": "path_stops_short", "count": left,
             "detail": f"{left} gap skill{'' if one else 's'} that a catalogue credential teaches "
                       f"{'is' if one else 'are'} not reached by this path (listed under not_reached)"
                       + (f": the constraints ({limits}) leave out the credentials that teach {'it' if one else 'them'}"
                          if limits else "")}]


def filtered_out(engine: Engine, c: Constraints, teaching: np.ndarray) -> set[str]:
    """The filters of the constraints (planner.filters) that keep out one of the credentials in teaching."""
    return {k for k, kept in filters(engine, c).items() if not kept[teaching].all()}


def over_limits(engine: Engine, c: Constraints, teaching: np.ndarray, spent: dict[str, float]) -> set[str]:
    """max_hours or max_cost where one credential in teaching exceeds what is left of it (spent: already used)."""
    facts = engine.facts
    return {k for k, per in (("max_hours", facts.hours), ("max_cost", facts.cost))
            if getattr(c, k) is not None and bool((per[teaching] > getattr(c, k) - spent.get(k, 0.0) + 1e-9).any())}


def named_limits(c: Constraints, bound: set[str]) -> str:
    """The bound constraints with their values, as the request gave them ("max_hours 40; languages [\"xx\"]")."""
    return "; ".join(f"{k} {as_json(v)}" for k, v in c.model_dump(exclude_defaults=True).items() if k in bound)


def binding(engine: Engine, c: Constraints, teaching: np.ndarray) -> set[str]:
    """The constraints that may leave out a credential teaching a gap skill (teaching: their positions): max_hours or
    max_cost that one of them exceeds alone, max_steps where one needs prerequisites, or a filter (planner.filters)
    that keeps one of them out; an excluded provider that offers none of them excluded nothing (level and
    hours_per_week only order and pace the path)."""
    bounds = over_limits(engine, c, teaching, {})
    if c.max_steps is not None and bool(engine.facts.has_requires[teaching].any()):
        bounds.add("max_steps")
    return bounds | filtered_out(engine, c, teaching)


def as_json(value: object) -> str:
    """A constraint's value as JSON, whole numbers without ".0", letters unescaped."""
    whole = int(value) if isinstance(value, float) and value.is_integer() else value
    return json.dumps(whole, ensure_ascii=False)


def path_report(
    engine: Engine, gap: Gap, cov: Coverage, steps: list[int], mask: np.ndarray, held: Holdings, c: Constraints,
    ours: np.ndarray
) -> Record:
    """The ordered, explained steps with their timeline and totals (ours: the credentials in a preferred language)."""
    out, hours, reached = [], 0.0, np.zeros(len(gap.missing), bool)
    before = gap.coverage()
    stacked = stacks(engine, steps, held)
    news, extras = [], []  # per step: the gap skills it covers first, and the importance reached with it
    rows = cov.index(steps)
    required_by: dict[int, list[int]] = {}  # prerequisite -> the path's steps that require it, in path order
    for other in steps:
        for r in set(engine.prerequisites_of(other)):
            required_by.setdefault(r, []).append(other)
    for teaches in cov.at(rows) > 0:
        news.append(np.flatnonzero(teaches & ~reached))
        reached |= teaches
        extras.append(float(reached @ cov.importance))
    others = alternatives(engine, cov, mask, rows, news, ours)
    ranks = [level_rank(engine.credential(p).get("level")) for p in steps]
    for pos, row, new, extra, alternative in zip(steps, rows, news, extras, others, strict=True):
        start, end = weeks(hours, hours + engine.credential(pos)["hours"], c.hours_per_week)
        hours += engine.credential(pos)["hours"]
        step = step_report(engine, gap, cov, pos, row, new, required_by.get(pos, []), stacked, ranks)
        step.update(start_week=start, end_week=end, cumulative_hours=round(hours, 2),
                    cumulative_coverage=gap.coverage(extra))
        step["alternatives"] = alternative
        out.append(step)
    total_weeks = out[-1]["end_week"] if out else 0
    return {
        "steps": out, "total_hours": round(hours, 2), "total_weeks": total_weeks,
        "hours_per_week": c.hours_per_week,
        "total_cost": round(sum(engine.credential(p).get("cost") or 0 for p in steps), 2),
        "cost_unknown_steps": (unpriced := sum(1 for p in steps if engine.credential(p).get("cost") is None)),
        "total_cost_complete": not unpriced,  # False: total_cost counts only the steps that publish a price
        "total_certificate_cost": round(sum(engine.credential(p).get("certificate_cost") or 0 for p in steps), 2),
        "coverage_before": before, "coverage_after": gap.coverage(float(reached @ cov.importance)),
        "stacks": stacked,
    }


def step_report(
    engine: Engine, gap: Gap, cov: Coverage, pos: int, row: int, new: np.ndarray, required_by: list[int],
    stacked: list[Record], ranks: list[int]
) -> Record:
    """One step (credential pos, coverage row): the credential, the gap skills it newly covers (with the matching
    pair) and why (required_by: the path's steps that require it; ranks: the level rank of each step of the path)."""
    gaps = new.tolist()
    covers = cover_entries(engine, [gap.missing[g] for g in gaps], via_pairs(cov, row, gaps))
    reasons = step_reasons(engine, pos, covers, required_by, stacked, ranks)
    return {
        "credential": engine.credential_ref(pos),
        "covers": covers,
        "why": "; ".join(r["text"] for r in reasons),
        "reasons": reasons,
        "hours": engine.credential(pos)["hours"],
    }


def cover_entries(engine: Engine, gap_skills: list[Record], vias: list[tuple[int, float]]) -> list[Record]:
    """Covered gap skills, each with the credential's aligned skill (through its teaching pair) and their
    similarity."""
    teach = engine.teaching
    pairs = [pair for pair, _ in vias]
    out = []
    for gap_skill, (pair, similarity), taught, confidence in zip(
            gap_skills, vias, teach.skill[pairs].tolist(), teach.confidence[pairs].tolist(), strict=True):
        skill = engine.skill_ref(taught)
        out.append({
            "id": gap_skill["id"], "label": gap_skill["label"], "importance": gap_skill["importance"],
            "relation": gap_skill["relation"], "similarity": round(similarity, 4),
            "via": {"id": skill["id"], "label": skill["label"], "matched_text": teach.matched[pair],
                    "alignment_confidence": round(confidence, 4), "read_from": teach.source[pair],
                    "evidence": evidence_strength(teach.source[pair], confidence)},
        })
    return out


def step_reasons(
    engine: Engine, pos: int, covers: list[Record], required_by: list[int], stacked: list[Record], ranks: list[int]
) -> list[Record]:
    """Why a step is in the path and where it sits (required_by: the path's steps that require it; stacked: the
    path's stackable credentials; ranks: the level rank of each step of the path)."""
    cred = engine.credential(pos)
    reasons: list[Record] = []
    if covers:
        essential = sum(1 for c in covers if c["relation"] == "essential")
        reasons.append({"code": "covers_gap", "count": len(covers), "essential": essential,
                        "text": covers_text(covers, essential)})
    for other in required_by:
        reasons.append({"code": "prerequisite_of", "credential": engine.credential(other)["id"],
                        "text": f"prerequisite of {engine.credential(other)['name']}"})
    reasons.append({"code": "level", "level": cred.get("level"), "text": level_text(cred.get("level"), ranks)})
    for stack in stacked:
        if cred["id"] in stack["components"]:
            reasons.append({"code": "stacks_into", "credential": stack["credential"]["id"],
                            "status": stack["status"], "text": stack_text(stack)})
    return reasons


def covers_text(covers: list[Record], essential: int) -> str:
    """What a step covers, in words: "covers 3 missing skills, 2 of them essential: a, b, c" (the first four named)."""
    count = len(covers)
    names = words([c["label"] for c in covers[:4]] + ([f"{count - 4} more"] if count > 4 else []))
    if count == 1:
        text = f"covers 1 missing skill{', an essential one' if essential else ''}: {names}"
    else:
        share = "all" if essential == count else "none" if essential == 0 else str(essential)
        text = f"covers {count} missing skills, {share} of them essential: {names}"
    return text + moderate_text(covers)


def moderate_text(covers: list[Record]) -> str:
    """A note naming the covers read from one sentence of the description with moderate confidence (empty if none)."""
    moderate = [c["label"] for c in covers if c["via"]["evidence"] == "moderate"]
    if not moderate:
        return ""
    return f" ({words(moderate[:4] + ([f'{len(moderate) - 4} more'] if len(moderate) > 4 else []))} read from " \
           f"one sentence of its description: check the syllabus)"


def level_text(level: str | None, ranks: list[int]) -> str:
    """Where a step of this level sits among the levels of the path's steps (ranks: each step's level_rank), in
    words; only the levels the path has are named."""
    rank, present = level_rank(level), set(ranks)
    names = {"mixed": "mixed-level"}
    earlier = [names.get(n, n) for n, r in LEVEL_RANK.items() if r < rank and r in present]
    later = [names.get(n, n) for n, r in LEVEL_RANK.items() if r > rank and r in present]
    where = [f"after the {words(earlier)} steps"] if earlier else []
    where += [f"before the {words(later)} {'ones' if earlier else 'steps'}"] if later else []
    if where:
        return f"{level or 'unknown'} level: placed {' and '.join(where)}"
    return f"{level or 'unknown'} level" + (": no step of the path comes before or after it by level"
                                            if len(ranks) > 1 else "")


def words(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def stack_text(stack: Record) -> str:
    """One sentence about a stackable credential."""
    name = stack["credential"]["name"]
    if stack["status"] == "completes":
        return f"with the path, completes the stackable credential {name}"
    return f"stacks into {name} (missing: {', '.join(stack['missing'])})"


def stacks(engine: Engine, steps: list[int], held: Holdings) -> list[Record]:
    """Larger credentials that the path completes or leaves one step away."""
    if not engine.components:
        return []
    have = {engine.credential(p)["id"] for p in [*steps, *held.credentials]}
    parents = sorted({parent for p in steps for parent in engine.credential(p).get("part_of", [])})
    out = []
    for parent in parents:
        pos = engine.artifact.credential_pos.get(parent)
        parts = engine.components.get(parent, [])
        missing = [p for p in parts if p not in have]
        if pos is None or parent in have or len(missing) > 1:
            continue
        out.append({"credential": engine.credential_ref(pos), "components": parts,
                    "missing": missing, "status": "completes" if not missing else "one_step_away"})
    return out


def alternatives(
    engine: Engine, cov: Coverage, mask: np.ndarray, step_rows: list[int], news: list[np.ndarray], ours: np.ndarray
) -> list[list[Record]]:
    """Per step (step_rows: each step's coverage row, -1 if it teaches no gap skill), up to two other allowed
    credentials off the path that cover most of what the step newly covers (news: the gap skills each step covers
    first; each weighed by its importance and how well the credential covers it), per hour, those in the preferred
    languages (ours: a mask over credentials) first; scored and ranked for all steps at once."""
    usable = mask[cov.rows]
    usable[[r for r in step_rows if r >= 0]] = False
    first = np.full(len(cov.importance), -1)  # per gap skill, the step that covers it first (-1: none)
    for s, columns in enumerate(news):
        first[columns] = s
    rows, columns = cov.strength.nonzero()  # sparse: a credential teaches a few gap skills
    keep = usable[rows] & (first[columns] >= 0)
    rows, columns = rows[keep], columns[keep]
    pairs, at = np.unique(rows * len(step_rows) + first[columns], return_inverse=True)  # (row, step), by row
    scores = np.bincount(at, weights=cov.importance[columns] * cov.strength[rows, columns], minlength=len(pairs))
    counts = np.bincount(at, minlength=len(pairs))
    positive = scores > 0
    pairs, scores, counts = pairs[positive], scores[positive], counts[positive]
    found, step = pairs // max(len(step_rows), 1), pairs % max(len(step_rows), 1)
    ratio = np.round(scores / np.maximum(engine.facts.hours[cov.rows[found]], 0.5), 9)
    theirs = ~ours[cov.rows[found]]
    order = np.lexsort((found, -ratio, theirs, step))  # by step, preferred language, ratio (descending), position
    starts = np.searchsorted(step[order], np.arange(len(step_rows) + 1)).tolist()
    out: list[list[Record]] = []
    for s in range(len(step_rows)):
        picked = order[starts[s] : min(starts[s] + MAX_ALTERNATIVES, starts[s + 1])]
        refs = []
        for pos, count in zip(cov.rows[found[picked]].tolist(), counts[picked].tolist(), strict=True):
            ref = engine.credential_ref(pos)
            ref["covers_count"] = int(count)
            refs.append(ref)
        out.append(refs)
    return out
