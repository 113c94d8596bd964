"""The browser's start-up: Python's cycle collector waits until the first paint.

Starting the browser allocates a few hundred thousand long-lived objects
(Textual's modules and styles, the catalogue, the widgets) and almost no
garbage cycles. The collector still runs dozens of times while they are
created, each pass walking everything allocated so far: about 60 ms of a
600 ms start on a 2-core machine. So ``surveytui`` holds the collector from
the moment it knows it will open the browser, and the main screen releases it
after its first paint, freezing what start-up built (``gc.freeze``) so that
later passes, including those between keystrokes, never walk it again.
"""

from __future__ import annotations

import gc


def hold_collector() -> None:
    """Called before the browser's imports; headless commands never call it."""
    gc.disable()


def release_collector() -> None:
    """Called once the first screen is painted; a no-op unless start-up held it."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
