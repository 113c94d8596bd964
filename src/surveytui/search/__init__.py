"""Finding papers: the filter language and the engine that answers it.

Public face: ``query`` (``parse_query``, Query, QueryError: the language, no I/O),
``engine`` (SearchIndex: prepared haystacks, ranking, typo fallback), ``ranking``
(score constants shared with the quick path), ``scopes`` (a view: scope plus filter
plus sort, and the counts the tree shows), ``registry`` (one index per loaded
catalogue, and loading a catalogue through the parse cache), ``stats`` (a view's
figures: per year, venue, section, category, code, the reader's progress) and
``charts`` (those figures as bars that know how each narrows the view).
"""
