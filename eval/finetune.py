"""`python -m eval.finetune`: fine-tune all-MiniLM-L6-v2 on ESCO pairs, with every eval dev-set item held out.

Pairs (from catalog/, the converted ESCO 1.2.0): skill alt label -> preferred label, role alt title -> title, role
title -> the label of one of its essential skills. Skills and roles that any dev set samples (eval/datasets.py:
held-out titles and alt labels, the description and job-ad occupations and their essential skills) are left out,
so `make eval` on the fine-tuned model stays a held-out measurement. Loss: in-batch negatives (multiple
negatives ranking, scale 20), AdamW, linear warm-up, one pass, on CPU. Fixed seeds; torch on CPU is deterministic
for a given machine and thread count, not bit-exact across machines, so the weights' sha256 is what the
service verifies (BADGEPATH_MODEL_SHA256).
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from service.config import ROOT, load_settings
from service.embed import prepare_model, sha256_file
from service.index import load_artifact

from . import datasets

Record = dict[str, Any]
PER_SKILL, PER_ROLE_TITLES, PER_ROLE_SKILLS = 3, 3, 4


def held_out(skills: Sequence[Record], roles: Sequence[Record], artifact: Any) -> tuple[set[int], set[int]]:
    """Positions of the skills and roles any dev set uses (queries, hidden occupations and their gold skills)."""
    titles, _ = datasets.held_out_titles(roles, artifact.tables["roles"], 1000)
    alts, _ = datasets.held_out_alt_labels(skills, artifact.tables["skills"], 1000)
    hidden = [q.owner for q in datasets.occupation_descriptions(roles, 300)]
    hidden += [q.owner for q in datasets.occupation_descriptions(roles, 150, seed=datasets.SEED + 6)]
    role_out = {q.owner for q in titles} | set(hidden)
    skill_pos = {s["id"]: i for i, s in enumerate(skills)}
    skill_out = {q.owner for q in alts}
    skill_out |= {skill_pos[s["id"]] for p in hidden for s in roles[p]["skills"] if s["id"] in skill_pos}
    return skill_out, role_out


def training_pairs(skills: Sequence[Record], roles: Sequence[Record], skip_skills: set[int], skip_roles: set[int],
                   rng: random.Random) -> list[tuple[str, str]]:
    """(anchor, positive) pairs from the skills and roles that no dev set uses, shuffled."""
    pairs: list[tuple[str, str]] = []
    for i, skill in enumerate(skills):
        if i not in skip_skills:
            alts = sorted(skill.get("alt_labels", []))
            pairs += [(a, skill["label"]) for a in rng.sample(alts, min(PER_SKILL, len(alts)))]
    label = {s["id"]: s["label"] for i, s in enumerate(skills) if i not in skip_skills}
    for i, role in enumerate(roles):
        if i in skip_roles:
            continue
        alts = sorted(role.get("alt_titles", []))
        pairs += [(a, role["title"]) for a in rng.sample(alts, min(PER_ROLE_TITLES, len(alts)))]
        essential = sorted(label[s["id"]] for s in role["skills"] if s["relation"] == "essential" and s["id"] in label)
        pairs += [(role["title"], s) for s in rng.sample(essential, min(PER_ROLE_SKILLS, len(essential)))]
    rng.shuffle(pairs)
    return pairs


def batches(pairs: list[tuple[str, str]], size: int) -> list[list[tuple[str, str]]]:
    """Batches without a repeated anchor or positive text (a repeat would be a false in-batch negative)."""
    out: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    seen: set[str] = set()
    for anchor, positive in pairs:
        if anchor in seen or positive in seen:
            continue
        current.append((anchor, positive))
        seen |= {anchor, positive}
        if len(current) == size:
            out.append(current)
            current, seen = [], set()
    return out


def train(base: Path, out: Path, pairs: list[tuple[str, str]], args: argparse.Namespace) -> None:
    """One pass of in-batch-negatives training; saves a sentence-transformers folder to out."""
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    model = SentenceTransformer(str(base), device="cpu")
    model.train()
    groups = batches(pairs, args.batch)[: args.steps]
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr)
    warmup = max(1, len(groups) // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (len(groups) - s) / max(1, len(groups) - warmup))))

    def embed(texts: list[str]) -> torch.Tensor:
        return torch.nn.functional.normalize(model(model.tokenize(texts))["sentence_embedding"], dim=-1)

    started = time.perf_counter()
    for step, group in enumerate(groups):
        anchors, positives = embed([a for a, _ in group]), embed([p for _, p in group])
        loss = torch.nn.functional.cross_entropy(anchors @ positives.T * args.scale, torch.arange(len(group)))
        optimiser.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        optimiser.step()
        schedule.step()
        if step % 50 == 0:
            print(f"step {step}/{len(groups)} loss {loss.item():.4f} {time.perf_counter() - started:.0f} s", flush=True)
    model.eval()
    with tempfile.TemporaryDirectory() as scratch:
        model.save(scratch)
        publish(base, Path(scratch) / "model.safetensors", out)


def publish(base: Path, weights: Path, out: Path) -> None:
    """The base model's folder (its modules.json, pooling and tokenizer files: the layout the service's light
    encoder reads) with the trained weights in place of the base's."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(base, out, ignore=shutil.ignore_patterns("model.safetensors", "*.onnx", "openvino*", "onnx"))
    shutil.copyfile(weights, out / "model.safetensors")


def main() -> None:
    """Build the pairs, train, save, and print the weights' sha256."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "minilm-esco")
    parser.add_argument("--steps", type=int, default=800)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--scale", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    settings = load_settings()
    sha = prepare_model(settings.model_dir, None, settings.model_dir)
    artifact = load_artifact(settings.artifact_dir, sha)
    skills, roles = list(artifact.skills), list(artifact.roles)
    skip_skills, skip_roles = held_out(skills, roles, artifact)
    pairs = training_pairs(skills, roles, skip_skills, skip_roles, random.Random(args.seed))
    print(f"{len(pairs)} pairs; held out {len(skip_skills)} skills and {len(skip_roles)} roles", flush=True)
    train(settings.model_dir, args.out, pairs, args)
    print(f"saved {args.out}; model.safetensors sha256 {sha256_file(args.out / 'model.safetensors')}")


if __name__ == "__main__":
    main()
