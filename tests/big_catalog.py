"""An in-memory synthetic catalogue for scale tests (no file, no import step: fast to build)."""

from __future__ import annotations

import random

from surveytui.model.catalog import Catalog, Paper, Section

WORDS = (
    "efficient sparse quantization pruning attention transformer language model serving "
    "federated edge diffusion vision multimodal training inference memory kernel cache "
    "distillation adapter lora mixture experts scaling throughput latency compression"
).split()
VENUES = ("NeurIPS", "ICML", "ICLR", "OSDI", "SOSP", "MLSys", "arXiv", "CVPR", "ACL", "EMNLP")


def big_catalog(n: int, seed: int = 7) -> Catalog:
    rng = random.Random(seed)
    sections = [
        Section("top", "Top"),
        Section("top/a", "Alpha", "top"),
        Section("top/b", "Beta", "top"),
    ]
    papers = []
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))).capitalize()
        papers.append(
            Paper(
                id=f"p{i:06d}",
                title=f"P{i:06d} {title}",
                venue=rng.choice(VENUES),
                year=rng.randint(2017, 2025),
                sections=(rng.choice(("top/a", "top/b")),),
                paper_url=f"https://example.org/{i}",
                code_url=f"https://github.com/x/{i}" if i % 3 == 0 else None,
                categories=("llm",) if i % 2 else (),
            )
        )
    return Catalog(title="Big synthetic catalogue", sections=tuple(sections), papers=tuple(papers))
