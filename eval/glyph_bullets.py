"""`python -m eval.glyph_bullets`: the job-ad task with the ads' plain bullets drawn as glyphs (ticks, arrows, shapes,
emoji, 'o'), as postings copied from the web have them. Compare its rows with the job-ad rows of `make eval`."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from typing import Any

from . import postings, tasks
from .harness import load_setup

GLYPHS = ("\u2713 ", "\u27a2 ", "\U0001f539 ", "\u25ba ", "\u2714\ufe0f ", "o ")
PLAIN_BULLET = re.compile(r"(?m)^(?:- |\u2022 |\* )")


def glyphed(job_ads: Any) -> Any:
    """job_ads with every plain bullet replaced by a glyph drawn with a fixed seed."""

    def ads(*args: Any, **kwargs: Any) -> list[tuple[str, Any]]:
        rng = random.Random(7)
        return [(title, replace(q, text=PLAIN_BULLET.sub(lambda _: rng.choice(GLYPHS), q.text)))
                for title, q in job_ads(*args, **kwargs)]

    return ads


def main() -> None:
    """Print the job-ad rows for glyph-bulleted ads."""
    postings.job_ads = glyphed(postings.job_ads)
    for result in tasks.job_ads_to_skills(load_setup(), 150):
        print(f"| {result.task} (glyph bullets) | {result.method} | {result.n} | "
              + " | ".join(f"{k} {v:.3f}" for k, v in result.metrics.items()) + " |")


if __name__ == "__main__":
    main()
