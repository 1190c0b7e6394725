"""`make eval`: build the dev sets, score baselines and the matcher, print one table."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from service import calibration

from .harness import ARTIFACT_DIR, load_setup
from .paths import path_coverage
from .tasks import (
    Result,
    align_precision,
    alt_to_skill,
    chosen_align_note,
    description_to_skills,
    job_ads_to_skills,
    phrase_to_skill,
    title_to_role,
)

THRESHOLDS = [round(0.40 + 0.05 * i, 2) for i in range(11)]
TASKS = ("titles", "alts", "descriptions", "ads", "phrases", "align", "paths")


def table(results: list[Result]) -> str:
    """The results as one markdown table."""
    lines = ["| task | method | n | metric 1 | metric 2 | notes |", "|---|---|---:|---|---|---|"]
    for r in results:
        cells = [f"{k} {v:.3f}" if v <= 1 else f"{k} {v:.0f}" for k, v in r.metrics.items()] + ["", ""]
        lines.append(f"| {r.task} | {r.method} | {r.n} | {cells[0]} | {cells[1]} | {r.notes} |")
    return "\n".join(lines)


def curve_table(curve: list[tuple[float, float, float, float]]) -> str:
    """The ALIGN_TAG curve as a markdown table."""
    head = "| threshold | precision | accepted (labelled tags) | rejected (empty-gold tags) |"
    lines = [head, "|---:|---:|---:|---:|"]
    lines += [f"| {t:.2f} | {p:.3f} | {a:.3f} | {r:.3f} |" for t, p, a, r in curve]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Run the selected tasks and print the table."""
    parser = argparse.ArgumentParser(prog="python -m eval.run", description=__doc__)
    parser.add_argument("--artifact", type=Path, default=ARTIFACT_DIR)
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
    results: list[Result] = []
    curve: list[tuple[float, float, float, float]] = []
    runs = {
        "titles": lambda: title_to_role(setup, args.titles),
        "alts": lambda: alt_to_skill(setup, args.alts),
        "descriptions": lambda: description_to_skills(setup, args.descriptions),
        "ads": lambda: job_ads_to_skills(setup, args.ads),
        "phrases": lambda: phrase_to_skill(setup),
        "paths": lambda: path_coverage(setup, args.paths),
    }
    for name in args.only:
        if name == "align":
            curve = align_precision(setup, THRESHOLDS)
            results.append(Result("tag alignment", "best label/alt match", 0, {}, chosen_align_note(curve)))
        else:
            results.extend(runs[name]())
    print(table(results))
    if curve:
        print("\nALIGN_TAG curve (tag items of eval/data/phrases_labelled.jsonl)\n")
        print(curve_table(curve))
    thresholds = {k: v for k, v in vars(calibration).items() if k.isupper()}
    print(f"\nthresholds {thresholds}; {time.perf_counter() - started:.0f}s")
    if args.json:
        rows = [vars(r) for r in results]
        args.json.write_text(json.dumps({"results": rows, "align_curve": curve, "thresholds": thresholds}, indent=1))


if __name__ == "__main__":
    main()
