"""A scrolling pane that answers the movement keys the rest of the browser uses.

Readers of less and vim expect j/k/g/G wherever something moves; Textual's
scrolling containers know only the arrows, Home and End.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.containers import VerticalScroll

from surveytui.ui.keys import SCROLL_BINDINGS


class KeyScroll(VerticalScroll):
    BINDINGS: ClassVar[list[BindingType]] = list[BindingType](SCROLL_BINDINGS)
