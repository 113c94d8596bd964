"""Allows ``python -m surveytui`` as an alias of the console script."""

from __future__ import annotations

import sys

from surveytui.entry import main

if __name__ == "__main__":
    sys.exit(main())
