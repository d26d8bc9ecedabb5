"""The ledger's layout holds: imports point inward and never round in a cycle, nothing
reads the environment, and every module is short and says what lives in it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("events", "ledger")
OUTWARD = ("projections", "cli", "click", "os")


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports(path: Path) -> list[str]:
    """What a module imports when it runs (not what only type checkers read)."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def test_the_ledger_imports_nothing_outward_and_reads_no_environment() -> None:
    outward = [
        (name, imported)
        for name, path in modules().items()
        for imported in imports(path)
        if imported.split(".")[0] in OUTWARD
    ]
    assert outward == []
    reading = ("environ[", "environ.get", "getenv")
    texts = {name: path.read_text() for name, path in modules().items()}
    reads = [name for name, text in texts.items() if any(r in text for r in reading)]
    assert reads == []


def test_no_module_of_the_ledger_imports_itself_round_a_cycle() -> None:
    known = modules()
    graph = {
        name: {i for i in imports(path) if i in known and i != name} for name, path in known.items()
    }
    # A package's own modules may import each other through it (its __init__ gathers
    # them); a cycle between modules is what is refused.
    for name, targets in graph.items():
        graph[name] = {t for t in targets if not name.startswith(f"{t}.")}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


@pytest.mark.parametrize("name", sorted(modules()))
def test_every_module_is_short_and_says_what_lives_in_it(name: str) -> None:
    path = modules()[name]
    text = path.read_text()
    assert len(text.splitlines()) <= 400
    assert ast.get_docstring(ast.parse(text)), f"{name} has no docstring"
    assert "from __future__ import annotations" in text
