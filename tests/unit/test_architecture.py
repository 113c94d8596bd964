"""The package's shape, read from the source: layers point down and nothing is circular.

The graph is built from the AST of every module, so imports inside functions and
under ``TYPE_CHECKING`` count as much as top-level ones: a cycle that only type
checking sees still ties two modules together for a reader, and the next lazy
import turns it into a real one. (A ``Protocol`` in a lower module is the way to
break such a cycle.)
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "surveytui"

#: Lower layers first; a package may import only packages on its left (and itself).
LAYERS = (
    ("system",),
    ("model",),
    ("state",),
    ("search",),
    ("importer", "export", "export_plan", "bibtex", "metadata"),
    ("quick",),
    ("service", "startup"),
    ("ui",),
    ("cli",),
    ("entry", "__main__"),
)
#: Import-light process bootstrap: these may reach up to start the program.
BOOTSTRAP = {"entry", "__main__"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imported_names(path: Path, name: str) -> Iterator[str]:
    """Every surveytui module ``path`` imports, anywhere in the file."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join([*here, base] if base else here)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = set()
        for target in imported_names(path, name):
            while target and target not in known:
                target = target.rpartition(".")[0]
            # A module may use its own package's (import-free) __init__.
            if target and target != name and not name.startswith(target + "."):
                targets.add(target)
        edges[name] = targets
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def layer_of(module: str) -> int | None:
    top = module.split(".")[1] if "." in module else None
    for rank, names in enumerate(LAYERS):
        if top in names:
            return rank
    return None


def test_the_graph_sees_function_level_and_type_checking_imports() -> None:
    edges = graph()
    # entry imports the CLI inside a function, the quick path lazily too.
    assert "surveytui.cli.main" in edges["surveytui.entry"]
    assert "surveytui.quick.run" in edges["surveytui.entry"]


def test_a_planted_cycle_is_found() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]


def test_no_import_cycle_anywhere_in_the_package() -> None:
    assert cycles(graph()) == []


def test_layers_point_down() -> None:
    wrong = []
    for module, targets in graph().items():
        rank = layer_of(module)
        if rank is None or module.split(".")[1] in BOOTSTRAP:
            continue
        for target in targets:
            other = layer_of(target)
            if other is not None and other > rank:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


@pytest.mark.parametrize("name", sorted(modules()))
def test_only_the_ui_imports_textual(name: str) -> None:
    if name.startswith("surveytui.ui"):
        return
    path = modules()[name]
    heavy = [n for n in imported_names(path, name) if n.split(".")[0] == "textual"]
    assert heavy == [], f"{name} imports {heavy}"


def test_every_module_is_in_a_layer() -> None:
    loose = [m for m in modules() if m != "surveytui" and layer_of(m) is None]
    assert loose == []


def test_package_inits_import_nothing() -> None:
    """Each package's ``__init__`` states its public face and imports nothing heavy."""
    for name, path in modules().items():
        if path.name != "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{name} has no docstring"
        imports = [
            n
            for n in tree.body
            if isinstance(n, ast.Import)
            or (isinstance(n, ast.ImportFrom) and n.module != "__future__")
        ]
        assert imports == [], f"{name} imports at package level"
