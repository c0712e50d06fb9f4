"""The structure is visible from the tree: no import circles, no reaching into another
module's private names. Read from the source with `ast`, so it holds for lazy imports too."""

import ast
from pathlib import Path

from django.conf import settings

PACKAGES = (
    "accounts",
    "api",
    "apikeys",
    "billing",
    "cartonify",
    "generation",
    "sharing",
    "bench",
    "testing",
    "webhooks",
)


def _modules() -> dict[str, Path]:
    root = Path(settings.BASE_DIR)
    found = {}
    for package in PACKAGES:
        for path in (root / package).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(name: str, path: Path) -> list[tuple[str, list[str], ast.AST]]:
    """(module imported, names taken from it, the node) for every import in `path`."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join(filter(None, [*base, node.module or ""]))
            else:
                target = node.module
            found.append((target, [alias.name for alias in node.names], node))
    return found


def _resolve(target: str, names: list[str], modules: dict) -> set[str]:
    """Our modules that an import loads: `from pkg import mod` names a module too."""
    resolved = {f"{target}.{n}" for n in names if f"{target}.{n}" in modules}
    if target in modules:
        resolved.add(target)
    return resolved


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        edges = set()
        for target, names, _ in _imports(name, path):
            edges |= _resolve(target, names, modules)
        # Celery tasks are thin entry points found by name; their app's services queue
        # them, and they call those services back (the HackSoft pattern).
        if name.endswith(".tasks"):
            app = name.split(".")[0]
            edges = {edge for edge in edges if edge.split(".")[0] != app}
        graph[name] = edges - {name}
    return graph


def _cycle_from(start: str, graph: dict) -> list[str] | None:
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def _is_package_of(package: str, module: str) -> bool:
    return module.startswith(f"{package}.")


def test_no_module_is_part_of_an_import_circle():
    graph = _graph()
    # A package's __init__ re-exporting its own modules is not a circle of design.
    graph = {
        name: {edge for edge in edges if not _is_package_of(edge, name)}
        for name, edges in graph.items()
    }
    circles = [cycle for name in graph if (cycle := _cycle_from(name, graph))]
    assert circles == []


def test_no_module_imports_another_modules_private_names():
    modules = _modules()
    offenders = []
    for name, path in modules.items():
        for target, names, node in _imports(name, path):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private and target != name:
                offenders.append(f"{path}:{node.lineno} {target} {private}")
    assert offenders == []
