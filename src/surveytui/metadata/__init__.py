"""Authors, abstracts and identifiers fetched from arXiv and OpenAlex, stored per catalogue.

Offers the clients (``arxiv``, ``openalex``, sharing ``http``), the title
checks (``titles``), the on-disk store (``store``) and the run that ties them
together (``enrich``). The record type itself is ``surveytui.model.meta``, so
exports and searches read records without importing any of this.
Nothing here imports Textual, and nothing is imported until used.
"""
