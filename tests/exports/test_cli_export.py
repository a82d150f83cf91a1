"""`sijcoach export pdf|ics|fhir PROFILE -o FILE`, as a person would run it: no database, clear refusals."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pypdfium2
import pytest
from fhir.resources.R4B.bundle import Bundle
from icalendar import Calendar
from typer.testing import CliRunner

from export_helpers import PROFILE, START
from sijcoach.cli import app

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
LOGS = [{"date": "2026-11-20", "pain_before": 4, "pain_after": 3, "pain_next_day": 3}]


@pytest.fixture
def files(tmp_path):
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps(PROFILE), encoding="utf-8")
    logs = tmp_path / "logs.json"
    logs.write_text(json.dumps(LOGS), encoding="utf-8")
    return profile, logs


def export(*args: str):
    return runner.invoke(app, ["export", *args])


def assert_refused(result, *words: str):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, f"{word!r} missing from: {result.output}"


def test_pdf_writes_a_handout_on_the_chosen_paper_with_the_name_in_the_footer(files, tmp_path):
    profile, logs = files
    out = tmp_path / "handout.pdf"
    result = export("pdf", str(profile), "--logs", str(logs), "--start", START.isoformat(), "--paper", "letter",
                    "--name", "Alice Example", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    doc = pypdfium2.PdfDocument(out.read_bytes())
    assert tuple(round(v) for v in doc[0].get_size()) == (612, 792)
    assert "Alice Example" in doc[1].get_textpage().get_text_range()


def test_ics_writes_events_at_the_reminder_time_in_the_time_zone(files, tmp_path):
    profile, _ = files
    out = tmp_path / "plan.ics"
    result = export("ics", str(profile), "--start", START.isoformat(), "--days", "3", "--reminder", "18:15",
                    "--tz", "America/New_York", "-o", str(out))
    assert result.exit_code == 0, result.output
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert {e.decoded("dtstart").date() for e in events} == {START + dt.timedelta(days=n) for n in range(3)}
    first = events[0].decoded("dtstart")
    assert (first.hour, first.minute, str(first.tzinfo)) == (18, 15, "America/New_York")


def test_fhir_writes_a_bundle_sharing_only_what_was_asked(files, tmp_path):
    profile, logs = files
    out = tmp_path / "record.json"
    result = export("fhir", str(profile), "--logs", str(logs), "--birth-year", "1988", "--share-sex", "-o", str(out))
    assert result.exit_code == 0, result.output
    bundle = Bundle.model_validate_json(out.read_bytes())
    patient = bundle.entry[0].resource
    assert (str(patient.birthDate), patient.gender, patient.name) == ("1988", "female", None)
    assert sum(e.resource.get_resource_type() == "Observation" for e in bundle.entry) == 3
    again = tmp_path / "again.json"
    export("fhir", str(profile), "-o", str(again))
    assert set(json.loads(again.read_bytes())["entry"][0]["resource"]) == {"resourceType", "id"}


@pytest.mark.parametrize(("args", "words"), [
    (["docx"], ["'kind'", "'docx' is not one of", "'pdf', 'ics', 'fhir'"]),
    (["ics", "--reminder", "7pm"], ["--reminder: '7pm' is not a time", "HH:MM"]),
    (["ics", "--reminder", "25:00"], ["--reminder: '25:00'"]),
    (["ics", "--tz", "Mars/Olympus"], ["--tz: 'Mars/Olympus' is not a known time zone"]),
    (["pdf", "--paper", "a5"], ["'--paper'", "'a5' is not one of", "'a4', 'letter'"]),
    (["pdf", "--days", "0"], ["--days: 0 is not allowed", "1 to 366"]),
    (["pdf", "--start", "tomorrow"], ["--start: 'tomorrow' is not a date", "YYYY-MM-DD"]),
    (["fhir", "--birth-year", "1850"], ["--birth-year: 1850 is not allowed"]),
])
def test_a_bad_option_is_refused_naming_it_and_what_is_allowed(files, tmp_path, args, words):
    profile, _ = files
    out = tmp_path / "out"
    result = export(args[0], str(profile), *args[1:], "-o", str(out))
    assert_refused(result, *words)
    assert not out.exists()


def test_a_missing_or_broken_profile_is_refused(files, tmp_path):
    _, logs = files
    assert_refused(export("pdf", str(tmp_path / "nope.json"), "-o", str(tmp_path / "x.pdf")),
                   "profile: file", "was not found")
    broken = tmp_path / "broken.json"
    broken.write_text('{"age": 38, "pain_now": 11, "onset_days_ago": 5}', encoding="utf-8")
    assert_refused(export("ics", str(broken), "-o", str(tmp_path / "x.ics")), "pain_now")
    broken.write_text("{not json", encoding="utf-8")
    assert_refused(export("fhir", str(broken), "-o", str(tmp_path / "x.json")), "profile")


def test_an_output_path_that_cannot_be_written_is_refused_before_any_work(files, tmp_path):
    profile, _ = files
    assert_refused(export("pdf", str(profile), "-o", str(tmp_path / "no" / "such" / "x.pdf")),
                   "--output: folder", "does not exist")
    assert_refused(export("ics", str(profile), "-o", str(tmp_path)), "--output:", "is a folder")


def test_help_stays_fast_because_no_export_library_is_imported_at_startup():
    code = ("import sys; from typer.testing import CliRunner; from sijcoach.cli import app; "
            "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0 and 'export' in r.output; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'weasyprint', 'fhir', 'icalendar', 'django'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_installed_script_exports_a_calendar(files, tmp_path):
    profile, _ = files
    out = tmp_path / "plan.ics"
    done = subprocess.run([str(Path(sys.executable).with_name("sijcoach")), "export", "ics", str(profile),
                           "--days", "1", "-o", str(out)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")
