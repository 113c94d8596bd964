"""The catalogue model: what a paper list is, independent of how it is shown or searched.

Public face: ``catalog`` (Paper, Section, Catalog, ``load_catalog``, ``CatalogError``),
``text`` (cleaning and normalising strings from data), ``identity`` (stable paper ids),
``categories`` and ``venues`` (vocabularies), ``cache`` (the parse cache's on-disk
format). Everything above builds on these; nothing here imports another package of
surveytui but ``system``.
"""
