"""Rich rendering of plans and exercises for the terminal."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sijcoach.engine.catalog import Exercise
from sijcoach.engine.guidance import topic_heading
from sijcoach.engine.plan_types import Plan, TriageLevel
from sijcoach.exports.words import dose_text

_TRIAGE_STYLE = {
    TriageLevel.NONE: "green",
    TriageLevel.SEE_DOCTOR_SOON: "yellow",
    TriageLevel.URGENT: "bold red",
    TriageLevel.EMERGENCY: "bold white on red",
}


def triage_panel(plan: Plan) -> Panel:
    t = plan.triage
    lines = [Text(t.action, style="bold")]
    lines += [Text(f"- {r.text}") for r in t.reasons]
    title = "Safety check: " + t.level.value.replace("_", " ")
    return Panel(Group(*lines), title=title, border_style=_TRIAGE_STYLE[t.level])


def render_plan(console: Console, plan: Plan) -> None:
    console.print(triage_panel(plan))
    if plan.assessment is None:
        console.print(Text(plan.disclaimer, style="dim"))
        return
    a = plan.assessment
    console.print(Panel(
        Group(
            Text(f"Likely pattern: {a.pattern.value} (plan built for: {a.plans_as.value}); "
                 f"phase: {a.phase.value}; sore side: {a.side}"),
            *[Text(f"- {r}") for r in a.reasons],
            Text(a.caveat, style="dim"),
        ),
        title="What your answers suggest",
    ))
    if plan.programme is not None:
        console.print(Panel(Text(plan.programme.why), title=plan.programme.title))
    for adv in plan.advice:
        console.print(Text.assemble((f"{topic_heading(adv.topic)}: ", "bold"), adv.text))
    for day in plan.days:
        console.rule(f"{day.date:%a %d %b %Y}: {day.minutes:g} min", align="left")
        for routine in day.routines:
            rounds = f", {routine.times_per_day} times" if routine.times_per_day > 1 else ""
            table = Table(title=f"{routine.title} ({routine.minutes:g} min{rounds})", box=box.SIMPLE_HEAD,
                          title_justify="left", expand=True)
            table.add_column("#", justify="right", no_wrap=True)
            table.add_column("Exercise", ratio=2)
            table.add_column("Side", no_wrap=True)
            table.add_column("Dose", ratio=2)
            table.add_column("Min", justify="right", no_wrap=True)
            table.add_column("Why", ratio=5)
            for index, item in enumerate(routine.items, 1):
                why = item.why + (f" ({item.condition})" if item.condition else "")
                side = "-" if item.side.value == "none" else item.side.value
                table.add_row(str(index), item.name, side, dose_text(item), f"{item.minutes:g}", why)
            console.print(table)
            if routine.note:
                console.print(Text(f"  {routine.note}", style="italic"))
        for note in day.notes:
            console.print(Text(f"  note: {note}", style="italic"))
    for change in plan.changes:
        console.print(Text(f"change ({change.kind.value}): {change.reason}", style="cyan"))
    for warning in plan.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))
    console.print(Text(plan.disclaimer, style="dim"))


def exercise_table(exercises: list[Exercise]) -> Table:
    table = Table(box=box.SIMPLE_HEAD)
    for column in ("slug", "name", "kind", "level", "groups", "position", "equipment"):
        table.add_column(column)
    for ex in exercises:
        table.add_row(ex.slug, ex.name, ex.kind.value, ex.difficulty.value, ", ".join(ex.groups),
                      ex.position.value, ", ".join(ex.equipment) or "-")
    return table


def render_exercise(console: Console, ex: Exercise, source_title: str, names: dict[str, str]) -> None:
    """`names`: exercise names by slug, for the easier and harder versions."""
    from sijcoach.engine.suitability import SITUATION_WORDS

    d = ex.dose
    words = lambda values: ", ".join(str(v).replace("_", " ").replace("-", " ") for v in values)  # noqa: E731

    dose = f"{d.sets} sets x {d.reps} reps"
    if d.hold_s.high:
        dose += f", hold {d.hold_s} s"
    if d.rest_s.high:
        dose += f", rest {d.rest_s} s"
    dose += (" per side" if d.per_side else "") + f", {d.times_per_day} time(s) a day"
    body = [
        Text(words([ex.kind.value, ex.difficulty.value, ex.position.value, ex.laterality.value])),
        Text(f"Trains: {words(ex.groups)}" + (f" (also {words(ex.secondary_groups)})" if ex.secondary_groups else "")),
        Text(f"Equipment: {words(ex.equipment) or 'none'}"),
        Text(f"Dose: {dose}"),
        Text("Steps:", style="bold"),
        *[Text(f"  {i}. {s}") for i, s in enumerate(ex.steps, 1)],
        Text(f"What you should feel: {ex.feel}"),
        Text("Common mistakes: " + "; ".join(ex.mistakes)),
        Text("Stop if: " + "; ".join(ex.stop_if)),
    ]
    if ex.cautions:
        body.append(Text("Cautions: " + " ".join(ex.cautions), style="yellow"))
    if ex.unsuitable_for:
        body.append(Text("Not for: " + "; ".join(SITUATION_WORDS[s] for s in ex.unsuitable_for)))
    if ex.regression or ex.progression:
        easier, harder = (names.get(s, "-") if s else "-" for s in (ex.regression, ex.progression))
        body.append(Text(f"Easier: {easier}   Harder: {harder}"))
    body.append(Text(f"Source: {source_title}", style="dim"))
    console.print(Panel(Group(*body), title=ex.name))
