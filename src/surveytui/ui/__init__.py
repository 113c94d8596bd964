"""Everything that imports Textual lives in this package, and nothing else does."""
