"""The eval tasks: each scores the baselines and the project's matcher on one dev set."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from service import calibration
from service.build import teaches_teaching
from service.engine import target
from service.engine.core import ALT, DESCRIPTION, LABEL, Engine, Record
from service.engine.learner import read_texts
from service.engine.target import extract_skills, match_roles, resolve_target, skill_hits
from service.index import VectorTable
from service.schemas import Target

from . import datasets, postings
from .baselines import Dense, Ranked, Tfidf, top_owners
from .harness import Hiding, Setup, patched, without_rows
from .metrics import average_precision, hit_at, mean, r_precision, reciprocal_rank

Ids = list[str]


@dataclass
class Result:
    """One row of the table: a method's metrics on a task."""

    task: str
    method: str
    n: int
    metrics: dict[str, float] = field(default_factory=dict)
    notes: str = ""


def ids(ranked: Ranked, names: Sequence[str]) -> list[Ids]:
    """Ranked (owner, score) lists to ranked id lists."""
    return [[names[o] for o, _ in r] for r in ranked]


def lookup_metrics(runs: list[Ids], queries: list[datasets.Query]) -> dict[str, float]:
    """acc@1 and MRR@10 of ranked ids against single-answer gold."""
    return {"acc@1": mean([hit_at(r, q.gold, 1) for r, q in zip(runs, queries, strict=True)]),
            "MRR@10": mean([reciprocal_rank(r, q.gold, 10) for r, q in zip(runs, queries, strict=True)])}


def rows_of(table_texts: Sequence[str], kind: np.ndarray, owner: np.ndarray, kinds: tuple[int, ...]) -> tuple[
        list[str], np.ndarray, np.ndarray]:
    """Row indexes, texts and owners of the given kinds."""
    keep = np.flatnonzero(np.isin(kind, kinds))
    return [table_texts[int(i)] for i in keep], owner[keep], keep


def title_to_role(setup: Setup, n: int) -> list[Result]:
    """Held-out ESCO alt titles -> their role (the held-out rows are not in the index), as held out, as job boards
    post them, abbreviated, and with job-board tags after them."""
    art, table = setup.artifact, setup.artifact.tables["roles"]
    queries, drop = datasets.held_out_titles(art.roles, table, n)
    evaluated = without_rows(table, setup.vectors["roles"], drop)
    row_texts, owner, _ = rows_of(evaluated.texts, evaluated.kind, evaluated.owner, (LABEL, ALT))
    names = [r["id"] for r in art.roles]
    tfidf = ids(Tfidf(row_texts, owner).rank([q.text for q in queries], 10), names)
    out = [Result("title -> role", "TF-IDF (titles + alt titles)", len(queries), lookup_metrics(tfidf, queries))]
    engine = setup.engine({"roles": evaluated})
    labels = setup.vectors["roles"][table.kind == LABEL]
    for variant, titles in (("", queries), (" (titles as posted)", datasets.as_posted(queries)),
                            (" (abbreviated titles)", datasets.abbreviated(queries)),
                            (" (titles with job-board tags)", datasets.tagged(queries))):
        texts = [q.text for q in titles]
        dense = Dense(labels).rank(setup.encoder.encode_queries(texts), 10)
        runs = {"MiniLM, preferred titles only": ids(dense, names),
                "badgepath match_roles": [[names[p] for p, _ in match_roles(engine, t, False, 10)] for t in texts]}
        out += [Result("title -> role", m + variant, len(titles), lookup_metrics(r, titles)) for m, r in runs.items()]
    return out


def labelled_title_to_role(setup: Setup) -> list[Result]:
    """Hand-labelled job titles as posted (eval/data/titles_labelled.jsonl) -> an acceptable occupation, against the
    whole role index: real titles are looked up the way the service looks them up."""
    art, table = setup.artifact, setup.artifact.tables["roles"]
    queries = datasets.labelled_titles()
    texts = [q.text for q in queries]
    names = [r["id"] for r in art.roles]
    vectors = setup.encoder.encode_queries(texts)
    row_texts, owner, rows = rows_of(table.texts, table.kind, table.owner, (LABEL, ALT))
    engine = setup.engine()
    runs = {
        "TF-IDF (titles + alt titles)": ids(Tfidf(row_texts, owner).rank(texts, 10), names),
        "MiniLM, preferred titles only": ids(Dense(setup.vectors["roles"][table.kind == LABEL]).rank(vectors, 10),
                                             names),
        "MiniLM, titles + alt titles": ids(top_rows(setup.vectors["roles"][rows], owner, vectors, 10), names),
        "badgepath match_roles": [[names[p] for p, _ in match_roles(engine, t, False, 10)] for t in texts],
    }
    return [Result("title -> role, hand-labelled titles as posted", m, len(queries), lookup_metrics(r, queries))
            for m, r in runs.items()]


def top_rows(vectors: np.ndarray, owner: np.ndarray, queries: np.ndarray, k: int) -> Ranked:
    """Plain MiniLM nearest rows, collapsed to their owners (best row per owner)."""
    return top_owners(queries @ vectors.T, owner, k)


def postings_to_roles_and_skills(setup: Setup, task: str = "postings") -> list[Result]:
    """Hand-written postings (one of datasets.POSTING_SETS) -> an acceptable occupation and the skills they ask for,
    against the whole index, as the service answers them."""
    art, table, engine = setup.artifact, setup.artifact.tables["roles"], setup.engine()
    name, label = datasets.POSTING_SETS[task]
    items = datasets.labelled_postings(datasets.DATA / name)
    role_names, skill_names = [r["id"] for r in art.roles], [s["id"] for s in art.skills]
    by_role = [datasets.Query(p.title, p.roles) for p in items]
    by_skill = [datasets.Query(p.text, p.skills) for p in items]
    titles = setup.encoder.encode_queries([p.title for p in items])
    texts = setup.encoder.encode_queries([p.text for p in items])
    _, described, rows = rows_of(table.texts, table.kind, table.owner, (DESCRIPTION,))
    answers = {how: [resolve_target(engine, target) for target in targets] for how, targets in (
        ("title", [Target(title=p.title) for p in items]),
        ("posting", [Target(description=p.text) for p in items]),
        ("title + posting", [Target(title=p.title, description=p.text) for p in items]),
        # as some job-ad datasets and scrapers give them: one paragraph, every line break lost
        ("posting, line breaks lost", [Target(description=" ".join(p.text.split())) for p in items]))}
    fielded = [resolve_target(engine, Target(description=f"Job Title: {p.text}")) for p in items]
    companies = ["Northgate Group Ltd", "Brightwater Holdings plc", "Acme Partners", "Kestrel & Co", "Meridian Ltd"]
    headed = [resolve_target(engine, Target(description=f"{companies[i % len(companies)]}\n{p.text}"))
              for i, p in enumerate(items)]
    roles = {
        "MiniLM, title vs preferred titles": ids(Dense(setup.vectors["roles"][table.kind == LABEL]).rank(titles, 10),
                                                 role_names),
        "MiniLM, posting vs role descriptions": ids(top_rows(setup.vectors["roles"][rows], described, texts, 10),
                                                    role_names),
        **{f"badgepath, {how}": [[r["id"] for r in summary["roles"]] for summary, _, _ in answered]
           for how, answered in answers.items()},
        "badgepath, posting headed 'Job Title: ...'": [[r["id"] for r in s["roles"]] for s, _, _ in fielded],
        "badgepath, posting under a company name line": [[r["id"] for r in s["roles"]] for s, _, _ in headed],
    }
    out = [Result(f"posting -> role, {label}", m, len(items), lookup_metrics(r, by_role))
           for m, r in roles.items()]
    skills = setup.exact["skills"]
    row_texts, owner, _ = rows_of(skills.texts, skills.kind, skills.owner, (LABEL, ALT))
    extracted = [sorted(extract_skills(engine, p.text)[0].values(), key=lambda e: -e["score"]) for p in items]
    runs = {
        "TF-IDF (labels + alt labels)": ids(Tfidf(row_texts, owner).rank([p.text for p in items], 100), skill_names),
        "MiniLM, preferred labels only": ids(Dense(np.asarray(art.skill_vectors)).rank(texts, 100), skill_names),
        "badgepath: phrase extraction only": [[e["id"] for e in found] for found in extracted],
        **{f"badgepath resolve_target ({how})": [[r["id"] for r in required] for _, required, _ in answers[how]]
           for how in ("posting", "title + posting", "posting, line breaks lost")},
    }
    out += [Result(f"posting -> skills, {label}", m, len(items), set_metrics(r, by_skill))
            for m, r in runs.items()]
    accepted = [{e["id"] for e in found} for found in extracted]
    precision = [len(got & q.gold) / len(got) if got else 1.0 for got, q in zip(accepted, by_skill, strict=True)]
    recall = [len(got & q.gold) / len(q.gold) for got, q in zip(accepted, by_skill, strict=True)]
    phrase_row = next(r for r in out if r.method == "badgepath: phrase extraction only")
    phrase_row.notes = (f"accepted skills: precision {mean(precision):.2f} against the labelled skills (a lower bound: "
                        f"the labels are not exhaustive), recall {mean(recall):.2f}")
    return out


def title_to_skills(setup: Setup, n: int) -> list[Result]:
    """Held-out ESCO alt titles -> the skills their role needs (its essential skills), the way a title-only request
    is answered: with the role in the index (only the held-out title row dropped) and with it hidden (an occupation
    ESCO lacks). Baseline: the essential, then optional, skills of plain MiniLM's nearest preferred title."""
    art, table = setup.artifact, setup.artifact.tables["roles"]
    queries, drop = datasets.held_out_titles(art.roles, table, n)
    gold = [datasets.Query(q.text, datasets.essential_skills(art.roles[q.owner]), "title", q.owner) for q in queries]
    labels = setup.vectors["roles"][table.kind == LABEL]
    nearest = Dense(labels).rank(setup.encoder.encode_queries([q.text for q in queries]), 1)
    by_relation = [[s["id"] for s in sorted(art.roles[r[0][0]]["skills"], key=lambda s: s["relation"] != "essential")]
                   for r in nearest]
    out = [Result("title -> skills", "MiniLM nearest preferred title, its skills", len(gold),
                  set_metrics(by_relation, gold))]
    hiding = Hiding(setup.exact["roles"])
    for where, engine in (("role in the index", setup.engine({"roles": without_rows(table, setup.vectors["roles"],
                                                                                      drop)})),
                          ("role hidden", setup.engine({"roles": hiding}))):
        runs = []
        for q in gold:
            hiding.hidden = {q.owner}
            runs.append([r["id"] for r in resolve_target(engine, Target(title=q.text))[1]])
        out.append(Result("title -> skills", f"badgepath resolve_target ({where})", len(gold), set_metrics(runs, gold)))
    return out


def alt_to_skill(setup: Setup, n: int) -> list[Result]:
    """A skill's alt label -> the skill, with all its alt labels out of the index."""
    art, table = setup.artifact, setup.artifact.tables["skills"]
    queries, drop = datasets.held_out_alt_labels(art.skills, table, n)
    evaluated = without_rows(table, setup.vectors["skills"], drop)
    engine = setup.engine({"skills": evaluated})
    names = [s["id"] for s in art.skills]
    texts = [q.text for q in queries]
    vectors = setup.encoder.encode_queries(texts)
    row_texts, owner, _ = rows_of(evaluated.texts, evaluated.kind, evaluated.owner, (LABEL, ALT))
    runs = {
        "TF-IDF (labels + alt labels)": ids(Tfidf(row_texts, owner).rank(texts, 10), names),
        "MiniLM, preferred labels only": ids(Dense(np.asarray(art.skill_vectors)).rank(vectors, 10), names),
        "badgepath skill_hits": [[names[h.owner] for h in hits] for hits in skill_hits(engine, vectors, 10)],
    }
    return [Result("alt label -> skill", m, len(queries), lookup_metrics(r, queries)) for m, r in runs.items()]


def set_metrics(runs: list[Ids], queries: list[datasets.Query]) -> dict[str, float]:
    """MAP@100 and R-precision of ranked ids against gold sets."""
    return {"MAP@100": mean([average_precision(r, q.gold, 100) for r, q in zip(runs, queries, strict=True)]),
            "R-Prec": mean([r_precision(r, q.gold) for r, q in zip(runs, queries, strict=True)])}


def description_to_skills(setup: Setup, n: int) -> list[Result]:
    """ESCO occupation description -> its essential skills; the occupation is hidden from the role index."""
    art = setup.artifact
    queries = datasets.occupation_descriptions(art.roles, n)
    hiding = Hiding(setup.exact["roles"])
    engine = setup.engine({"roles": hiding})
    names = [s["id"] for s in art.skills]
    texts = [q.text for q in queries]
    vectors = setup.encoder.encode_queries(texts)
    skills = setup.exact["skills"]
    row_texts, owner, _ = rows_of(skills.texts, skills.kind, skills.owner, (LABEL, ALT))
    runs = {
        "TF-IDF (labels + alt labels)": ids(Tfidf(row_texts, owner).rank(texts, 100), names),
        "MiniLM, preferred labels only": ids(Dense(np.asarray(art.skill_vectors)).rank(vectors, 100), names),
    }
    for method, fn in target_variants().items():
        runs[method] = []
        for q in queries:
            hiding.hidden = {q.owner}
            runs[method].append(fn(engine, q.text))
    return [Result("description -> skills", m, len(queries), set_metrics(r, queries)) for m, r in runs.items()]


def fused(engine: Engine, text: str) -> Ids:
    """The project's description matcher: required skill ids, best first."""
    return [r["id"] for r in resolve_target(engine, Target(description=text))[1]]


def target_variants() -> dict[str, Callable[[Engine, str], Ids]]:
    """The project's description matcher and its two halves (extraction only, role profiles only)."""
    def extracted(engine: Engine, text: str) -> Ids:
        found = extract_skills(engine, text)[0]
        return [e["id"] for e in sorted(found.values(), key=lambda e: (-e["score"], e["id"]))]

    def profiles(engine: Engine, text: str) -> Ids:
        return [r["id"] for r in resolve_target(engine, Target(description=text))[1] if r["relation"] != "extracted"
                and any(e["source"] == "role" for e in r["evidence"])]

    return {"badgepath: phrase extraction only": extracted, "badgepath: nearest-role profiles only": profiles,
            "badgepath resolve_target (fused)": fused}


def phrase_to_skill(setup: Setup) -> list[Result]:
    """Hand-labelled tags and phrases -> ESCO skills (eval/data/phrases_labelled.jsonl)."""
    art, engine = setup.artifact, setup.engine()
    items = datasets.labelled_phrases()
    gold = [q for q in items if q.gold]
    names = [s["id"] for s in art.skills]
    texts = [q.text for q in gold]
    vectors = setup.encoder.encode_queries(texts)
    skills = setup.exact["skills"]
    row_texts, owner, _ = rows_of(skills.texts, skills.kind, skills.owner, (LABEL, ALT))
    runs = {
        "TF-IDF (labels + alt labels)": ids(Tfidf(row_texts, owner).rank(texts, 10), names),
        "MiniLM, preferred labels only": ids(Dense(np.asarray(art.skill_vectors)).rank(vectors, 10), names),
        "badgepath skill_hits": [[names[h.owner] for h in hits] for hits in skill_hits(engine, vectors, 10)],
    }
    out = []
    for method, r in runs.items():
        metrics = {"MRR@10": mean([reciprocal_rank(x, q.gold) for x, q in zip(r, gold, strict=True)]),
                   "RP@5": mean([r_precision(x, q.gold, 5) for x, q in zip(r, gold, strict=True)])}
        out.append(Result("tag/phrase -> skill", method, len(gold), metrics))
    out[-1].notes = no_match_note(engine, items)
    return out + [tool_names(engine, items)]


def acronym_sentences(setup: Setup) -> list[Result]:
    """Hand-labelled job-ad sentences that use acronyms (eval/data/acronyms_labelled.jsonl) -> the skills they ask
    for, as extract_skills accepts them, with the acronyms read as posted and written out (target.ACRONYMS)."""
    engine = setup.engine()
    items = datasets.labelled_acronyms()
    gold, empty = [q for q in items if q.gold], [q for q in items if not q.gold]
    out = []
    for method, spelled in (("badgepath extract_skills, acronyms as posted", False),
                            ("badgepath extract_skills", True)):
        with patched(target, ACRONYMS=spelled):
            found = {q.text: [e["id"] for e in sorted(extract_skills(engine, q.text)[0].values(),
                                                        key=lambda e: (-e["score"], e["id"]))] for q in items}
        accepted = [i for q in gold for i in found[q.text]]
        right = sum(i in q.gold for q in gold for i in found[q.text])
        metrics = {"hit rate": mean([float(any(i in q.gold for i in found[q.text])) for q in gold]),
                   "MRR@10": mean([reciprocal_rank(found[q.text][:10], q.gold) for q in gold]),
                   "precision": right / len(accepted) if accepted else 0.0}
        note = (f"{len(accepted) / len(gold):.2f} skills accepted per labelled sentence; no-match on "
                f"{len(empty)} empty-gold sentences {mean([float(not found[q.text]) for q in empty]):.2f}")
        out.append(Result("acronym sentences -> skills", method, len(gold), metrics, note))
    return out + [learner_reading(engine, gold, empty, spelled) for spelled in (False, True)]


def learner_reading(engine: Engine, gold: list[datasets.Query], empty: list[datasets.Query], spelled: bool) -> Result:
    """The same sentences sent as a learner's free-text skills (learner.read_texts): the share held as a gold skill
    (best skill at FREE_SKILL or above), with the acronyms as written or also written out."""
    names = [s["id"] for s in engine.artifact.skills]
    with patched(target, ACRONYMS=spelled):
        _, readings = read_texts(engine, [q.text for q in gold + empty])
    held = [names[r.hits[0].owner] if r.hits and r.hits[0].score >= calibration.FREE_SKILL else None
            for r in readings]
    right = mean([float(h in q.gold) for q, h in zip(gold, held[: len(gold)], strict=True)])
    rejected = mean([float(h is None) for h in held[len(gold):]])
    method = "badgepath learner free text" + ("" if spelled else ", acronyms as written")
    return Result("acronym sentences -> skills", method, len(gold), {"held right": right, "empty held none": rejected},
                  f"each sentence sent as a learner's skill; {len(empty)} empty-gold sentences")


def tool_names(engine: Engine, items: list[datasets.Query]) -> Result:
    """Named tools (O*NET) found in the hand-labelled items: how often the tool's skill is in the item's gold."""
    found = [(q, hit) for q in items for hit in engine.tools.find(q.text)]
    right = sum(hit.skill_id in q.gold for q, hit in found)
    metrics = {"precision": right / len(found) if found else 0.0, "found": float(len(found))}
    return Result("tag/phrase -> skill", "badgepath tool names (O*NET)", len(items), metrics,
                  f"{right} of {len(found)} tool names found lead to a gold skill")


def no_match_note(engine: Engine, items: list[datasets.Query]) -> str:
    """How often extract_skills says 'no match' on empty-gold items, and accepts on the others."""
    empty = [q for q in items if not q.gold]
    silent = mean([float(not extract_skills(engine, q.text)[0]) for q in empty])
    labelled = [q for q in items if q.gold]
    accepted = mean([float(bool(extract_skills(engine, q.text)[0])) for q in labelled])
    return f"no-match on {len(empty)} empty-gold items {silent:.2f}; accepts {accepted:.2f} of labelled items"


def bullet_texts(
    skills: Sequence[Record], table: VectorTable, wanted: set[int], seed: int
) -> tuple[dict[str, tuple[str, str]], set[int]]:
    """Per wanted skill, its kind and one alt label unique to it (its row dropped from the index), else its label."""
    rng = random.Random(seed)
    users: dict[str, set[int]] = {}
    rows: dict[str, list[int]] = {}
    for row, text in enumerate(table.texts):
        if table.kind[row] == ALT:
            users.setdefault(datasets.normal(text), set()).add(int(table.owner[row]))
            rows.setdefault(datasets.normal(text), []).append(row)
    texts: dict[str, tuple[str, str]] = {}
    drop: set[int] = set()
    for pos in sorted(wanted):
        unique = sorted(a for a in skills[pos]["alt_labels"] if len(users.get(datasets.normal(a), ())) == 1)
        text = rng.choice(unique) if unique else skills[pos]["label"]
        texts[skills[pos]["id"]] = (skills[pos].get("kind", "skill"), text)
        drop.update(rows.get(datasets.normal(text), []) if unique else [])
    return texts, drop


def job_ads_to_skills(setup: Setup, n: int) -> list[Result]:
    """Synthetic job ads (held-out occupation, held-out alt labels as bullets, boilerplate) -> essential skills."""
    art = setup.artifact
    positions = [q.owner for q in datasets.occupation_descriptions(art.roles, n, seed=datasets.SEED + 6)]
    wanted = {art.skill_pos[s["id"]] for p in positions for s in art.roles[p]["skills"]}
    texts_by_skill, drop = bullet_texts(art.skills, art.tables["skills"], wanted, datasets.SEED + 7)
    ads = postings.job_ads(art.roles, positions, texts_by_skill)
    hiding = Hiding(setup.exact["roles"])
    skills = without_rows(art.tables["skills"], setup.vectors["skills"], drop)
    engine = setup.engine({"roles": hiding, "skills": skills})
    names = [s["id"] for s in art.skills]
    queries = [q for _, q in ads]
    texts = [q.text for q in queries]
    row_texts, owner, _ = rows_of(skills.texts, skills.kind, skills.owner, (LABEL, ALT))
    runs = {
        "TF-IDF (labels + alt labels)": ids(Tfidf(row_texts, owner).rank(texts, 100), names),
        "MiniLM, preferred labels only": ids(
            Dense(np.asarray(art.skill_vectors)).rank(setup.encoder.encode_queries(texts), 100), names),
    }
    variants = {**target_variants(), "badgepath resolve_target (title + ad)": with_title}
    for method, fn in variants.items():
        runs[method] = []
        for title, q in ads:
            hiding.hidden = {q.owner}
            runs[method].append(fn(engine, q.text) if fn is not with_title else with_title(engine, q.text, title))
    out = [Result("job ad -> skills", m, len(queries), set_metrics(r, queries)) for m, r in runs.items()]
    out[2].notes = extraction_note(engine, ads, hiding)
    return out + ads_with_role_known(setup, ads, skills)


def ads_with_role_known(setup: Setup, ads: list[tuple[str, datasets.Query]], skills: VectorTable) -> list[Result]:
    """The same ads with their occupation in the role index, as most real postings' are: the ad loses the ESCO
    description paragraph it quotes and the role loses the title row the ad is headed with, so neither is found
    verbatim."""
    art, table = setup.artifact, setup.artifact.tables["roles"]
    headed = {(datasets.normal(title), q.owner) for title, q in ads}
    drop = {r for r in range(table.rows) if (datasets.normal(table.texts[r]), int(table.owner[r])) in headed}
    engine = setup.engine({"roles": without_rows(table, setup.vectors["roles"], drop), "skills": skills})
    cases = [(title, q.text.replace(art.roles[q.owner]["description"], ""), q) for title, q in ads]
    queries = [q for _, _, q in cases]
    runs = {"badgepath resolve_target (fused), role known": [fused(engine, text) for _, text, _ in cases],
            "badgepath resolve_target (title + ad), role known": [
                with_title(engine, text, title) for title, text, _ in cases]}
    return [Result("job ad -> skills", m, len(queries), set_metrics(r, queries)) for m, r in runs.items()]


def with_title(engine: Engine, text: str, title: str = "") -> Ids:
    """The fused matcher given the ad's title too."""
    return [r["id"] for r in resolve_target(engine, Target(title=title, description=text))[1]]


def extraction_note(engine: Engine, ads: list[tuple[str, datasets.Query]], hiding: Hiding) -> str:
    """Precision (vs essential + optional) and recall (vs essential) of the skills extract_skills accepts."""
    precision, recall, dropped = [], [], []
    for _, q in ads:
        role = engine.role(q.owner)
        related = {s["id"] for s in role["skills"]}
        found, gone = extract_skills(engine, q.text)
        got = {e["id"] for e in found.values()}
        precision.append(len(got & related) / len(got) if got else 1.0)
        recall.append(len(got & q.gold) / len(q.gold))
        dropped.append(len(gone))
    return (f"accepted skills: precision {mean(precision):.2f} (vs essential+optional), recall {mean(recall):.2f}; "
            f"{mean(dropped):.1f} boilerplate phrases dropped per ad")


CREDIT = {"yes": 1.0, "partly": 0.5, "no": 0.0}


def defensible(labels: Sequence[str]) -> bool:
    """A claim the labellers find at least defensible on average (yes / partly / no = 1 / 0.5 / 0)."""
    return mean([CREDIT[label] for label in labels]) >= 0.5


def path_claims(setup: Setup, path: Path = datasets.DATA / "path_covers_labelled.jsonl") -> list[Result]:
    """The covers paths made for trade and office roles, hand-labelled (eval/data/README.md): per sample, of those the
    engine still claims (the credential covers the gap skill), the share labelled right (precision), and the share of
    the right ones it still claims (recall)."""
    engine = setup.engine()
    cover = engine.covering
    labelled = datasets.read_jsonl(path)
    results = []
    for sample in ("trade", "office"):
        items = [i for i in labelled if i["sample"] == sample]
        claimed = right = kept = 0
        for item in items:
            g = engine.artifact.skill_pos[item["skill"]]
            teachers = cover.credential[cover.indptr[g]:cover.indptr[g + 1]]
            ok = defensible(item["labels"])
            now = engine.artifact.credential_pos[item["credential"]] in set(teachers.tolist())
            claimed += now
            right += ok
            kept += now and ok
        metrics = {"precision": kept / claimed if claimed else 1.0, "recall": kept / right if right else 1.0}
        results.append(Result(f"path covers, {sample} roles", "claimed now (core.trusted, PATH_SUPPORT)", len(items),
                              metrics, f"{claimed} of {len(items)} still claimed; {right} labelled right by two "
                                       "labellers"))
    return results


def description_alignment(setup: Setup, path: Path = datasets.DATA / "alignments_labelled.jsonl") -> Result:
    """Credential skills inferred from description sentences (or tags) against a hand-labelled edX (or Coursera)
    sample: per sentence, the skill the artifact's credential now holds from it (or holds at all among the labelled
    ones); precision and recall weighted by the sample's strata."""
    credentials = {c["id"]: c for c in setup.artifact.credentials}
    items = datasets.labelled_alignments(path)
    accepted = right = strict = wanted = 0.0
    unlabelled = 0
    for item in items:
        credential = credentials[item.credential]
        labelled = {skill: labels for skill, labels in item.labels.items()  # a course about teaching keeps its skill
                    if skill != item.fallback or not teaches_teaching(credential)}
        inferred = [s for s in credential["skills"] if s.get("source") == "inferred"]
        held = {s["id"] for s in inferred}
        produced = next((s["id"] for s in inferred if s["matched_text"] == item.text),
                        next((k for k in labelled if k in held), None))
        wanted += item.weight * any(defensible(labels) for labels in labelled.values())
        if produced is None:
            continue
        accepted += item.weight
        if produced not in labelled:
            unlabelled += 1
            continue
        right += item.weight * defensible(labelled[produced])
        strict += item.weight * all(label == "yes" for label in labelled[produced])
    precision = right / accepted if accepted else 1.0
    return Result(datasets.ALIGNMENT_SETS[path.name], f"build alignment, {path.name}",
                  len(items), {"precision": precision, "recall": right / wanted},
                  f"weighted by stratum; every labeller says yes: {strict / accepted if accepted else 1.0:.2f}; "
                  f"{unlabelled} accepted skills unlabelled (counted wrong)")
