"""surveytui: a keyboard-driven terminal browser for research paper lists.

The package root stays import-light on purpose: the headless CLI must start
without pulling in Textual (see tests/test_import_hygiene.py).
"""

from __future__ import annotations

__version__ = "0.1.0"
