"""The benchmark table: which figures, in what order, next to which baseline and target.

Kept apart from the measuring so the rows read as a list of what is reported.
"""

from __future__ import annotations

from typing import Any

from app_probe import keystrokes

QUERY = "quant"
Figures = dict[str, Any]

KEY_TARGETS = {"shipped": "< 16", "10000": "< 50", "100000": "< 100"}
# (key, label, baseline key, {size label: target text}); "" keys are section rules.
ROWS: list[tuple[str, str, str | None, dict[str, str]]] = [
    ("", "whole process (median wall time, ms)", None, {}),
    ("proc_search_ms", f"surveytui search {QUERY}, warm caches", "proc_python_ms", {}),
    ("proc_search_full_ms", "the same, SURVEYTUI_NO_QUICK=1 (full path)", None, {}),
    ("proc_search_nocache_ms", "the same, SURVEYTUI_NO_CACHE=1 (TOML parsed)", None, {}),
    ("proc_fzf_ms", f"fzf --filter {QUERY} over the titles", None, {}),
    ("ratio_search_fzf", "ratio surveytui / fzf (x)", None, {"100000": "<= 1.0"}),
    ("", "in process (median, ms)", None, {}),
    ("load_cold_ms", "load catalogue, TOML parse", None, {}),
    ("load_warm_ms", "load catalogue, warm parse cache", None, {}),
    ("index_build_ms", "SearchIndex build", None, {}),
    ("q_quant_ms", "query: quant", None, {}),
    ("q_typo_first_ms", "query: quantizaton (first typo: vocabulary)", None, {}),
    ("q_typo_ms", "query: a new typo, vocabulary built", None, {}),
    ("q_venue_year_ms", "query: venue:osdi year:2024", None, {}),
    ("q_hascode_ms", "query: has:code pruning", None, {}),
    ("q_empty_ms", "query: empty (all papers)", None, {}),
    ("", "first screen with data (headless, median ms)", None, {}),
    ("fs_wall_ms", "spawn to first frame, warm cache", "fs_wall_ms", {"100000": "< 1500"}),
    ("fs_empty_ms", "an App with one Static, runs interleaved", "fs_wall_ms", {}),
    ("fs_ratio", "ratio surveytui / empty app (x)", None, {"shipped": "<= 1.3"}),
    ("fs_ratio_paired", "the same, median of each round's ratio", None, {"shipped": "<= 1.3"}),
    ("fs_complete_ms", "spawn to whole screen (tree, counts, detail)", None, {}),
    ("fs_interpreter_ms", "of which: interpreter start", "fs_interpreter_ms", {}),
    ("fs_imports_ms", "of which: imports", "fs_imports_ms", {}),
    ("fs_load_ms", "of which: catalogue load (parse cache)", None, {}),
    ("fs_app_ms", "of which: app start to first frame", "fs_app_ms", {}),
    ("fs_nocache_ms", "spawn to first frame, SURVEYTUI_NO_CACHE=1", None, {}),
    ("", f"keystroke to updated view (ms, {len(keystrokes())} keys)", None, {}),
    ("key_med_ms", "rows replaced: median", "key_med_ms", {}),
    ("key_p95_ms", "rows replaced: p95", "key_p95_ms", KEY_TARGETS),
    ("key_max_ms", "rows replaced: max", None, {}),
    ("key_worst_text", "slowest keystroke left the filter at", None, {}),
    ("key_frame_med_ms", "next frame composed: median", "key_frame_med_ms", {}),
    ("key_frame_p95_ms", "next frame composed: p95", "key_frame_p95_ms", KEY_TARGETS),
    ("key_handler_p95_ms", "MainScreen.last_latency_ms: p95 (sync path)", None, {}),
    ("pilot_med_ms", "via pilot.press: median", "pilot_med_ms", {}),
    ("pilot_net_ms", "via pilot.press minus trivial-app press", None, {}),
    ("", "memory (peak RSS, MB)", None, {}),
    ("rss_mb", "load + index + app to first frame", "rss_mb", {"100000": "< 250"}),
]


def _cell(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return repr(value) if len(value) <= 14 else repr(value[:13] + "…")
    digits = 2 if abs(value) < 10 else 1 if abs(value) < 100 else 0
    return f"{value:.{digits}f}"


def _target(targets: dict[str, str], label: str) -> str:
    return targets.get(label.split(" ")[0], "")


def render_table(report: dict[str, Any]) -> str:
    sizes: dict[str, Figures] = report["sizes"]
    base: Figures = report["baseline"]
    labels = list(sizes)
    head = ["", "baseline", *labels, "target"]
    lines = []
    for key, label, base_key, targets in ROWS:
        if not key:
            lines.append([label])
            continue
        wanted = " / ".join(t for lab in labels if (t := _target(targets, lab)))
        cells = [_cell(sizes[lab].get(key)) for lab in labels]
        base_cell = _cell(base.get(base_key)) if base_key else ""
        lines.append([f"  {label}", base_cell, *cells, wanted])
    widths = [max(len(r[i]) for r in [head, *lines] if len(r) > i) for i in range(len(head))]

    def fmt(row: list[str]) -> str:
        if len(row) == 1:
            return row[0]
        first = row[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(row[1:-1], widths[1:-1], strict=True)]
        return "  ".join([first, *rest, row[-1]]).rstrip()

    meta = report["meta"]
    title = (
        f"surveytui {meta['revision'] or '(unknown revision)'} benchmarks, {meta['date']}:"
        f" Python {meta['python']}, Textual {meta['textual']},"
        f" {meta['cpus']} CPUs, repeat {meta['repeat']}, fzf {meta['fzf'] or 'not installed'}"
    )
    notes = [
        "baseline: python -c pass / an App with one Static / a trivial app with one Input",
        "targets apply to the size they name; nothing here fails, compare by eye",
        f"load average (1 min) before {meta['load_before']}, after {meta['load_after']}"
        f"; above {meta['cpus']} other work was competing and the figures are inflated",
    ]
    for figures in [base, *sizes.values()]:
        notes += [f"FAILED {error}" for error in figures.get("errors", [])]
    return "\n".join([title, fmt(head), *(fmt(r) for r in lines), *notes]) + "\n"
