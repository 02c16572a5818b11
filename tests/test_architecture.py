"""The architecture holds: a pure core without I/O, and no import cycles between modules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "assess"
CORE = ("model", "i18n", "conditions", "scoring", "advice")
TEXT_CATALOGUES = {"assess.texts", "assess.texts.de", "assess.texts.en"}  # plain data the core may read
# What the pure core may import besides itself: no files, no YAML, no operating system. `datetime`
# only to read and format dates: the core never asks the clock (checked below).
CORE_STDLIB = {"__future__", "dataclasses", "typing", "re", "math", "itertools", "functools", "collections", "enum",
               "datetime"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path) -> set[str]:
    """Modules imported when `path` is imported: module-level statements, not inside functions or
    `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    package = _module_name(path).rpartition(".")[0] if path.name != "__init__.py" else _module_name(path)

    def visit(nodes):
        for node in nodes:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    name = f"{base}.{node.module}" if node.module else base
                else:
                    name = node.module
                found.add(name)
                for alias in node.names:  # `from assess import render` imports a module
                    candidate = f"{name}.{alias.name}"
                    if (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).is_file():
                        found.add(candidate)
            elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            elif isinstance(node, (ast.If, ast.Try)):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)

    visit(tree.body)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in _top_level_imports(path) if m in modules and m != name} for name, path in modules.items()}


def test_the_core_imports_only_the_core_and_plain_standard_library():
    for name in CORE:
        imports = _top_level_imports(PACKAGE / f"{name}.py")
        allowed = {"assess"} | {f"assess.{c}" for c in CORE} | TEXT_CATALOGUES  # `assess` holds only the version
        foreign = {m for m in imports if m.split(".")[0] not in CORE_STDLIB and m not in allowed}
        assert not foreign, f"assess.{name} imports {sorted(foreign)}"


def test_importing_the_core_loads_no_reader_yaml_or_files():
    code = ("import sys; before = set(sys.modules); import assess.advice, assess.scoring, assess.conditions; "
            "print(' '.join(sorted(set(sys.modules) - before)))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert {m for m in loaded if m.startswith("assess.")} <= {f"assess.{name}" for name in CORE} | TEXT_CATALOGUES
    io_modules = {"yaml", "json", "tempfile", "pathlib", "shutil", "subprocess", "socket", "time",
                  "click", "jinja2", "matplotlib"}
    assert not {m.split(".")[0] for m in loaded} & io_modules, sorted(loaded)


def test_the_core_never_asks_the_clock():
    for name in CORE:
        tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
        calls = [ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)]
        clock = [c for c in calls if c.endswith((".today", ".now", ".utcnow")) or c in ("time.time", "time.monotonic")]
        assert not clock, f"assess.{name} asks the clock: {clock}; the assessment date is data"


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_the_cycle_check_finds_a_cycle(tmp_path, monkeypatch):
    # The check above must be able to fail: a module importing its importer is reported.
    graph = {"a": {"b"}, "b": {"a"}}
    monkeypatch.setattr(sys.modules[__name__], "_graph", lambda: graph)
    try:
        test_no_import_cycles()
    except AssertionError as exc:
        assert "a → b → a" in str(exc)
    else:
        raise AssertionError("cycle not found")
