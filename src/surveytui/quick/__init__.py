"""The plain-word ``surveytui search`` fast path, answered before the rest loads.

Public face: ``run`` (try to answer argv; None means "not mine"), ``pack`` (the
mmap'd search pack, read side), ``writer`` (the full path writes the pack),
``table`` (the plain table both paths print). Modules here import only the standard
library's lightest parts and ``search.ranking`` / ``system.paths`` at module level.
"""
