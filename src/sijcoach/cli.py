"""The `sijcoach` command line. Engine, pydantic and Rich rendering are imported inside commands so
that `sijcoach --help` stays fast. Exit codes: 0 ok, 2 bad input; a person's mistake never shows a
traceback."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(
    help="SI Joint Coach: safe, explained exercise plans for SI joint pain. "
    "Not a diagnosis; it does not replace a doctor or physiotherapist.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

BAD_INPUT = 2


class BadInput(Exception):
    """A person's mistake: printed as a message, exit code 2."""


def guarded(command):
    """Turn a person's mistakes into a message and exit code 2, never a traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        from sijcoach.engine.inputs import InputError

        try:
            return command(*args, **kwargs)
        except (BadInput, InputError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(BAD_INPUT) from None

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


@app.command()
@guarded
def plan(
    profile: Path = typer.Argument(..., help="profile JSON file (see `sijcoach schema profile`)"),
    logs: Optional[Path] = typer.Option(None, "--logs", help="session logs JSON file (a list of sessions)"),
    start: Optional[str] = typer.Option(None, "--start", help="first day, YYYY-MM-DD (default: today)"),
    days: int = typer.Option(7, "--days", help="number of days to plan, 1 to 366"),
    as_json: bool = typer.Option(False, "--json", help="print the plan as JSON"),
) -> None:
    """Make a plan from a profile (and optional logs)."""
    from sijcoach.engine.contract import plan_to_json
    from sijcoach.engine.inputs import parse_logs, parse_profile
    from sijcoach.engine.planner import MAX_DAYS, make_plan

    if start is None:
        start_date = dt.date.today()
    else:
        try:
            start_date = dt.date.fromisoformat(start)
        except ValueError:
            raise BadInput(f"--start: {start!r} is not a date; write it as YYYY-MM-DD") from None
    if not 1 <= days <= MAX_DAYS:
        raise BadInput(f"--days: {days} is not allowed; use a whole number from 1 to {MAX_DAYS}")
    person = parse_profile(_read(profile, "profile"))
    sessions = parse_logs(_read(logs, "logs")) if logs else ()
    result = make_plan(person, sessions, start=start_date, days=days)
    if as_json:
        typer.echo(plan_to_json(result))
    else:
        from sijcoach.render import render_plan

        render_plan(_console(), result)


def _choices(enum_name: str) -> list[str]:
    from sijcoach.engine import vocab

    return [m.value for m in getattr(vocab, enum_name)]


@app.command()
@guarded
def exercises(
    group: Optional[str] = typer.Option(None, "--group", help="only exercises training this group"),
    kind: Optional[str] = typer.Option(None, "--kind", help="only this kind of exercise"),
    as_json: bool = typer.Option(False, "--json", help="every field of every exercise, as JSON"),
) -> None:
    """List the exercise library."""
    from sijcoach.engine.catalog import catalog

    if group is not None and group not in _choices("Group"):
        raise BadInput(f"--group: {group!r} is not a group; use one of {', '.join(_choices('Group'))}")
    if kind is not None and kind not in _choices("Kind"):
        raise BadInput(f"--kind: {kind!r} is not a kind; use one of {', '.join(_choices('Kind'))}")
    found = [
        ex for ex in sorted(catalog(), key=lambda e: e.slug)
        if (group is None or group in ex.groups or group in ex.secondary_groups)
        and (kind is None or ex.kind == kind)
    ]
    if as_json:
        typer.echo(json.dumps([ex.model_dump(mode="json") for ex in found], indent=2))
        return
    from sijcoach.render import exercise_table

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
    from sijcoach.render import render_exercise

    ex = cat[slug]
    render_exercise(_console(), ex, cat.source_title(ex.source))


@app.command()
@guarded
def schema(kind: str = typer.Argument(..., help="profile, logs, plan or exercise")) -> None:
    """Print the JSON Schema of the profile, logs, plan or exercise format."""
    from sijcoach.engine.contract import SCHEMA_KINDS, schema_json

    if kind not in SCHEMA_KINDS:
        raise BadInput(f"schema: {kind!r} is not allowed; use one of {', '.join(SCHEMA_KINDS)}")
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
    from sijcoach.checkin import run_check_in

    try:
        run_check_in(_console(), out)
    except OSError as exc:
        raise BadInput(f"--out: cannot write {str(out)!r} ({exc.strerror})") from None


def main() -> None:
    app()


if __name__ == "__main__":
    main()
