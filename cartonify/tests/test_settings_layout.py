"""The settings package keeps one place per setting (issue 25): each name is defined in one
module, never grown later (`INSTALLED_APPS += [...]`) or patched from another module.
Read from the source with `ast`, as the architecture test reads imports."""

import ast
from pathlib import Path

import cartonify.settings

PACKAGE = Path(cartonify.settings.__file__).parent


def _concern_modules() -> dict[str, ast.Module]:
    return {
        path.stem: ast.parse(path.read_text())
        for path in sorted(PACKAGE.glob("*.py"))
        if path.name != "__init__.py"
    }


def _setting(node: ast.AST) -> str | None:
    """The UPPERCASE name that an assignment target binds or changes (`X`, `X["k"]`)."""
    while isinstance(node, ast.Subscript | ast.Attribute):
        node = node.value
    if isinstance(node, ast.Name) and node.id.isupper():
        return node.id
    return None


def _writes(tree: ast.Module) -> list[tuple[ast.AST, ast.AST]]:
    """(statement, target) for every assignment anywhere in the module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            found += [(node, target) for target in node.targets]
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            found.append((node, node.target))
    return found


def test_every_settings_module_is_loaded_by_the_package():
    tree = ast.parse((PACKAGE / "__init__.py").read_text())
    loaded = {
        node.module.removeprefix("cartonify.settings.")
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and [a.name for a in node.names] == ["*"]
    }

    assert loaded == set(_concern_modules())


def test_no_setting_is_defined_in_two_modules():
    defined: dict[str, set[str]] = {}
    for module, tree in _concern_modules().items():
        for _, target in _writes(tree):
            if isinstance(target, ast.Name) and (name := _setting(target)):
                defined.setdefault(name, set()).add(module)

    assert {name: where for name, where in defined.items() if len(where) > 1} == {}


def test_no_setting_is_grown_after_it_is_defined():
    grown = [
        f"{module}.py:{statement.lineno} {_setting(target)}"
        for module, tree in _concern_modules().items()
        for statement, target in _writes(tree)
        if isinstance(statement, ast.AugAssign) and _setting(target)
    ]

    assert grown == []


def test_no_module_changes_a_setting_it_imported():
    changed = []
    for module, tree in _concern_modules().items():
        imported = {
            alias.asname or alias.name
            for node in tree.body
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
        changed += [
            f"{module}.py:{statement.lineno} {name}"
            for statement, target in _writes(tree)
            if (name := _setting(target)) in imported
        ]

    assert changed == []
