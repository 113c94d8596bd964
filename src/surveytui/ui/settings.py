"""The config file applied to the running browser: theme, keymap, and the chosen
theme remembered for next time.

Parsing and checking the file's shape is Textual-free (``system.config``); what
only the UI knows is checked here: which themes exist and which binding ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from surveytui.system.config import Config, save_theme
from surveytui.ui.keys import MAIN_BINDINGS, SCROLL_BINDINGS, TABLE_BINDINGS, TREE_BINDINGS

if TYPE_CHECKING:
    from textual.app import App

#: Ids of bindings defined outside keys.py (editors, help), which a keymap may name too.
OTHER_IDS = ("surveytui.editor_cancel", "surveytui.note_save", "surveytui.close_help")


def binding_ids() -> set[str]:
    every = [*MAIN_BINDINGS, *TABLE_BINDINGS, *TREE_BINDINGS, *SCROLL_BINDINGS]
    return {b.id for b in every if b.id} | set(OTHER_IDS)


def apply_config(app: App[None], config: Config) -> list[str]:
    """Theme and keymap from ``config``; one line per setting that could not be used."""
    problems: list[str] = []
    if config.theme is not None:
        if config.theme in app.available_themes:
            app.theme = config.theme
        else:
            known = ", ".join(sorted(app.available_themes))
            problems.append(
                f"{config.where('theme')}: no theme {config.theme!r} (themes: {known});"
                " using the default"
            )
    known_ids = binding_ids()
    keymap: dict[str, str] = {}
    for bid, keys in config.keys.items():
        if bid in known_ids:
            keymap[bid] = keys
        else:
            problems.append(
                f"{config.where('keys.' + bid)}: no binding with this id (ids are listed in"
                " src/surveytui/ui/keys.py); ignored"
            )
    if keymap:
        app.set_keymap(keymap)
        # Kept where the help screen and the palette can read it (Textual's own copy is
        # private).
        setattr(app, "keymap", dict(keymap))  # noqa: B010
    return problems


def remember_theme(app: App[None], config: Config) -> None:
    """From now on, a theme the reader picks (palette: Change theme) is written to the
    config file, off the event loop, so the next run starts with it."""
    chosen = [config.theme]

    def changed(_theme: object) -> None:
        name = app.theme
        if name == chosen[0]:
            return
        chosen[0] = name

        def work() -> None:
            try:
                save_theme(config.path, name)
            except OSError as exc:
                app.call_from_thread(
                    app.notify,
                    f"Could not remember the theme in {config.path}: {exc.strerror or exc}",
                    severity="warning",
                    markup=False,
                )

        app.run_worker(work, thread=True, group="config", exit_on_error=False)

    app.theme_changed_signal.subscribe(app, changed)
