"""Paper lists in, catalogues out: awesome-list Markdown to a Catalog, and checking one.

Public face: ``document`` (``import_file``, ``import_text``, ``render_toml``),
``entries`` (one list item to fields), ``url_cleanup`` (tidying links as lists write
them), ``check`` (what the importer could not fix, for ``surveytui check``).
"""
