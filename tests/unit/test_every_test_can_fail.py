"""Every test can fail: it asserts, expects an error, or calls a helper that does.

A test that only runs code passes as long as nothing raises, however wrong the result;
this scan of tests/ finds such tests. A helper counts when it (or a function it calls,
or a function defined inside it, as a fixture's runner) asserts, raises, or calls
``pytest.raises`` / ``pytest.fail`` / ``pytest.warns``; helpers are found by name,
anywhere under tests/.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

TESTS = Path(__file__).parents[1]
FAILING_CALLS = {"raises", "fail", "warns"}


def functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def fails_by_itself(function: ast.AST) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Assert | ast.Raise):
            return True
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "pytest"
            and node.attr in FAILING_CALLS
        ):
            return True
    return False


def names_called(function: ast.AST) -> set[str]:
    called = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                called.add(node.func.id)
            elif isinstance(node.func, ast.Attribute):
                called.add(node.func.attr)
    return called


def vacuous_tests(trees: dict[str, ast.Module]) -> list[str]:
    """``path:line name`` of each test function in ``trees`` that cannot fail."""
    defined: dict[str, list[ast.AST]] = {}
    for tree in trees.values():
        for function in functions(tree):
            defined.setdefault(function.name, []).append(function)
    failing = {name for name, defs in defined.items() if any(map(fails_by_itself, defs))}
    grown = True
    while grown:  # a helper that calls a failing helper can fail too
        grown = False
        for name, defs in defined.items():
            if name not in failing and any(names_called(d) & failing for d in defs):
                failing.add(name)
                grown = True
    found = []
    for path, tree in sorted(trees.items()):
        for test in defined_tests(tree):
            if not fails_by_itself(test) and not names_called(test) & failing:
                found.append(f"{path}:{test.lineno} {test.name}")
    return found


def defined_tests(tree: ast.Module) -> Iterable[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name.startswith("test_"):
                yield node
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            yield from (
                f
                for f in node.body
                if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
                and f.name.startswith("test_")
            )


def test_every_test_under_tests_can_fail() -> None:
    trees = {
        str(path.relative_to(TESTS.parent)): ast.parse(path.read_text())
        for path in TESTS.rglob("*.py")
    }
    assert vacuous_tests(trees) == [], (
        "these tests assert nothing: give each an assert on what its name promises"
    )


def test_the_scan_finds_a_test_that_only_runs_code() -> None:
    source = """
def helper_that_checks(x):
    assert x

def helper_that_runs(x):
    return x + 1

def calls_a_checker(x):
    helper_that_checks(x)

def ragw(target):
    def run(*args):
        assert args
    return run

def test_runs_only():
    helper_that_runs(1)

def test_checks_through_a_helper():
    calls_a_checker(1)

def test_runs_a_fixture_runner(ragw):
    ragw("board")

def test_expects_an_error():
    with pytest.raises(ValueError):
        int("x")

class TestGroup:
    def test_runs_only_too(self):
        helper_that_runs(2)
"""
    found = vacuous_tests({"example.py": ast.parse(source)})
    assert found == ["example.py:16 test_runs_only", "example.py:30 test_runs_only_too"]
