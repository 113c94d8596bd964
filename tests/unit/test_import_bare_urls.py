"""A bare URL in a title's running text is title text, not the end of the title."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveytui.importer.document import import_markdown
from surveytui.model.catalog import Paper

PAPER = "https://example.org/p.pdf"


def _one(line: str) -> Paper:
    (paper,) = import_markdown(f"# L\n\n## S\n\n{line}\n").catalog.papers
    return paper


@pytest.mark.parametrize(
    ("line", "title"),
    [
        (
            f"- Some Title (see https://github.com/a/b). *[ICML 2022]* [[Paper]]({PAPER})",
            "Some Title (see https://github.com/a/b)",
        ),
        (
            f'- =HYPERLINK("http://x.example","t") *[ICML 2022]* [[Paper]]({PAPER})',
            '=HYPERLINK("http://x.example","t")',
        ),
        (
            f"- Some Title see https://github.com/a/b here. *[ICML 2022]* [[Paper]]({PAPER})",
            "Some Title see https://github.com/a/b here",
        ),
    ],
)
def test_a_url_in_running_text_stays_in_the_title_and_the_labelled_link_wins(
    line: str, title: str
) -> None:
    paper = _one(line)
    assert (paper.title, paper.venue, paper.year, paper.paper_url) == (
        title,
        "ICML",
        2022,
        PAPER,
    )


@pytest.mark.parametrize(
    ("line", "title", "paper_url"),
    [
        (
            "- Some Title https://arxiv.org/abs/2201.00001",
            "Some Title",
            "https://arxiv.org/abs/2201.00001",
        ),
        (
            "- Some Title https://arxiv.org/abs/2201.00001 arxiv 2023",
            "Some Title",
            "https://arxiv.org/abs/2201.00001",
        ),
        ("- Some Title. ICML 2022. https://x.org/a", "Some Title", "https://x.org/a"),
        (
            f"- Some Title https://github.com/a/b *[ICML 2022]* [[Paper]]({PAPER})",
            "Some Title",
            PAPER,  # a labelled paper link beats a bare URL
        ),
    ],
)
def test_a_url_after_the_title_is_still_its_link(line: str, title: str, paper_url: str) -> None:
    paper = _one(line)
    assert (paper.title, paper.paper_url) == (title, paper_url)


_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=9
)
_PATH = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(_WORD, min_size=1, max_size=5),
    st.sampled_from(["(", '"', "\u201c"]),
    st.sampled_from(["https://github.com", "http://x.example", "https://arxiv.org/abs"]),
    _PATH,
)
def test_a_url_inside_brackets_or_quotes_of_a_title_never_cuts_it(
    words: list[str], opener: str, host: str, path: str
) -> None:
    closer = {"(": ")", '"': '"', "\u201c": "\u201d"}[opener]
    title = f"Paper {' '.join(words)} {opener}see {host}/{path}{closer} Tail"
    paper = _one(f"- {title}. *[ICML 2022]* [[Paper]]({PAPER})")
    assert (paper.title, paper.venue, paper.year, paper.paper_url) == (title, "ICML", 2022, PAPER)
