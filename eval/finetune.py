"""`python -m eval.finetune`: fine-tune all-MiniLM-L6-v2 on ESCO pairs, with every eval dev-set item held out.

Three steps, so that the training can run on a GPU machine that has torch and sentence-transformers but not the
service's packages or its 221 MB artifact:

    python -m eval.finetune pairs --out .ft            # here: the pairs (gzip JSON Lines) and an fp16 copy of the base
    cp eval/finetune.py /tmp && python3 /tmp/finetune.py train --work .ft --out OUT --variant NAME=EPOCHS,LR   # there
    (copied out: run from eval/, eval/datasets.py would hide the `datasets` package sentence-transformers imports)
    python -m eval.finetune assemble --delta .ft/out/NAME --out models/minilm-esco-NAME   # here: a model folder

Pairs (from catalog/, the converted ESCO 1.2.0): skill alt label -> preferred label, skill description -> label,
role alt title -> title, role title -> the label of one of its essential skills, role description -> title. Skills
and roles that any dev set samples (eval/datasets.py: held-out titles and alt labels, the description and job-ad
occupations and their essential skills) are left out, so `make eval` on the fine-tuned model stays a held-out
measurement. Loss: in-batch negatives (multiple negatives ranking, scale 20), AdamW, linear warm-up and decay.
The word-embedding table is frozen, so a trained model is the base's table plus the other 11M weights (the
"delta", saved in fp16 in files under 16 MB); `assemble` puts them back together in fp32, and the weights' sha256
is what the service verifies (BADGEPATH_MODEL_SHA256).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

Record = dict[str, Any]
Pair = tuple[str, str]
FROZEN = "embeddings.word_embeddings.weight"
PER_ROLE_SKILLS = 4
DELTA_FILE_BYTES = 15_000_000


def held_out(skills: Sequence[Record], roles: Sequence[Record], artifact: Any) -> tuple[set[int], set[int]]:
    """Positions of the skills and roles any dev set uses (queries, hidden occupations and their gold skills)."""
    from . import datasets

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
                   rng: random.Random) -> list[Pair]:
    """(anchor, positive) pairs from the skills and roles that no dev set uses, shuffled."""
    pairs: list[Pair] = []
    for i, skill in enumerate(skills):
        if i not in skip_skills:
            pairs += [(a, skill["label"]) for a in sorted(skill.get("alt_labels", []))]
            if skill.get("description"):
                pairs.append((skill["description"], skill["label"]))
    label = {s["id"]: s["label"] for i, s in enumerate(skills) if i not in skip_skills}
    for i, role in enumerate(roles):
        if i in skip_roles:
            continue
        pairs += [(a, role["title"]) for a in sorted(role.get("alt_titles", []))]
        if role.get("description"):
            pairs.append((role["description"], role["title"]))
        essential = sorted(label[s["id"]] for s in role["skills"] if s["relation"] == "essential" and s["id"] in label)
        pairs += [(role["title"], s) for s in rng.sample(essential, min(PER_ROLE_SKILLS, len(essential)))]
    rng.shuffle(pairs)
    return pairs


def batches(pairs: list[Pair], size: int) -> list[list[Pair]]:
    """Batches without a repeated anchor or positive text (a repeat would be a false in-batch negative)."""
    out: list[list[Pair]] = []
    current: list[Pair] = []
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


def export(out: Path, seed: int) -> None:
    """Write the training pairs and an fp16 copy of the base model (small enough to travel) to out."""
    import numpy as np
    from safetensors.numpy import load_file, save_file

    from service.config import load_settings
    from service.embed import prepare_model
    from service.index import load_artifact

    settings = load_settings()
    sha = prepare_model(settings.model_dir, None, settings.model_dir)
    artifact = load_artifact(settings.artifact_dir, sha)
    skills, roles = list(artifact.skills), list(artifact.roles)
    skip_skills, skip_roles = held_out(skills, roles, artifact)
    pairs = training_pairs(skills, roles, skip_skills, skip_roles, random.Random(seed))
    out.mkdir(parents=True, exist_ok=True)
    with gzip.open(out / "pairs.jsonl.gz", "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(p) + "\n" for p in pairs)
    base = out / "base"
    copy_config(settings.model_dir, base)
    weights = load_file(str(settings.model_dir / "model.safetensors"))
    save_file({k: v.astype(np.float16) if v.dtype == np.float32 else v for k, v in weights.items()},
              str(base / "model.safetensors"))
    print(f"{len(pairs)} pairs; held out {len(skip_skills)} skills and {len(skip_roles)} roles; base sha256 {sha}")


def copy_config(base: Path, out: Path) -> None:
    """The base model's folder without its weights or exported graph (modules, pooling and tokenizer files)."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(base, out, ignore=shutil.ignore_patterns("model.safetensors", "*.onnx", "openvino*", "onnx"))


def train(work: Path, out: Path, name: str, epochs: int, lr: float, args: argparse.Namespace) -> None:
    """Train one variant from the base in work and save its delta (every weight but the frozen table) to out/name."""
    import torch
    from safetensors.torch import save_file
    from sentence_transformers import SentenceTransformer

    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(args.seed)
    with gzip.open(work / "pairs.jsonl.gz", "rt", encoding="utf-8") as f:
        pairs: list[Pair] = [(a, b) for a, b in map(json.loads, f)]
    model = SentenceTransformer(str(work / "base"), device=device, model_kwargs={"dtype": torch.float32}).float()
    model.max_seq_length = args.max_length
    bert: Any = model[0].auto_model
    bert.get_parameter(FROZEN).requires_grad_(False)
    groups: list[list[Pair]] = []
    for epoch in range(epochs):
        order = list(pairs)
        random.Random(args.seed + epoch).shuffle(order)
        groups += batches(order, args.batch)
    groups = groups[: args.steps] if args.steps else groups
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=lr)
    warmup = max(1, len(groups) // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (len(groups) - s) / max(1, len(groups) - warmup))))
    model.train()

    def embed(texts: list[str]) -> torch.Tensor:
        features = {k: v.to(device) if isinstance(v, torch.Tensor) else v for k, v in model.tokenize(texts).items()}
        with torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=device == "cuda"):
            vectors = model(features)["sentence_embedding"]
        return torch.nn.functional.normalize(vectors.float(), dim=-1)

    started = time.perf_counter()
    for step, group in enumerate(groups):
        anchors, positives = embed([a for a, _ in group]), embed([p for _, p in group])
        loss = torch.nn.functional.cross_entropy(anchors @ positives.T * args.scale,
                                                 torch.arange(len(group), device=device))
        optimiser.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        optimiser.step()
        schedule.step()
        if step % 200 == 0 or step == len(groups) - 1:
            print(f"{name} step {step}/{len(groups)} loss {loss.item():.4f} {time.perf_counter() - started:.0f} s",
                  flush=True)
    state = {k: v.detach().to("cpu", torch.float16).contiguous() for k, v in bert.state_dict().items()
             if k != FROZEN and v.is_floating_point()}
    target = out / name
    target.mkdir(parents=True, exist_ok=True)
    for i, chunk in enumerate(chunks(state)):
        save_file(chunk, str(target / f"delta-{i}.safetensors"))


def chunks(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The tensors split into groups of at most DELTA_FILE_BYTES (a file that comes back from the GPU machine)."""
    out: list[dict[str, Any]] = [{}]
    size = 0
    for key, tensor in state.items():
        nbytes = tensor.numel() * tensor.element_size()
        if out[-1] and size + nbytes > DELTA_FILE_BYTES:
            out.append({})
            size = 0
        out[-1][key] = tensor
        size += nbytes
    return out


def assemble(delta: Path, out: Path) -> str:
    """A model folder: the base's config, its fp32 word-embedding table and the delta's weights in fp32."""
    import numpy as np
    from safetensors.numpy import load_file, save_file

    from service.config import load_settings
    from service.embed import sha256_file

    base = load_settings().model_dir
    weights = load_file(str(base / "model.safetensors"))
    trained: dict[str, np.ndarray] = {}
    for path in sorted(delta.glob("delta-*.safetensors")):
        trained.update(load_file(str(path)))
    missing = set(weights) - set(trained) - {FROZEN, "embeddings.position_ids"}
    if missing or set(trained) - set(weights):
        raise SystemExit(f"the delta does not match the base: missing {sorted(missing)[:3]}")
    merged = {k: trained[k].astype(np.float32) if k in trained else v for k, v in weights.items()}
    copy_config(base, out)
    save_file(merged, str(out / "model.safetensors"))
    return sha256_file(out / "model.safetensors")


def variant(text: str) -> tuple[str, int, float]:
    """NAME=EPOCHS,LR."""
    name, _, rest = text.partition("=")
    epochs, lr = rest.split(",")
    return name, int(epochs), float(lr)


def main() -> None:
    """pairs | train | assemble."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pairs", help="write the training pairs and an fp16 base model")
    p.add_argument("--out", type=Path, default=Path(".ft"))
    p.add_argument("--seed", type=int, default=0)
    t = sub.add_parser("train", help="train variants; save each one's delta")
    t.add_argument("--work", type=Path, default=Path(".ft"))
    t.add_argument("--out", type=Path, default=Path(".ft/out"))
    t.add_argument("--variant", type=variant, action="append", required=True, help="NAME=EPOCHS,LR")
    t.add_argument("--batch", type=int, default=128)
    t.add_argument("--scale", type=float, default=20.0)
    t.add_argument("--max-length", type=int, default=128)
    t.add_argument("--steps", type=int, default=0, help="stop after this many batches (0: all)")
    t.add_argument("--seed", type=int, default=0)
    a = sub.add_parser("assemble", help="a model folder from a delta; prints its sha256")
    a.add_argument("--delta", type=Path, required=True)
    a.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "pairs":
        export(args.out, args.seed)
    elif args.command == "train":
        for name, epochs, lr in args.variant:
            train(args.work, args.out, name, epochs, lr, args)
    else:
        print(f"saved {args.out}; model.safetensors sha256 {assemble(args.delta, args.out)}")


if __name__ == "__main__":
    main()
