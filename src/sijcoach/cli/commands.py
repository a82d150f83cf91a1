"""The `sijcoach` commands. Pydantic, the planner, Rich rendering and the exports are imported
inside commands so that `sijcoach --help` stays fast; only the engine's vocabularies (plain StrEnums,
used as the options' choices) load at start. Exit codes: 0 ok, 2 bad input, 3 an optional part
(the `exports` extra) is not installed; a person's mistake never shows a traceback."""

from __future__ import annotations

import datetime as dt
import functools
from enum import StrEnum
from pathlib import Path
from typing import Optional

import typer

from sijcoach.engine.vocab import Difficulty, Equipment, Group, Kind, Position, SchemaKind
from sijcoach.exports import Paper

app = typer.Typer(
    help="SI Joint Coach: safe, explained exercise plans for SI joint pain. "
    "Not a diagnosis; it does not replace a doctor or physiotherapist.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

BAD_INPUT = 2
MISSING_EXTRA = 3
STOPPED = 4  # the check-in stopped on a warning sign: get help now; nothing was saved, so no plan follows


class BadInput(Exception):
    """A person's mistake: printed as a message, exit code 2."""


class MissingExtra(Exception):
    """A command needs an optional part that is not installed: printed as a message, exit code 3."""


def guarded(command):
    """Turn a person's mistakes into a message and exit code 2 (a missing extra: 3), never a traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        from sijcoach.engine.inputs import InputError

        try:
            return command(*args, **kwargs)
        except (BadInput, InputError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(BAD_INPUT) from None
        except MissingExtra as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(MISSING_EXTRA) from None

    return run


def _console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"{what}: file {str(path)!r} was not found") from None
    except IsADirectoryError:
        raise BadInput(f"{what}: {str(path)!r} is a folder; give a JSON file") from None
    except UnicodeDecodeError:
        raise BadInput(f"{what}: {str(path)!r} is not a UTF-8 text (JSON) file") from None
    except OSError as exc:
        raise BadInput(f"{what}: {str(path)!r} cannot be read ({exc.strerror})") from None


def _date_option(name: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{name}: {value!r} is not a date; write it as YYYY-MM-DD") from None


def _make_plan(profile: Path, logs: Path | None, start: str | None, days: int, programme_start: str | None = None):
    """Read the profile and logs files and plan from --start for --days: (profile, logs, plan)."""
    from sijcoach.engine.inputs import parse_logs, parse_profile
    from sijcoach.engine.planner import MAX_DAYS, make_plan

    start_date = _date_option("--start", start) or dt.date.today()
    first_day = _date_option("--programme-start", programme_start)
    if first_day is not None and first_day > start_date:
        raise BadInput(f"--programme-start: {first_day} comes after the plan's start ({start_date}); "
                       "use a date no later than --start")
    if not 1 <= days <= MAX_DAYS:
        raise BadInput(f"--days: {days} is not allowed; use a whole number from 1 to {MAX_DAYS}")
    person = parse_profile(_read(profile, "profile"))
    sessions = parse_logs(_read(logs, "logs")) if logs else ()
    return person, sessions, make_plan(person, sessions, start=start_date, days=days, programme_start=first_day)


@app.command()
@guarded
def plan(
    profile: Path = typer.Argument(..., help="profile JSON file (see `sijcoach schema profile`)"),
    logs: Optional[Path] = typer.Option(None, "--logs", help="session logs JSON file (a list of sessions)"),
    start: Optional[str] = typer.Option(None, "--start", help="first day, YYYY-MM-DD (default: today)"),
    days: int = typer.Option(7, "--days", help="number of days to plan, 1 to 366"),
    programme_start: Optional[str] = typer.Option(
        None, "--programme-start", help="the programme's first day, YYYY-MM-DD (default: the first logged session)"),
    as_json: bool = typer.Option(False, "--json", help="print the plan as JSON"),
) -> None:
    """Make a plan from a profile (and optional logs)."""
    from sijcoach.engine.contract import plan_to_json

    _, _, result = _make_plan(profile, logs, start, days, programme_start)
    if as_json:
        typer.echo(plan_to_json(result))
    else:
        from sijcoach.cli.rendering import render_plan

        render_plan(_console(), result)


@app.command()
@guarded
def exercises(
    group: Optional[Group] = typer.Option(None, "--group", help="only exercises training this group"),
    kind: Optional[Kind] = typer.Option(None, "--kind", help="only this kind of exercise"),
    position: Optional[Position] = typer.Option(None, "--position", help="only exercises done in this position"),
    equipment: Optional[Equipment] = typer.Option(None, "--equipment", help="only exercises using this equipment"),
    level: Optional[Difficulty] = typer.Option(None, "--level", help="only exercises of this level"),
    as_json: bool = typer.Option(False, "--json", help="every field of every exercise, as JSON"),
) -> None:
    """List the exercise library, easiest first."""
    from sijcoach.engine.catalog import catalog, filter_catalog

    found = filter_catalog(catalog(), group=group, kind=kind, position=position, equipment=equipment, level=level)
    if as_json:
        import json

        typer.echo(json.dumps([ex.model_dump(mode="json") for ex in found], indent=2))
        return
    from sijcoach.cli.rendering import exercise_table

    _console().print(exercise_table(found))


@app.command()
@guarded
def exercise(slug: str = typer.Argument(..., help="the exercise's slug, e.g. glute-bridge")) -> None:
    """Show one exercise in full: steps, dose, what to feel, mistakes, when to stop, source."""
    from sijcoach.engine.catalog import catalog

    cat = catalog()
    if slug not in cat:
        closest = cat.closest(slug)
        hint = f"; did you mean {closest!r}?" if closest else "; see `sijcoach exercises`"
        raise BadInput(f"exercise: {slug!r} is not a known exercise{hint}")
    from sijcoach.cli.rendering import render_exercise

    ex = cat[slug]
    render_exercise(_console(), ex, cat.source_title(ex.source), {e.slug: e.name for e in cat})


@app.command()
@guarded
def lessons(lesson: Optional[str] = typer.Argument(None, help="a lesson's id, e.g. heat-and-ice")) -> None:
    """List the lessons about the condition, or show one in full with its sources."""
    from rich.markdown import Markdown
    from rich.table import Table

    from sijcoach.engine.catalog import catalog
    from sijcoach.engine.lessons import lesson_by_id, lessons as all_lessons

    console = _console()
    if lesson is None:
        table = Table("#", "id", "title", "words")
        for found in all_lessons():
            table.add_row(str(found.order), found.id, found.title, str(found.words))
        console.print(table)
        return
    found = lesson_by_id(lesson)
    if found is None:
        raise BadInput(f"lesson: {lesson!r} is not a lesson; the lessons are {', '.join(x.id for x in all_lessons())}")
    console.print(f"[bold]{found.title}[/bold]")
    console.print(Markdown(found.body))
    console.print("Sources: " + "; ".join(catalog().source_title(s) for s in found.sources), style="dim")


@app.command()
@guarded
def schema(kind: SchemaKind = typer.Argument(..., help="which format")) -> None:
    """Print the JSON Schema of the profile, logs, plan or exercise format."""
    from sijcoach.engine.contract import schema_json

    typer.echo(schema_json(kind))


@app.command("check-in")
@guarded
def check_in(
    out: Path = typer.Option(Path("profile.json"), "--out", help="where to save the profile"),
) -> None:
    """Answer questions (warning signs first) and save your profile; then run `sijcoach plan`."""
    # Checked before the questions, so nobody answers everything only to lose it at the end.
    if not out.parent.is_dir():
        raise BadInput(f"--out: folder {str(out.parent)!r} does not exist")
    if out.is_dir():
        raise BadInput(f"--out: {str(out)!r} is a folder; give a file name such as profile.json")
    from sijcoach.cli.checkin import run_check_in

    try:
        saved = run_check_in(_console(), out)
    except OSError as exc:
        raise BadInput(f"--out: cannot write {str(out)!r} ({exc.strerror})") from None
    if saved is None:  # `sijcoach check-in && sijcoach plan` must not go on to print a plan
        raise typer.Exit(STOPPED)


class ExportFormat(StrEnum):
    PDF = "pdf"
    ICS = "ics"
    FHIR = "fhir"


# The library each format needs; all three come with the `exports` extra.
EXPORT_LIBRARY = {ExportFormat.PDF: "weasyprint", ExportFormat.ICS: "icalendar", ExportFormat.FHIR: "fhir.resources"}


def _installed(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # a parent package is missing
        return False


def _clock(text: str | None) -> dt.time | None:
    if text is None:
        return None
    try:
        if len(text) != 5:
            raise ValueError
        return dt.time.fromisoformat(text)
    except ValueError:
        raise BadInput(f"--reminder: {text!r} is not a time; write it as HH:MM (00:00 to 23:59), e.g. 07:30") from None


def _zone(name: str) -> str:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise BadInput(f"--tz: {name!r} is not a known time zone; use an IANA name such as Europe/London or UTC") from None
    return name


def _writable(out: Path) -> None:
    if out.is_dir():
        raise BadInput(f"--output: {str(out)!r} is a folder; give a file name")
    if not out.parent.is_dir():
        raise BadInput(f"--output: folder {str(out.parent)!r} does not exist")


def _write(out: Path, data: bytes) -> None:
    # Written beside the target and then renamed, so a failed write never leaves half a file.
    part = out.with_name(out.name + ".part")
    try:
        part.write_bytes(data)
        part.replace(out)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise BadInput(f"--output: cannot write {str(out)!r} ({exc.strerror})") from None


@app.command()
@guarded
def export(
    kind: ExportFormat = typer.Argument(..., help="pdf (printable handout), ics (calendar) or fhir (FHIR R4 JSON Bundle)"),
    profile: Path = typer.Argument(..., help="profile JSON file (see `sijcoach schema profile`)"),
    out: Path = typer.Option(..., "--output", "-o", help="the file to write"),
    logs: Optional[Path] = typer.Option(None, "--logs", help="session logs JSON file (a list of sessions)"),
    start: Optional[str] = typer.Option(None, "--start", help="first day, YYYY-MM-DD (default: today)"),
    days: int = typer.Option(14, "--days", help="number of days to plan, 1 to 366"),
    paper: Paper = typer.Option(Paper.A4, "--paper", help="pdf: the paper size"),
    name: Optional[str] = typer.Option(None, "--name", help="pdf: your name in the footer; fhir: shared as the patient's name"),
    reminder: Optional[str] = typer.Option(None, "--reminder", help="ics: start time HH:MM, with one alarm a day (default: all-day events)"),
    tz: str = typer.Option("UTC", "--tz", help="ics: time zone of the reminder, e.g. Europe/London"),
    birth_year: Optional[int] = typer.Option(None, "--birth-year", help="fhir: share your birth year"),
    share_sex: bool = typer.Option(False, "--share-sex", help="fhir: share the sex given in the profile"),
) -> None:
    """Export your plan as a printable handout, a calendar file or a FHIR health record; no account needed."""
    from sijcoach.exports import ExportError

    if not _installed(EXPORT_LIBRARY[kind]):
        raise MissingExtra(f"export {kind}: needs {EXPORT_LIBRARY[kind]}, part of the `exports` extra, which is "
                           "not installed; from the project's folder: pip install '.[exports]'")
    if birth_year is not None and not 1900 <= birth_year <= dt.date.today().year:
        raise BadInput(f"--birth-year: {birth_year} is not allowed; use a year from 1900 to {dt.date.today().year}")
    when, zone = _clock(reminder), _zone(tz)
    _writable(out)
    person, sessions, result = _make_plan(profile, logs, start, days)
    try:
        if kind == ExportFormat.PDF:
            from sijcoach.exports.handout import Handout

            data = Handout(result, made_on=dt.date.today(), paper=paper, name=name).pdf()
        elif kind == ExportFormat.ICS:
            from sijcoach.exports.calendar import plan_to_ics

            data = plan_to_ics(result, reminder=when, tz=zone, stamp=dt.datetime.now(dt.timezone.utc),
                               owner=str(profile.resolve()))
        else:
            from sijcoach.exports.fhir import Sharing, bundle

            share = Sharing(name=name, birth_year=birth_year, sex=person.sex if share_sex else None)
            data = bundle(result, person, person=str(profile.resolve()), now=dt.datetime.now(dt.timezone.utc),
                          logs=sessions, share=share).json
    except ExportError as exc:
        raise BadInput(str(exc)) from None
    _write(out, data)
    typer.echo(f"wrote {str(out)} ({len(data):,} bytes)")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
