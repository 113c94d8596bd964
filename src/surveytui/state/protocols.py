"""The read-only view of a reader's state that search, views, exports and widgets share.

The store implements it; tests pass small fakes. Keeping one definition means
a new kind of state (say, a rating) is added in one place.
"""

from __future__ import annotations

from typing import Protocol


class UserState(Protocol):
    """Per-paper state; without one, state filters match nothing."""

    def is_favourite(self, paper_id: str) -> bool: ...
    def is_read(self, paper_id: str) -> bool: ...
    def tags(self, paper_id: str) -> tuple[str, ...]: ...
    def note(self, paper_id: str) -> str: ...


class ReadingState(UserState, Protocol):
    """Adds when a paper was starred (the reading list is ordered by it) and bulk views,
    so counting over 100k matches walks the reader's few marks, not every paper."""

    def favourite_at(self, paper_id: str) -> str | None: ...
    def favourites(self) -> list[tuple[str, str]]: ...
    def read_ids(self) -> frozenset[str]: ...
    def tagged(self) -> dict[str, tuple[str, ...]]: ...
