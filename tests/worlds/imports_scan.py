"""What a Python source refers to, read with ``ast`` (never imported): the scanner behind the
rules of the house (tests/test_architecture.py) and the demo's boundary (tests/demo/
test_boundaries.py).

``targets(source, module)`` yields ``(line, dotted target)`` for every import (relative ones
resolved against ``module``), every string given to a loader (``apps.get_model("appeals", …)``
positional or keyword, ``import_module(f"appeals.{x}")``, ``__import__``, ``get_app_config``,
``send_task`` …) and every string constant that is a dotted path into another app.
"""

from __future__ import annotations

import ast
import re

STRING_LOADERS = {"get_model", "import_string", "import_module", "send_task", "signature",
                  "__import__", "get_app_config", "find_spec", "autodiscover_modules",
                  "module_has_submodule", "run_path", "run_module"}
# A string that names a module path of another app counts as an import wherever it stands
# (a task name in a subscript, a dotted path handed on to a loader later).
DOTTED = re.compile(r"(appeals|demo|assessments\.[a-z_]+)(\.[A-Za-z_]\w*)+")


def _text(node) -> str | None:
    """A string argument: a constant, or the constant head of an f-string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value).rstrip(".")
    return None


def targets(source: str, module: str = "", *, is_package: bool = False):
    """(line, dotted target) of every import of ``path``; of every string given to a loader
    (``apps.get_model("appeals", …)``, ``import_module(f"appeals.{x}")``, ``__import__``,
    ``apps.get_app_config("appeals")``, ``send_task("…")``), keyword arguments included; and of
    every string constant that is a dotted path into another app."""
    tree = ast.parse(source)
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                yield node.lineno, base if alias.name == "*" else f"{base}.{alias.name}"
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in STRING_LOADERS:
                texts = [t for t in map(_text, [*node.args, *(k.value for k in node.keywords)])
                         if t]
                if texts:
                    # get_model("app_label", "Model") names an app by its label
                    yield node.lineno, ".".join(texts) if name == "get_model" else texts[0]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if DOTTED.fullmatch(node.value):
                yield node.lineno, node.value
