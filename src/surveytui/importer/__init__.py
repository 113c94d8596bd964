"""Paper lists in, catalogues out: Markdown (a file or a URL) to a Catalog, and checking one.

Public face: ``document`` (``import_markdown``, ``import_file``, ``import_source``,
``render_toml``; the pipeline's overview is its docstring), ``update`` (keeping the
bundled survey current), ``check`` (what the importer could not fix). The stages --
``candidates``, ``segments``, ``tokens``, ``titles``, ``clues``, ``vocab``, ``fields``,
``entries``, ``merge`` -- and ``fetch``/``sources`` (where a list comes from) each keep
their rules in their docstrings; ``url_cleanup`` tidies links as lists write them.
"""
