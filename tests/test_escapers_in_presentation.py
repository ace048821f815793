"""Output escaping lives in presentation/ only (issue 23): one place to get it right.

A module elsewhere that defines its own escaper, or calls html.escape/markupsafe
itself, is where a forgotten or different escape would hide.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "legpress_diag"


def _escapers_outside_presentation() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC)
        if relative.parts[0] == "presentation":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and "escape" in (
                node.name.lower()
            ):
                found.append(f"{relative}:{node.lineno} def {node.name}")
            elif isinstance(node, ast.ImportFrom) and node.module in {"html", "markupsafe"}:
                found.append(f"{relative}:{node.lineno} from {node.module} import ...")
            elif isinstance(node, ast.Import) and any(
                alias.name in {"html", "markupsafe"} for alias in node.names
            ):
                found.append(f"{relative}:{node.lineno} import html/markupsafe")
    return found


def test_no_escaper_outside_presentation() -> None:
    assert _escapers_outside_presentation() == []


def test_the_scan_sees_an_escaper() -> None:
    # The scan is not vacuous: presentation's own escaper module defines escapers.
    text = (SRC / "presentation" / "render" / "textsafe.py").read_text(encoding="utf-8")
    names = [
        node.name
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef) and "escape" in node.name.lower()
    ]
    assert "unencodable_escaped" in names
