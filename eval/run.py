"""`make eval`: build the dev sets, score baselines and the matcher, calibrate thresholds, print the tables."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from service import calibration

from . import calibrate, datasets
from .harness import Setup, load_setup
from .paths import path_coverage
from .tasks import (
    Result,
    acronym_sentences,
    alt_to_skill,
    description_alignment,
    description_to_skills,
    job_ads_to_skills,
    labelled_title_to_role,
    path_claims,
    phrase_to_skill,
    postings_to_roles_and_skills,
    title_to_role,
    title_to_skills,
)

TASKS = ("titles", "labelled-titles", "title-skills", "alts", "descriptions", "ads", *datasets.POSTING_SETS, "phrases",
         "acronyms", "paths", "calibration")


def table(results: list[Result]) -> str:
    """The results as one markdown table."""
    lines = ["| task | method | n | metric 1 | metric 2 | notes |", "|---|---|---:|---|---|---|"]
    for r in results:
        cells = [f"{k} {v:.3f}" if v <= 1 else f"{k} {v:.0f}" for k, v in r.metrics.items()] + ["", ""]
        lines.append(f"| {r.task} | {r.method} | {r.n} | {cells[0]} | {cells[1]} | {r.notes} |")
    return "\n".join(lines)


def threshold_table(found: list[calibrate.Calibration]) -> str:
    """Per threshold: value in use (pooled F1), each fold's F1-best choice (F1 on the other fold), pooled F1-best."""
    lines = ["| threshold | in use (F1) | even-fold best (F1 on odd) | odd-fold best (F1 on even) | pooled best (F1) |",
             "|---|---:|---:|---:|---:|"]
    for c in found:
        (a, fa), (b, fb) = c.folds
        lines.append(f"| {c.name} | {c.current:.2f} ({c.at_current.f1:.3f}) | {a:.2f} ({fa:.3f}) | "
                     f"{b:.2f} ({fb:.3f}) | {c.pooled.threshold:.2f} ({c.pooled.f1:.3f}) |")
    return "\n".join(lines)


def curve_table(c: calibrate.Calibration) -> str:
    """One threshold's curve on the whole labelled sample."""
    lines = [f"{c.name}: accept when score >= t", "",
             "| t | precision | recall | F1 | empty-gold rejected |", "|---:|---:|---:|---:|---:|"]
    lines += [f"| {s.threshold:.2f} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.rejected:.3f} |"
              for s in c.curve]
    return "\n".join(lines)


def title_table(bands: list[tuple[float, float, float, int]], nonsense: list[float]) -> str:
    """Held-out titles by best-score band, and the best scores of non-titles."""
    lines = ["ROLE_MATCH: held-out titles by best title-match score", "",
             "| score band | titles | acc@1 | hit@10 |", "|---|---:|---:|---:|"]
    lines += [f"| >= {low:.2f} | {n} | {acc:.2f} | {hit:.2f} |" for low, acc, hit, n in bands]
    lines.append(f"\nnon-titles ({len(nonsense)} strings): best score max {max(nonsense):.3f}, "
                 f"mean {sum(nonsense) / len(nonsense):.3f}")
    return "\n".join(lines)


def calibration_report(setup: Setup, titles: int) -> tuple[str, list[Result]]:
    """Threshold tables and curves, and the alignment-precision rows for the main table."""
    found = [calibrate.calibrate("PHRASE_SKILL", calibrate.phrase_points(setup)),
             calibrate.calibrate("ALIGN_TAG", calibrate.tag_points(setup, aligned=True)),
             calibrate.calibrate("FREE_SKILL", calibrate.tag_points(setup, aligned=False))]
    at = calibrate.stats(calibrate.tag_points(setup, aligned=True), calibration.ALIGN_TAG)
    row = Result("tag -> skill alignment", f"build alignment at ALIGN_TAG={calibration.ALIGN_TAG}", 125,
                 {"precision": at.precision, "recall": at.recall},
                 f"best match of each labelled Coursera tag; rejects {at.rejected:.2f} of empty-gold tags")
    text = "\n\n".join([threshold_table(found), *(curve_table(c) for c in found),
                        title_table(calibrate.title_curve(setup, titles), calibrate.nonsense_scores(setup))])
    samples = [description_alignment(setup, datasets.DATA / name) for name in datasets.ALIGNMENT_SETS]
    return text, [row, *samples]


def main(argv: list[str] | None = None) -> None:
    """Run the selected tasks and print the tables."""
    parser = argparse.ArgumentParser(prog="python -m eval.run", description=__doc__)
    parser.add_argument("--artifact", type=Path, help="default: BADGEPATH_ARTIFACT_DIR or models/artifact")
    parser.add_argument("--titles", type=int, default=1000, help="held-out alt titles")
    parser.add_argument("--alts", type=int, default=1000, help="held-out skill alt labels")
    parser.add_argument("--descriptions", type=int, default=300, help="occupation descriptions")
    parser.add_argument("--ads", type=int, default=150, help="synthetic job ads")
    parser.add_argument("--paths", type=int, default=100, help="synthetic learners")
    parser.add_argument("--only", nargs="*", choices=TASKS, default=list(TASKS))
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    setup = load_setup(args.artifact)
    runs: dict[str, Callable[[], list[Result]]] = {
        "titles": lambda: title_to_role(setup, args.titles),
        "labelled-titles": lambda: labelled_title_to_role(setup),
        "title-skills": lambda: title_to_skills(setup, args.titles),
        "alts": lambda: alt_to_skill(setup, args.alts),
        "descriptions": lambda: description_to_skills(setup, args.descriptions),
        "ads": lambda: job_ads_to_skills(setup, args.ads),
        **{task: partial(postings_to_roles_and_skills, setup, task) for task in datasets.POSTING_SETS},
        "phrases": lambda: phrase_to_skill(setup),
        "acronyms": lambda: acronym_sentences(setup),
        "paths": lambda: [*path_coverage(setup, args.paths), *path_claims(setup)],
    }
    results: list[Result] = []
    report = ""
    for name in args.only:
        if name == "calibration":
            report, rows = calibration_report(setup, args.titles)
            results.extend(rows)
        else:
            results.extend(runs[name]())
    print(table(results))
    if report:
        print("\n" + report)
    thresholds = calibration.thresholds()
    print(f"\nthresholds in use: {thresholds}\n{time.perf_counter() - started:.0f}s")
    if args.json:
        args.json.write_text(json.dumps({"results": [vars(r) for r in results], "thresholds": thresholds}, indent=1))


if __name__ == "__main__":
    main()
