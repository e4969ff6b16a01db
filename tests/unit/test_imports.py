"""Import hygiene: light commands stay light, and the packages have no import cycles."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("agent", "knowledge", "evals", "prompts")
HEAVY = ("chromadb", "langgraph", "openai", "onnxruntime")


def _loaded_after(code: str) -> list[str]:
    """The heavy top-level packages present in sys.modules after running ``code``."""
    probe = (
        f"{code}\nimport json, sys\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_imports_no_heavy_package() -> None:
    assert _loaded_after("import agent.cli") == []


def test_help_imports_no_heavy_package(tmp_path: Path) -> None:
    code = (
        "import contextlib, io, os\n"
        f"os.environ['COACH_HOME'] = {str(tmp_path)!r}\n"
        "from agent.cli import run\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    assert run(['--help']) == 0\n"
        "    assert run(['pair', '--help']) == 0\n"
        "assert 'reframe' in out.getvalue()\n"
    )
    assert _loaded_after(code) == []


def _modules_after_cli(home: Path, *argvs: list[str]) -> list[str]:
    """The pydantic and project modules loaded after running these CLI argument lists."""
    runs = "".join(f"    assert run({argv!r}) == 0\n" for argv in argvs)
    code = (
        "import contextlib, io, json, os, sys\n"
        f"os.environ['COACH_HOME'] = {str(home)!r}\n"
        "from agent.cli import run\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n{runs}"
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.startswith(('pydantic', 'agent.', 'knowledge', 'evals')))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def test_help_builds_no_pydantic_model(tmp_path: Path) -> None:
    # Settings, pair records and results are pydantic models: building them was most of
    # `coach --help`'s start-up, and no help text needs them.
    loaded = _modules_after_cli(tmp_path, ["--help"])
    assert set(loaded) <= {"agent.cli", "agent.errors", "agent.render"}, loaded


def test_command_help_loads_no_project_model(tmp_path: Path) -> None:
    # Typer itself uses pydantic to coerce a command's options; the project's models,
    # settings and stores still wait until the command runs.
    loaded = _modules_after_cli(
        tmp_path, ["reframe", "--help"], ["pair", "--help"], ["pair", "add", "--help"]
    )
    assert {m for m in loaded if not m.startswith("pydantic")} <= {
        "agent.cli",
        "agent.errors",
        "agent.render",
    }, loaded


def test_pair_commands_do_not_import_the_vector_store(tmp_path: Path) -> None:
    code = (
        "import contextlib, io, os\n"
        f"os.environ['COACH_HOME'] = {str(tmp_path)!r}\n"
        "from agent.cli import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert run(['pair', 'add', '--mentor', 'Ada L', '--mentee', 'Bo K']) == 0\n"
        "    assert run(['pair', 'list', '--json']) == 0\n"
    )
    loaded = _loaded_after(code)
    assert "chromadb" not in loaded and "onnxruntime" not in loaded


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(tree: ast.Module, module: str, known: set[str]) -> set[str]:
    """Project modules imported along with ``module`` (not in functions or TYPE_CHECKING)."""
    found: set[str] = set()
    package = module if module in set(PACKAGES) else module.rpartition(".")[0]
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and not _is_type_checking(node):
            pending += node.body + node.orelse
        elif isinstance(node, ast.Try):
            pending += node.body + node.orelse + node.finalbody
            for handler in node.handlers:
                pending += handler.body
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name in known and name != module}


def _import_graph() -> dict[str, set[str]]:
    files = [f for p in PACKAGES for f in (ROOT / p).rglob("*.py")]
    known = {_module_name(f) for f in files}
    return {
        _module_name(f): _module_level_imports(
            ast.parse(f.read_text(encoding="utf-8")), _module_name(f), known
        )
        for f in files
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_import_graph_finds_a_planted_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_cli_reaches_the_eval_runner_only_lazily() -> None:
    graph = _import_graph()
    assert "evals.runner" not in graph["agent.render"]
    assert "agent.api" not in graph["agent.cli"]


def test_nothing_the_cli_builds_on_imports_the_cli_back() -> None:
    # Not even inside a function: `python -m evals` is where the eval harness meets the CLI.
    for path in [*(ROOT / "evals").glob("*.py"), *(ROOT / "agent").rglob("*.py")]:
        if path.name in ("cli.py", "__main__.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
        } | {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert "agent.cli" not in imported, path


def test_no_module_level_import_cycles() -> None:
    assert _cycle(_import_graph()) is None


def test_reframing_without_a_pair_opens_no_pair_store(tmp_path: Path) -> None:
    from agent.api import Coach
    from agent.config import Settings

    with Coach(Settings(home=tmp_path, engine="offline")) as coach:
        result = coach.reframe("Why didn't you finish the chapter again?")
        assert result.questions and coach._store is None
        assert not (tmp_path / "coach.sqlite").exists()
        coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor", goals=["Lead a design review"])
        assert coach.suggest_questions("ana-ben").questions  # pair runs still get the store
