"""The exports stay pure: no Django, no terminal libraries, no clock, and cheap to import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

EXPORTS = Path(__file__).resolve().parents[2] / "src" / "sijcoach" / "exports"
FORBIDDEN = ("django", "rich", "typer")


@pytest.mark.parametrize("path", sorted(EXPORTS.glob("*.py")), ids=lambda p: p.name)
def test_an_export_module_never_imports_django_or_reads_the_clock(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            assert not any(a.name.split(".")[0] in FORBIDDEN for a in node.names), path
        if isinstance(node, ast.ImportFrom):
            assert (node.module or "").split(".")[0] not in FORBIDDEN, path
        if isinstance(node, ast.Attribute) and node.attr in ("today", "now", "utcnow"):
            pytest.fail(f"{path.name} reads the clock ({node.attr})")


def test_importing_every_export_loads_no_django():
    code = ("import sys, sijcoach.exports.calendar, sijcoach.exports.fhir, sijcoach.exports.handout; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
