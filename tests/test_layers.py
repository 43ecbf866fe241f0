"""The house: each app stands on the ones below it, nothing reaches upwards, no
module imports itself back through others, and no module grows past 600 lines.

Read from the source (ast), so a lazy import inside a function counts as well.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# What each app of the project may import. The top layer may import everything.
MAY_IMPORT = {
    "qms": set(),
    "procedures": {"qms"},
    "edition_migration": {"qms", "procedures"},
    "audits": {"qms", "procedures"},
    "service_quality": {"qms", "procedures", "audits"},
    "portal": {"qms", "procedures", "edition_migration", "audits", "service_quality"},
}
APPS = [app for app in MAY_IMPORT if (ROOT / app).is_dir()]
MAX_LINES = 600


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    """Absolute names of the project modules that `path` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            # `from pkg import module` imports a module too.
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in MAY_IMPORT}


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_the_apps_below_it(app):
    upward = []
    for path in _modules(app):
        for name in _imports(path):
            target = name.split(".")[0]
            if target != app and target not in MAY_IMPORT[app]:
                upward.append(f"{path.relative_to(ROOT)} imports {name}")
    assert upward == []


def test_no_module_imports_itself_back_through_others():
    modules = {_module_name(p): p for app in APPS for p in _modules(app)}
    graph = {
        name: {target for target in _imports(path, top_level_only=True) if target in modules}
        - {name}
        for name, path in modules.items()
    }
    # A package's __init__ re-exporting its own submodules is not a cycle.
    for name in graph:
        graph[name] = {t for t in graph[name] if not t.startswith(name + ".")}
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycles.append(" → ".join(trail[trail.index(target):] + [target]))
            elif target not in state:
                visit(target, trail + [target])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


@pytest.mark.parametrize("app", APPS)
def test_no_module_is_longer_than_the_house_limit(app):
    long = {
        str(path.relative_to(ROOT)): count
        for path in _modules(app)
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
