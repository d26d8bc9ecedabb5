"""The code's shape is a rule too: layers import inward only, nothing goes round in a
circle, the ledger knows nothing of front ends or the environment, and no module grows
past what a newcomer can read in one sitting."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Inner layers first: a module may import its own layer or one further in, never out.
LAYERS = ("events", "ledger", "projections", "render", "cli", "web")
#: The front ends: each stands on the layers within, and none on another.
FRONT_ENDS = ("cli", "web")
#: Room for a docstring and a long query, not for a second job.
MOST_LINES = 400


def modules() -> dict[str, Path]:
    found = {}
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = modules()


def _resolve(name: str) -> str | None:
    """The module of ours an import names (``a.b.c`` may be a name in module ``a.b``)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(module: str, *, at_run_time: bool) -> Iterator[tuple[str, int]]:
    """Every module of ours that ``module`` imports, with the line; those imported only
    for type checking are left out when ``at_run_time``."""
    tree = ast.parse(MODULES[module].read_text(), str(MODULES[module]))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    skipped: set[int] = set()
    if at_run_time:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and _is_type_checking(node):
                skipped.update(id(inner) for child in node.body for inner in ast.walk(child))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" for alias in node.names] or [base]
        for name in names:
            target = _resolve(name)
            if target is not None and target != module:
                yield target, node.lineno


def _layer(module: str) -> int:
    layer = module.split(".")[0]
    return LAYERS.index(FRONT_ENDS[0] if layer in FRONT_ENDS else layer)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_inward_only(module: str) -> None:
    outward = [
        f"{MODULES[module].relative_to(ROOT)}:{line} imports {target}"
        for target, line in imports(module, at_run_time=False)
        if _layer(target) > _layer(module)
        or (target.split(".")[0] in FRONT_ENDS and target.split(".")[0] != module.split(".")[0])
    ]
    assert outward == []


def test_no_module_imports_itself_round_a_circle() -> None:
    graph = {module: {t for t, _ in imports(module, at_run_time=True)} for module in MODULES}
    circles = []
    # Tarjan's strongly connected components: any with two or more modules is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    assert circles == []


@pytest.mark.parametrize(
    "module", sorted(m for m in MODULES if m.split(".")[0] in ("events", "ledger"))
)
def test_the_ledger_knows_no_front_end_and_no_environment(module: str) -> None:
    tree = ast.parse(MODULES[module].read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            found += [n for n in names if n.split(".")[0] in ("click", "tabulate", "jinja2")]
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
            found.append(f"os.{node.attr} on line {node.lineno}")
    assert found == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_holds_one_job_of_readable_size_and_says_what_it_is(module: str) -> None:
    text = MODULES[module].read_text()
    lines = len(text.splitlines())
    assert lines <= MOST_LINES, f"{MODULES[module].relative_to(ROOT)} has {lines} lines"
    if text.strip():
        assert ast.get_docstring(ast.parse(text)), f"{MODULES[module].relative_to(ROOT)}"


def test_the_layout_check_sees_every_layer() -> None:
    """Guards the checks above against passing because they found nothing to check."""
    assert {m.split(".")[0] for m in MODULES} == set(LAYERS)
    assert any(
        target.startswith("events") for target, _ in imports("ledger.application", at_run_time=True)
    )
