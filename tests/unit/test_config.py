"""The config file: settings read, each bad one reported on one line with file, line, key."""

from __future__ import annotations

from pathlib import Path

from surveytui.search.ordering import SORT_CYCLE
from surveytui.system.config import SORTS, Config, config_path, load_config, save_theme

GOOD = """\
# my settings
theme = "nord"
sort = "year"
sort_reverse = true
open_links = "firefox --new-tab {url}"

[keys]
surveytui.toggle_favourite = "x"
"surveytui.cycle_sort" = "o"
"""


def test_a_good_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD)
    config, problems = load_config(path)
    assert problems == []
    assert config.theme == "nord" and config.sort == "year" and config.sort_reverse is True
    assert config.open_links == "firefox --new-tab {url}"
    assert config.keys == {"surveytui.toggle_favourite": "x", "surveytui.cycle_sort": "o"}
    assert config.lines["keys.surveytui.toggle_favourite"] == 8


def test_a_missing_file_is_the_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml") == (Config(tmp_path / "none.toml"), [])


def test_bad_values_name_file_line_and_key_and_keep_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\nsort = "random"\nsort_reverse = "yes"\ncolour = 1\n')
    config, problems = load_config(path)
    assert config.theme == "nord" and config.sort is None
    assert problems[0] == (
        f"config {path} line 2: sort: unknown sort 'random'"
        " (use rank, title, venue, year, starred); using the default"
    )
    assert problems[1].startswith(f"config {path} line 3: sort_reverse: expected true or false")
    assert problems[2].startswith(f"config {path} line 4: colour: unknown setting")
    assert all("\n" not in p for p in problems)


def test_not_toml_is_one_line_and_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\nsort = \n')
    config, problems = load_config(path)
    assert config == Config(path)
    assert len(problems) == 1 and str(path) in problems[0] and "line 2" in problems[0]


def test_saving_the_theme_keeps_comments_and_other_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD)
    save_theme(path, "gruvbox")
    text = path.read_text()
    assert 'theme = "gruvbox"' in text and "# my settings" in text and 'sort = "year"' in text
    fresh = tmp_path / "sub" / "new.toml"
    save_theme(fresh, "nord")
    assert load_config(fresh)[0].theme == "nord"


def test_config_path_flag_then_environment_then_config_dir(tmp_path: Path) -> None:
    env = {"SURVEYTUI_CONFIG": str(tmp_path / "env.toml")}
    assert config_path(str(tmp_path / "flag.toml"), env) == tmp_path / "flag.toml"
    assert config_path(None, env) == tmp_path / "env.toml"
    assert config_path(None, {}).name == "config.toml"


def test_sort_names_match_the_browser() -> None:
    assert tuple(SORT_CYCLE) == SORTS
