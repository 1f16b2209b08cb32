"""The package's shape: stage folders that data flows through one way, no import
circles, small modules, and the public API importable from ``analysis``."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import analysis

PACKAGE = Path(analysis.__file__).parent
#: The stages in the order data flows through them; a module may import from its own
#: stage and the ones before it. The foundation (paths, errors, processes, safe files)
#: is shared by all.
STAGES = [
    "foundation",
    "reading",
    "text",
    "scale",
    "representations",
    "methods",
    "output",
    "cli",
]
FOUNDATION = {"config", "errors", "processes", "files"}
MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(p for p in ("analysis", *parts) if p != "__init__")
        found[name] = path
    return found


MODULES = _modules()


def _stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "__main__":
        return "package"  # the package re-exports from every stage; __main__ runs the CLI
    if parts[1] in STAGES:
        return parts[1]
    assert parts[1] in FOUNDATION, f"{module}: not in a stage folder"
    return "foundation"


def _imports(path: Path, module: str) -> set[str]:
    """Every analysis module ``path`` imports, at the top or inside functions."""
    out = set()
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                out.add(candidate if candidate in MODULES else base)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return {m for m in out if m.startswith("analysis") and m in MODULES}


def test_every_module_sits_in_a_stage_folder():
    for module in MODULES:
        _stage(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_from_a_later_stage(module):
    stage = _stage(module)
    if stage == "package":
        return
    later = [
        m
        for m in _imports(MODULES[module], module)
        if _stage(m) not in ("package",) and STAGES.index(_stage(m)) > STAGES.index(stage)
    ]
    assert later == [], f"{module} ({stage}) imports from a later stage: {later}"


def test_no_import_circles():
    graph = {m: _imports(p, m) - {m} for m, p in MODULES.items() if _stage(m) != "package"}
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            raise AssertionError("import circle: " + " -> ".join([*path[path.index(node) :], node]))
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            if _stage(nxt) != "package":
                visit(nxt, [*path, node])
        done.add(node)

    for module in sorted(graph):
        visit(module, [])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_and_functions_are_small(module):
    path = MODULES[module]
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES, f"{module}: over {MAX_MODULE_LINES} lines"
    lines = text.splitlines()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length <= MAX_FUNCTION_LINES:
                continue
            # a long function says why, in a comment on the line above its def
            above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            assert above.startswith("# long:"), f"{module}.{node.name}: {length} lines"


def test_every_public_name_imports_from_analysis():
    for name in analysis.__all__:
        assert getattr(analysis, name) is not None


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_declares_its_public_names(module):
    imported = importlib.import_module(module)
    if MODULES[module].name == "__main__.py":
        return
    assert hasattr(imported, "__all__"), f"{module} has no __all__"
    for name in imported.__all__:
        assert hasattr(imported, name), f"{module}.__all__ names {name}, which it lacks"
