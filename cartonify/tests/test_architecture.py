"""The structure is visible from the tree: no import circles, no reaching into another
module's private names, layers that point one way (core/ at the bottom, the API on top,
cartonify/ only configuration). Read from the source with `ast`, so it holds for lazy
imports too."""

import ast
from pathlib import Path

from django.conf import settings

APPS = ("accounts", "api", "apikeys", "billing", "generation", "sharing", "webhooks")
PACKAGES = (*APPS, "cartonify", "core", "bench", "testing")
# A domain module: what an app's data is and may do, its services and its tasks.
DOMAIN_MODULES = ("models", "services", "tasks")
# What of cartonify/ the rest of the tree may name: the entry points of configuration.
# (`cartonify` itself: its __init__ only exports the Celery app.)
CONFIGURATION = (
    "cartonify",
    "cartonify.settings",
    "cartonify.urls",
    "cartonify.celery",
    "cartonify.wsgi",
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


def _package(name: str) -> str:
    return name.split(".")[0]


def _is_test(name: str) -> bool:
    return "tests" in name.split(".") or name.split(".")[-1] == "conftest"


def _code_of(*packages: str):
    """Chooses the modules of `packages`, their tests left out."""
    return lambda name: _package(name) in packages and not _is_test(name)


def _is_domain(name: str) -> bool:
    app, _, rest = name.partition(".")
    return app in APPS and rest.split(".")[0] in DOMAIN_MODULES


def _imports_of(packages: set[str], *, by) -> list[tuple[str, str]]:
    """(module, where) for each import of a module of `packages` by the modules `by(name)`
    chooses; `from pkg import mod` imports `pkg.mod`."""
    modules = _modules()
    found = []
    for name, path in modules.items():
        if not by(name):
            continue
        for target, names, node in _imports(name, path):
            for module in _resolve(target, names, modules) - {target} or {target}:
                if _package(module) in packages:
                    found.append((module, f"{path}:{node.lineno}"))
    return found


def test_core_imports_no_project_package():
    """core/ is the bottom layer (as hc/lib/ in healthchecks): apps build on it, never the
    other way round."""
    assert _imports_of(set(PACKAGES) - {"core"}, by=_code_of("core")) == []


def test_no_domain_module_imports_the_api():
    """Models, services and tasks are what the API serves; the HTTP layer builds on them."""
    assert _imports_of({"api"}, by=_is_domain) == []


def test_app_code_imports_nothing_of_the_settings_package():
    """Shared helpers live in core/; cartonify/ is configuration."""
    assert _imports_of({"cartonify"}, by=_code_of(*APPS, "core")) == []


def test_tests_and_benchmarks_name_only_the_configurations_entry_points():
    found = _imports_of({"cartonify"}, by=lambda name: _package(name) != "cartonify")
    assert [(module, where) for module, where in found if module not in CONFIGURATION] == []


def test_no_two_apps_import_each_other():
    """App-level layers point one way (tests aside): a pair importing each other has no
    bottom, and neither can be read without the other."""
    layers = (*APPS, "core")
    edges = {
        (app, _package(module))
        for app in layers
        for module, _ in _imports_of(set(layers) - {app}, by=_code_of(app))
    }
    assert sorted((a, b) for a, b in edges if a < b and (b, a) in edges) == []
