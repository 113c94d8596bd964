"""Which of the survey's categories (LLM, multimodal, diffusion) a paper belongs to.

The seed README's "Filter by Categories" idea, derived rather than typed: the
lists do not tag papers, so keyword rules on the title and on the sections a
paper is listed under decide, and the result stays hand-editable in the TOML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from surveytui.model.catalog import CATEGORIES

#: Category id -> (title pattern, section-path pattern), both matched casefolded.
_CATEGORY_RULES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "llm": (
        re.compile(
            r"\bllms?\b|\blms?\b|language models?|gpt|(?<!hu)bert|llama|\bpalm\b|\bglm\b|\bt5\b"
            r"|mistral|mixtral|\bnlp\b|natural language|question answering|summari[sz]ation"
            r"|machine translation|\bprompt|instruction|in-context|kv ?cache|decoding"
        ),
        re.compile(r"language|\bllm"),
    ),
    "multimodal": (
        re.compile(
            r"multi-?modal|vision|visual|image|video|pixel|vit\b|\bvit|\bclip\b|speech|audio"
            r"|\basr\b|segment|object detection|caption|\b3d\b|\bvlm|llava|blip|flamingo"
        ),
        re.compile(r"multi-?modal|vision|visual|\bvit|image|video|speech|audio"),
    ),
    "diffusion": (
        re.compile(r"diffusion|\bddpm|\bddim|score-based|consistency models?"),
        re.compile(r"diffusion"),
    ),
}


def categorise(title: str, section_titles: Sequence[str]) -> tuple[str, ...]:
    """Category ids (in :data:`CATEGORIES` order) for a paper.

    A category applies when the title mentions it or any section the paper is
    listed under (ancestors included) is about it: ``llm`` for LLM, language
    model, GPT, BERT, LLaMA, prompts, KV caches, decoding...; ``multimodal``
    for vision, image, video, ViT, CLIP, speech, audio, multimodal...;
    ``diffusion`` for diffusion, DDPM/DDIM, score-based and consistency models.
    Several or none may apply; the TOML stays hand-editable.
    """
    name = title.casefold()
    sections = " | ".join(section_titles).casefold()
    return tuple(
        cat
        for cat in CATEGORIES
        if cat in _CATEGORY_RULES
        and (_CATEGORY_RULES[cat][0].search(name) or _CATEGORY_RULES[cat][1].search(sections))
    )
