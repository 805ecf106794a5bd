"""Imports point one way (docs/architecture.md, "Arrows point one way"): every `luoshi.X` import in luoshi/**/*.py,
read with ast, mapped to its top-level part; no import points up a layer and the parts' graph has no cycle.

core < audit < orgs < the domain apps < web and jobs < the project's own modules (api.py, urls.py, cli.py, …).
Domain apps may use each other, in one direction only (the graph stays acyclic)."""

import ast
from collections import defaultdict
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "luoshi"
DOMAIN = {"indicators", "work", "supervision", "briefings", "notify", "daily", "breakdown", "holidays", "projects"}
LAYERS = {
    "core": 0,
    "audit": 1,
    "orgs": 2,
    **{app: 3 for app in DOMAIN},
    "web": 4, "jobs": 4,
    # the project's own modules: the settings, the API and URL composition, the command line
    "api": 5, "urls": 5, "cli": 5, "settings": 5, "wsgi": 5, "__main__": 5, "__init__": 5,
}


def _part(path):
    """The top-level part a file of luoshi/ belongs to: its folder, or the module itself (api, urls, …)."""
    first = path.relative_to(PACKAGE).parts[0]
    return first.removesuffix(".py")


def _imported(path, tree):
    """(module.name, line) for every name the file imports, relative imports resolved: enough to tell the part."""
    package = ["luoshi", *path.relative_to(PACKAGE).parent.parts]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            yield from ((f"{module}.{alias.name}", node.lineno) for alias in node.names)


def import_edges():
    """{(from part, to part): ["path:line", …]} for every import of one part of luoshi by another."""
    edges = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _part(path)
        for module, line in _imported(path, ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = module.split(".")
            if names[0] == "luoshi" and len(names) > 1 and names[1] != source:
                edges[(source, names[1])].append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    return edges


def upward(edges):
    """The imports that point up a layer (or from or to a part without one), as "from → to: places"."""
    return [f"{source} → {target}: {', '.join(places)}" for (source, target), places in sorted(edges.items())
            if LAYERS.get(target, 99) > LAYERS.get(source, -1)]


def cycle(edges):
    """An import cycle between parts as "a → b: places" steps, or None; else the parts in dependency order."""
    graph = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)  # the imported part comes first
    try:
        return None, list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        parts = error.args[1]  # each part is imported by the next one
        return [f"{b} → {a}: {', '.join(edges[(b, a)])}" for a, b in zip(parts, parts[1:])], None


EDGES = import_edges()


def test_every_part_of_luoshi_has_a_layer():
    parts = {_part(p) for p in PACKAGE.rglob("*.py")} | {target for _, target in EDGES}
    assert parts - set(LAYERS) == set(), "a new top-level part: give it a layer here and in docs/architecture.md"


def test_no_import_points_up_a_layer():
    assert upward(EDGES) == []


def test_the_parts_import_each_other_without_a_cycle():
    steps, order = cycle(EDGES)
    assert steps is None
    assert order.index("core") < order.index("audit") < order.index("orgs") < order.index("web")


def test_the_checks_find_an_upward_import_and_a_cycle():
    tree = ast.parse("from luoshi.daily.models import DailyForm\nfrom luoshi import web\nfrom . import rules\n"
                     "from .. import orgs\nimport luoshi.work.models\n")
    assert list(_imported(PACKAGE / "audit" / "labels.py", tree)) == [
        ("luoshi.daily.models.DailyForm", 1), ("luoshi.web", 2), ("luoshi.audit.rules", 3), ("luoshi.orgs", 4),
        ("luoshi.work.models", 5)]
    assert upward({("audit", "daily"): ["luoshi/audit/labels.py:1"], ("daily", "audit"): ["luoshi/daily/x.py:1"],
                   ("orgs", "audit"): ["luoshi/orgs/x.py:1"]}) == ["audit → daily: luoshi/audit/labels.py:1"]
    steps, _ = cycle({("briefings", "work"): ["b.py:1"], ("work", "supervision"): ["w.py:2"],
                      ("supervision", "work"): ["s.py:3"]})
    assert sorted(steps) == ["supervision → work: s.py:3", "work → supervision: w.py:2"]
