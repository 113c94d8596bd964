"""Is the record a service returned the paper the list means?

Titles are compared after :func:`normalise_title` (case, accents,
punctuation). Two verdicts matter and they are deliberately apart:

* *agree*: the same title, give or take a typo, or one title is the other's
  words plus more ("GPTQ" and "GPTQ: Accurate Post-Training Quantization
  ..."). Only an agreeing record is accepted from a title search, where a
  near miss is another paper.
* *contradict*: few words in common (DINOv2's link leading to DETR). A
  record fetched through the paper's own link (its arXiv id, its DOI) is
  attached unless it contradicts, since papers are renamed between versions
  ("Resource-efficient Algorithms and Systems for Large Foundation Models"
  became "A Survey of Resource-efficient LLM and Multimodal Foundation
  Models"); a contradicting one means the link is wrong, and is reported.
"""

from __future__ import annotations

from surveytui.model.text import normalise_title

AGREE_RATIO = 90.0
#: Below this share of common words (token-set ratio) two titles name two papers.
CONTRADICT_BELOW = 70.0


def titles_agree(listed: str, found: str) -> bool:
    a, b = normalise_title(listed), normalise_title(found)
    if not a or not b:
        return False
    if a == b:
        return True
    from rapidfuzz import fuzz

    if fuzz.ratio(a, b) >= AGREE_RATIO:
        return True
    words_a, words_b = set(a.split()), set(b.split())
    shorter = words_a if len(words_a) <= len(words_b) else words_b
    longer = words_b if shorter is words_a else words_a
    # "GPTQ" vs its full title: every word of the short one leads the long one.
    return bool(shorter) and shorter <= longer and (a.startswith(b) or b.startswith(a))


def titles_contradict(listed: str, found: str) -> bool:
    if titles_agree(listed, found):
        return False
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(normalise_title(listed), normalise_title(found)) < CONTRADICT_BELOW
