"""Layers are contracts: the import graph of `bhxh_campaign`, read with `ast`, and checked.

Every import counts, also one inside a function or under ``TYPE_CHECKING``: an import put
off until a call is still a dependency (see docs/design.md, "One direction, one module per
stage"). Each check lists the offending edges, as ``importer -> imported (line n)``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

import pytest

from .conftest import ROOT

PACKAGE = "bhxh_campaign"

CORE = frozenset(
    {
        "model",
        "levels",
        "counting",
        "windows",
        "metrics",
        "ranking",
        "report",
        "units",
        "registry",
        "stock",
        "errors",
        "_validators",
    }
)
"""The core: modules (or packages) directly under `bhxh_campaign` that are pure."""

EDGES = frozenset({"io", "render", "engines", "commands", "cli", "bundle", "audit", "diff"})
"""The edges, which read files, write output, drive engines or make comparisons."""

OPTIONAL = frozenset(
    {
        "pandas",
        "polars",
        "duckdb",
        "pyarrow",
        "narwhals",
        "openpyxl",
        "defusedxml",
        "matplotlib",
        "pyspark",
        "dask",
        "numpy",
        "pyuca",
        "hypothesis",
    }
)
"""Optional dependencies (extras), by the name they are imported under."""


class Edge(NamedTuple):
    """One import: who imports, which module (ours, or an outside top-level name), what."""

    importer: str
    imported: str
    name: str | None
    line: int

    def __str__(self) -> str:
        module = not self.name or self.imported.endswith(f".{self.name}")
        what = self.imported if module else f"{self.imported}:{self.name}"
        return f"{self.importer} -> {what} (line {self.line})"


class Graph(NamedTuple):
    """The modules of a package (dotted name -> file) and every import they make."""

    modules: Mapping[str, Path]
    edges: tuple[Edge, ...]

    def internal(self) -> dict[str, set[str]]:
        """Module -> the other modules of the package it imports."""
        out: dict[str, set[str]] = {module: set() for module in self.modules}
        for edge in self.edges:
            if edge.imported in self.modules and edge.imported != edge.importer:
                out[edge.importer].add(edge.imported)
        return out

    def is_package(self, module: str) -> bool:
        """Whether the module is a package's ``__init__``."""
        return self.modules[module].name == "__init__.py"

    def package_of(self, module: str) -> str:
        """The package a module belongs to: itself for a package, else its parent."""
        return module if self.is_package(module) else module.rpartition(".")[0]


def read_graph(src: Path, package: str = PACKAGE) -> Graph:
    """Every module under ``src/package`` and every import statement in it."""
    modules: dict[str, Path] = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    edges = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                edges += [_edge(modules, module, a.name, None, node.lineno) for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _base(modules, module, node)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    if sub in modules:  # `from package import module`
                        edges.append(_edge(modules, module, sub, alias.name, node.lineno))
                    else:
                        edges.append(_edge(modules, module, base, alias.name, node.lineno))
    return Graph(modules, tuple(edges))


def _base(modules: Mapping[str, Path], module: str, node: ast.ImportFrom) -> str:
    """The absolute name of the module a ``from ... import`` reads from."""
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    if modules[module].name != "__init__.py":
        parts = parts[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _edge(
    modules: Mapping[str, Path], importer: str, target: str, name: str | None, line: int
) -> Edge:
    """An edge to the module of ours that ``target`` names, else to its top-level name."""
    found = target
    while found and found not in modules:
        found = found.rpartition(".")[0]
    if found:
        return Edge(importer, found, name, line)
    return Edge(importer, target.partition(".")[0], name, line)


def _in(module: str, names: Iterable[str], package: str = PACKAGE) -> bool:
    """Whether ``module`` is one of ``package``'s top-level ``names``, or inside one."""
    parts = module.split(".")
    return len(parts) > 1 and parts[0] == package and parts[1] in set(names)


def _is_or_in(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def leaks(graph: Graph, sources: Iterable[str], forbidden: Callable[[str], bool]) -> list[str]:
    """The imports of a ``forbidden`` module made by the ``sources`` or by what they import.

    Each is shown with the chain of imports that leads to its importer from a source; the
    chain does not go on inside a forbidden module.
    """
    internal = graph.internal()
    via: dict[str, list[str]] = {}
    todo = sorted(sources)
    for source in todo:
        via[source] = [source]
    while todo:
        module = todo.pop(0)
        for target in sorted(internal[module]):
            if target not in via and not forbidden(target):
                via[target] = [*via[module], target]
                todo.append(target)
    found = []
    for edge in graph.edges:
        if edge.importer in via and forbidden(edge.imported):
            chain = via[edge.importer]
            path = f" (reached by {' -> '.join(chain)})" if len(chain) > 1 else ""
            found.append(f"{edge}{path}")
    return sorted(found)


def core_leaks(graph: Graph, package: str = PACKAGE) -> list[str]:
    """(a) Imports of an edge package or an optional dependency that the core reaches."""
    core = [m for m in graph.modules if _in(m, CORE, package)]
    return leaks(graph, core, lambda name: _in(name, EDGES, package) or name in OPTIONAL)


def render_leaks(graph: Graph, package: str = PACKAGE) -> list[str]:
    """(b) Imports of `io` that `render` reaches."""
    render = [m for m in graph.modules if _in(m, {"render"}, package)]
    return leaks(graph, render, lambda name: _in(name, {"io"}, package))


def engine_leaks(graph: Graph, package: str = PACKAGE) -> list[str]:
    """(c) Imports of `io.folder` that `engines` reaches."""
    engines = [m for m in graph.modules if _in(m, {"engines"}, package)]
    return leaks(graph, engines, lambda name: _is_or_in(name, f"{package}.io.folder"))


def private_imports(graph: Graph, package: str = PACKAGE) -> list[str]:
    """(d) Private names (``_x``), or private modules, of another package.

    A package's private names and modules are its own (and its subpackages'); the private
    modules directly under the top package (``_validators``, ``_privacy``, ...) are shared
    by every package, but their private names are not.
    """
    found = []
    for edge in graph.edges:
        if edge.imported not in graph.modules:
            continue
        mine, theirs = graph.package_of(edge.importer), graph.package_of(edge.imported)
        if _is_or_in(theirs, mine):
            continue
        name = edge.name or ""
        private_name = name.startswith("_") and not name.startswith("__")
        leaf = edge.imported.rpartition(".")[2]
        private_module = leaf.startswith("_") and theirs != package
        if private_name or private_module:
            found.append(str(edge))
    return sorted(found)


def cycles(graph: Graph) -> list[list[str]]:
    """(e) The import cycles: strongly connected components of two modules or more (Tarjan)."""
    internal = graph.internal()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(internal[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(internal):
        if module not in index:
            visit(module)
    return sorted(found)


def cycle_edges(graph: Graph, component: Iterable[str]) -> list[str]:
    """The edges inside one import cycle."""
    members = set(component)
    return sorted(
        str(edge)
        for edge in graph.edges
        if edge.importer in members and edge.imported in members and edge.imported != edge.importer
    )


@pytest.fixture(scope="module")
def graph() -> Graph:
    """The import graph of the installed source tree."""
    return read_graph(ROOT / "src")


def _listing(lines: Iterable[str]) -> str:
    return "\n  " + "\n  ".join(lines)


class TestContracts:
    def test_core_imports_no_edge_and_no_optional_dependency(self, graph: Graph) -> None:
        """(a) The core, and all it imports, import no edge package and no optional extra."""
        found = core_leaks(graph)
        assert not found, f"the core reaches edges or extras:{_listing(found)}"

    def test_render_does_not_import_io(self, graph: Graph) -> None:
        """(b) The renderers, and all they import, never import `io`."""
        found = render_leaks(graph)
        assert not found, f"render reaches io:{_listing(found)}"

    def test_engines_do_not_import_the_folder_loader(self, graph: Graph) -> None:
        """(c) The engines, and all they import, never import `io.folder`."""
        found = engine_leaks(graph)
        assert not found, f"engines reach io.folder:{_listing(found)}"

    def test_no_private_names_of_another_package(self, graph: Graph) -> None:
        """(d) No module imports another package's private names or private modules."""
        found = private_imports(graph)
        assert not found, f"private names of another package:{_listing(found)}"

    def test_no_import_cycle(self, graph: Graph) -> None:
        """(e) The modules import each other without a cycle."""
        found = [
            f"cycle of {len(c)}: {', '.join(c)}{_listing(cycle_edges(graph, c))}"
            for c in cycles(graph)
        ]
        assert not found, f"import cycles:{_listing(found)}"

    def test_sees_every_layer(self, graph: Graph) -> None:
        """The graph holds the core and the edges, so the checks above are not vacuous."""
        tops = {m.split(".")[1] for m in graph.modules if "." in m}
        assert {"model", "counting", "report", "_validators"} <= tops
        assert tops >= EDGES
        assert len(graph.edges) > 200


def _package(tmp_path: Path, files: Mapping[str, str]) -> Graph:
    """The graph of a package ``pkg`` made of ``files`` (path -> source)."""
    for name, source in files.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return read_graph(tmp_path, "pkg")


class TestReader:
    def test_imports_in_functions_and_type_checking_count(self, tmp_path: Path) -> None:
        """Imports inside functions and under TYPE_CHECKING are edges too."""
        graph = _package(
            tmp_path,
            {
                "__init__.py": "",
                "a.py": (
                    "from typing import TYPE_CHECKING\n"
                    "if TYPE_CHECKING:\n    from pkg import b\n"
                    "def f():\n    import pkg.c\n    from pkg.d import x\n"
                ),
                "b.py": "",
                "c.py": "",
                "d.py": "x = 1\n",
            },
        )
        assert graph.internal()["pkg.a"] == {"pkg.b", "pkg.c", "pkg.d"}

    def test_relative_imports_and_submodules(self, tmp_path: Path) -> None:
        """Relative imports resolve, and `from package import module` is an edge to it."""
        graph = _package(
            tmp_path,
            {
                "__init__.py": "",
                "io/__init__.py": "from . import _cells\nfrom .export import write\n",
                "io/_cells.py": "",
                "io/export.py": "from .._priv import mask\nwrite = 1\n",
                "_priv.py": "mask = 1\n",
            },
        )
        internal = graph.internal()
        assert internal["pkg.io"] == {"pkg.io._cells", "pkg.io.export"}
        assert internal["pkg.io.export"] == {"pkg._priv"}

    def test_outside_imports_keep_their_top_level_name(self, tmp_path: Path) -> None:
        """An outside import is an edge to its top-level name."""
        graph = _package(tmp_path, {"__init__.py": "import pandas.api\nfrom numpy import x\n"})
        assert {e.imported for e in graph.edges} == {"pandas", "numpy"}


class TestChecksCatchViolations:
    def test_core_importing_an_edge_directly_or_not(self, tmp_path: Path) -> None:
        """A core module importing io, or a module it imports doing so, is listed."""
        graph = _package(
            tmp_path,
            {
                "__init__.py": "",
                "model.py": "from pkg import _helper\n",
                "_helper.py": "def f():\n    from pkg.io import folder\n",
                "counting.py": "import polars as pl\n",
                "io/__init__.py": "",
                "io/folder.py": "from pkg import model\n",
            },
        )
        assert core_leaks(graph, "pkg") == [
            "pkg._helper -> pkg.io.folder (line 2) (reached by pkg.model -> pkg._helper)",
            "pkg.counting -> polars (line 1)",
        ]

    def test_render_io_and_engines_folder(self, tmp_path: Path) -> None:
        """render importing io, and engines importing io.folder, are listed."""
        graph = _package(
            tmp_path,
            {
                "__init__.py": "",
                "io/__init__.py": "",
                "io/folder.py": "",
                "io/export.py": "",
                "render/__init__.py": "",
                "render/table.py": "from pkg.io.export import write\n",
                "engines/__init__.py": "",
                "engines/_choose.py": "from pkg.io import folder\n",
            },
        )
        assert render_leaks(graph, "pkg") == ["pkg.render.table -> pkg.io.export:write (line 1)"]
        assert engine_leaks(graph, "pkg") == ["pkg.engines._choose -> pkg.io.folder (line 1)"]

    def test_private_names_and_modules(self, tmp_path: Path) -> None:
        """Another package's `_x` names and modules are listed; one's own and shared ones not.

        A private module directly under the top package is shared when imported as a module
        (``import pkg._shared``, ``from pkg._shared import x``), not as a name of the top
        package (``from pkg import _shared``), as the house hook has it.
        """
        graph = _package(
            tmp_path,
            {
                "__init__.py": "",
                "_shared.py": "x = 1\n_y = 2\n",
                "render/__init__.py": "",
                "render/_format.py": "day = 1\n",
                "render/text.py": "from pkg.render._format import day\n_WORDS = 1\n",
                "render/html.py": "from pkg.render.text import _WORDS\n",
                "commands/__init__.py": "",
                "commands/report.py": (
                    "from pkg.render._format import day\n"
                    "from pkg.render.text import _WORDS\n"
                    "from pkg._shared import x, _y\n"
                    "import pkg._shared\n"
                    "from pkg import _shared\n"
                ),
            },
        )
        assert private_imports(graph, "pkg") == [
            "pkg.commands.report -> pkg._shared (line 5)",
            "pkg.commands.report -> pkg._shared:_y (line 3)",
            "pkg.commands.report -> pkg.render._format:day (line 1)",
            "pkg.commands.report -> pkg.render.text:_WORDS (line 2)",
        ]

    def test_cycles_with_their_edges(self, tmp_path: Path) -> None:
        """A cycle is found, with the edges that make it; a self-import is no cycle."""
        graph = _package(
            tmp_path,
            {
                "__init__.py": "",
                "a.py": "from pkg import b\nimport pkg.a\n",
                "b.py": "def f():\n    from pkg import c\n",
                "c.py": "from pkg.a import x\n",
                "d.py": "from pkg import a\n",
            },
        )
        assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
        assert cycle_edges(graph, ["pkg.a", "pkg.b", "pkg.c"]) == [
            "pkg.a -> pkg.b (line 1)",
            "pkg.b -> pkg.c (line 2)",
            "pkg.c -> pkg.a:x (line 1)",
        ]
