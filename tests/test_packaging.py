"""The engine and the command line install and run without the `web` and `exports` extras.

The base install has no Django, WeasyPrint, icalendar or fhir.resources. Here a child Python refuses
to import them (an import blocker on `sys.meta_path`, as if they were not installed), imports every
engine and CLI module, and drives the command line: planning, the library, one exercise, a schema
and the check-in work; each export says that it needs the `exports` extra.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OPTIONAL = ("django", "ninja", "weasyprint", "icalendar", "fhir", "psycopg", "gunicorn", "whitenoise", "argon2")

CHILD = r'''
import importlib, json, pkgutil, sys

BLOCKED = set(sys.argv[1].split(","))


class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)", name=name)
        return None


sys.meta_path.insert(0, Blocker())

import sijcoach.cli, sijcoach.engine
from typer.testing import CliRunner

modules = []
for package in (sijcoach.engine, sijcoach.cli):
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        if info.name != "sijcoach.cli.__main__":
            importlib.import_module(info.name)
            modules.append(info.name)

profile, out = sys.argv[2], sys.argv[3]
runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
runs = {
    "help": ["--help"],
    "plan": ["plan", profile, "--start", "2026-11-23", "--days", "2"],
    "plan_json": ["plan", profile, "--start", "2026-11-23", "--days", "2", "--json"],
    "exercises": ["exercises", "--kind", "strength", "--json"],
    "exercise": ["exercise", "glute-bridge"],
    "schema": ["schema", "profile"],
    "pdf": ["export", "pdf", profile, "-o", out + ".pdf"],
    "ics": ["export", "ics", profile, "-o", out + ".ics"],
    "fhir": ["export", "fhir", profile, "-o", out + ".json"],
}
results = {name: runner.invoke(sijcoach.cli.app, args) for name, args in runs.items()}
results["check_in"] = runner.invoke(sijcoach.cli.app, ["check-in", "--out", out + ".profile.json"], input="y\n")
print(json.dumps({
    "modules": modules,
    "loaded": sorted({m.split(".")[0] for m in sys.modules} & BLOCKED),
    "runs": {name: {"code": r.exit_code, "output": r.output} for name, r in results.items()},
}))
'''


def run_without_extras(tmp_path) -> dict:
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"age": 35, "pain_now": 3, "onset_days_ago": 200}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", CHILD, ",".join(OPTIONAL), str(profile), str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_engine_and_the_cli_work_without_the_web_and_exports_extras(tmp_path):
    found = run_without_extras(tmp_path)
    runs = found["runs"]
    assert found["loaded"] == []
    assert {"sijcoach.engine.planner", "sijcoach.engine.guidance", "sijcoach.cli.commands",
            "sijcoach.cli.rendering", "sijcoach.cli.checkin"} <= set(found["modules"])
    for name in ("help", "plan", "plan_json", "exercises", "exercise", "schema"):
        assert runs[name]["code"] == 0, (name, runs[name]["output"])
    assert "export" in runs["help"]["output"]
    assert len(json.loads(runs["plan_json"]["output"])["days"]) == 2
    assert "Mon 23 Nov 2026" in runs["plan"]["output"]
    assert {ex["kind"] for ex in json.loads(runs["exercises"]["output"])} == {"strength"}
    assert "Glute bridge" in runs["exercise"]["output"]
    assert json.loads(runs["schema"]["output"])["title"] == "Profile"
    # The first warning sign answered yes: the check-in stops and says what to do, as with every extra.
    assert runs["check_in"]["code"] == 4 and "Stop: get help" in runs["check_in"]["output"]  # 4: stopped, no plan


def test_each_export_says_it_needs_the_exports_extra_when_it_is_missing(tmp_path):
    runs = run_without_extras(tmp_path)["runs"]
    for kind, library in (("pdf", "weasyprint"), ("ics", "icalendar"), ("fhir", "fhir.resources")):
        text = re.sub(r"\s+", " ", runs[kind]["output"])
        assert runs[kind]["code"] == 3, text
        assert f"export {kind}: needs {library}" in text
        # The project's own folder, as README says (a developer's find: the name alone would go to PyPI).
        assert "`exports` extra" in text and "pip install '.[exports]'" in text
        assert "Traceback" not in text
    assert not list(tmp_path.glob("out.*")), "nothing is written when the export cannot be made"


def test_the_base_install_leaves_the_web_and_the_exports_to_their_extras():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements):
        return {re.split(r"[<>=\[ ;]", r, maxsplit=1)[0].lower() for r in requirements}

    base, extras = names(project["dependencies"]), project["optional-dependencies"]
    assert base == {"pydantic", "typer", "rich"}
    assert {"weasyprint", "icalendar", "fhir.resources"} == names(extras["exports"])
    assert {"django", "django-ninja", "argon2-cffi", "psycopg", "gunicorn", "whitenoise"} <= names(extras["web"])
    assert "sijcoach[exports]" in extras["web"], "the web app offers the exports, so it installs them"
    assert "-e '.[web,exports,test]'" in (ROOT / "Makefile").read_text(encoding="utf-8")
