"""The interactive check-in: warning signs first, then the person, then what they have and want.

It stops with what to do now on an emergency or urgent answer. Answers are checked as they are typed
(the question is asked again with what is allowed), and the profile is validated by the engine before
it is written, so a saved profile always makes a plan.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from rich.console import Console
from rich.panel import Panel

from sijcoach.engine.durations import parse_duration
from sijcoach.engine.inputs import parse_profile
from sijcoach.engine.profile import (
    DAYS_PER_YEAR, POSTNATAL_CHECK_WEEKS, Condition, Distortion, DistortionSide, InflammatorySign,
)
from sijcoach.engine.guidance import library
from sijcoach.engine.plan_types import TriageLevel
from sijcoach.engine.questionnaires import HYPERMOBILITY_QUESTIONS
from sijcoach.engine.screening import flags_action, screen
from sijcoach.engine.vocab import DEFAULT_EQUIPMENT, Equipment, Group

YES = {"y", "yes"}
NO = {"n", "no"}
UNSURE = {"", "?", "not sure", "unsure", "u"}


class Asker:
    def __init__(self, console: Console):
        self.c = console

    def _input(self, prompt: str) -> str:
        try:
            # markup=False: the [y/n] and [default] hints must show as typed, not as Rich styles.
            return self.c.input(prompt, markup=False).strip()
        except EOFError:
            import typer

            typer.echo("\nno more answers: the check-in stopped and nothing was saved", err=True)
            raise typer.Exit(1) from None

    def yes(self, question: str, default: bool | None = None) -> bool:
        hint = {True: "[Y/n]", False: "[y/N]", None: "[y/n]"}[default]
        while True:
            answer = self._input(f"{question} {hint} ").lower()
            if not answer and default is not None:
                return default
            if answer in YES or answer in NO:
                return answer in YES
            self.c.print("  Please answer y (yes) or n (no).")

    def yes_no_unsure(self, question: str) -> bool | None:
        """y, n or ? (not sure, also Enter): True, False or None."""
        while True:
            answer = self._input(f"{question} [y/n/? not sure] ").lower()
            if answer in YES or answer in NO:
                return answer in YES
            if answer in UNSURE:
                return None
            self.c.print("  Please answer y (yes), n (no) or ? (not sure).")

    def duration(self, question: str) -> int:
        """How long ago, typed as '2 weeks' or '4 months': in days."""
        while True:
            answer = self._input(f"{question} (for example 3 days, 2 weeks, 4 months, 1 year) ")
            try:
                return parse_duration(answer)
            except ValueError as exc:
                self.c.print(f"  {exc}.", markup=False)

    def number(self, question: str, low: int, high: int, default: int | None = None) -> int | None:
        shown = f" [{default}]" if default is not None else ""
        while True:
            answer = self._input(f"{question} ({low}-{high}){shown} ")
            if not answer and default is not None:
                return default
            if answer.lstrip("-").isdigit() and low <= int(answer) <= high:
                return int(answer)
            self.c.print(f"  Please type a whole number from {low} to {high}.")

    def optional_number(self, question: str, low: int, high: int) -> int | None:
        while True:
            answer = self._input(f"{question} ({low}-{high}, or Enter to skip) ")
            if not answer:
                return None
            if answer.isdigit() and low <= int(answer) <= high:
                return int(answer)
            self.c.print(f"  Please type a whole number from {low} to {high}, or press Enter to skip.")

    def choice(self, question: str, options: list[str], default: str) -> str:
        while True:
            answer = self._input(f"{question} ({'/'.join(options)}) [{default}] ").lower()
            if not answer:
                return default
            if answer in options:
                return answer
            self.c.print(f"  Please type one of: {', '.join(options)}.")

    def several(self, question: str, options: list[str], default: tuple[str, ...] = ()) -> list[str]:
        shown = ", ".join(default) if default else "none"
        while True:
            self.c.print(f"{question}\n  options: {', '.join(options)}")
            answer = self._input(f"  comma-separated, 'none', or Enter for [{shown}]: ").lower()
            if not answer:
                return list(default)
            if answer == "none":
                return []
            picked = [a.strip() for a in answer.split(",") if a.strip()]
            wrong = [p for p in picked if p not in options]
            if not wrong:
                return list(dict.fromkeys(picked))
            self.c.print(f"  Not an option: {', '.join(wrong)}.")


def _stop(console: Console, action: str, reasons: list[str]) -> None:
    console.print(Panel(
        "\n".join([action] + [f"- {r}" for r in reasons]) + "\n\nNo exercise plan is made. Nothing was saved.",
        title="Stop: get help", border_style="red",
    ), markup=False)


def run_check_in(console: Console, out: Path) -> dict | None:
    """The answers as saved to `out`; None when a warning sign stopped the check-in (nothing saved)."""
    ask = Asker(console)
    lib = library()
    console.print(Panel(
        "This check-in asks about warning signs first, then about you and your pain. It is not a "
        "diagnosis and does not replace a doctor or physiotherapist.",
        title="SI Joint Coach check-in",
    ))
    profile: dict = {"red_flags": []}

    def flags(level: TriageLevel) -> bool:
        """Ask one level's questions; on an emergency or urgent yes, say what to do at once and stop."""
        for flag in lib.flags.values():
            if flag.level == level and not flag.derived and not flag.retired and ask.yes(flag.question):
                profile["red_flags"].append(flag.id)
                if level in (TriageLevel.EMERGENCY, TriageLevel.URGENT):
                    # The flag's own action where it has one (a pregnancy sign: the maternity unit).
                    _stop(console, flags_action([flag.id]), [flag.reason])
                    return True
        return False

    console.print("[bold]Warning signs[/bold]")
    if flags(TriageLevel.EMERGENCY) or flags(TriageLevel.URGENT):
        return None  # nothing else matters now, and no plan is made
    profile["age"] = ask.number("Your age in years?", 12, 110)
    profile["pain_now"] = ask.number("Pain right now, 0 (none) to 10 (worst)?", 0, 10)
    while True:  # checked here, not at the end after every other answer
        profile["onset_days_ago"] = ask.duration("How long ago did this episode of pain start?")
        if profile["onset_days_ago"] <= profile["age"] * DAYS_PER_YEAR:
            break
        console.print(f"  That is longer ago than your age ({profile['age']} years): the pain cannot have begun "
                      "before you were born.", markup=False)
    flags(TriageLevel.SEE_DOCTOR_SOON)

    console.print("[bold]About you and your pain[/bold]")
    profile["sex"] = ask.choice("Sex?", ["female", "male", "other", "unspecified"], "unspecified")
    if profile["sex"] != "male":
        profile["pregnancy"] = ask.choice("Pregnant or recently given birth?", ["none", "pregnant", "postpartum"], "none")
        if profile["pregnancy"] == "pregnant":
            profile["pregnancy_weeks"] = ask.optional_number("How many weeks pregnant?", 0, 43)
        elif profile["pregnancy"] == "postpartum":
            profile["pregnancy_weeks"] = ask.optional_number("How many weeks since the birth?", 0, 104)
            profile["birth"] = ask.choice("How was the baby born?", ["vaginal", "caesarean", "unknown"], "unknown")
            weeks = profile.get("pregnancy_weeks")
            if profile["birth"] != "vaginal" and (weeks is None or weeks >= POSTNATAL_CHECK_WEEKS):
                profile["postnatal_check_done"] = ask.yes_no_unsure(
                    "Have you had your postnatal check (6-8 weeks after the birth) and been told you can build up "
                    "exercise?") is True
        if profile.get("pregnancy_weeks") is None:
            profile.pop("pregnancy_weeks", None)
    profile["sore_side"] = ask.choice("Which side hurts?", ["left", "right", "both", "unsure"], "unsure")
    profile["cause"] = ask.choice(
        "How did it start?", ["fall", "lifting", "car_accident", "sport", "pregnancy", "gradual", "unknown"], "unknown"
    )
    if profile["cause"] in ("fall", "car_accident"):
        profile["fracture_ruled_out"] = ask.yes(
            "Since the fall or accident, has a doctor checked you and ruled out a broken bone?")
    profile["inflammatory_signs"] = ask.several(
        "About your back pain: which of these are true? (morning stiffness over 30 minutes; better with movement, "
        "not with rest; waking in the second half of the night; pain switching between the buttocks; a family "
        "history of spondyloarthritis)", [i.value for i in InflammatorySign])
    profile["history"] = ask.several("Which of these apply to you?", [
        "sedentary", "persistent_low_back_pain", "fall_on_buttocks", "arthritis", "very_flexible",
        "connective_tissue_disorder", "joint_goes_out", "lumbar_fusion", "leg_length_difference", "scoliosis",
    ])
    console.print("[bold]Flexibility (five questions: yes, no or not sure)[/bold]")
    profile["hypermobility_answers"] = [ask.yes_no_unsure(q) for q in HYPERMOBILITY_QUESTIONS]

    console.print("[bold]What a professional found (optional)[/bold]")
    beighton = ask.optional_number("Beighton score measured by a professional", 0, 9)
    if beighton is not None:
        profile["beighton_score"] = beighton
    profile["distortion"] = ask.choice("Pelvic distortion a professional found", [d.value for d in Distortion], "none")
    if profile["distortion"] in (Distortion.INFLARE, Distortion.OUTFLARE):
        side = ask.choice("On which side was it found? (unsure: your sore side)",
                          [*(s.value for s in DistortionSide), "unsure"], "unsure")
        if side != "unsure":
            profile["distortion_side"] = side
    profile["tight_muscles"] = ask.several("Muscles a professional found tight", [g.value for g in Group])
    profile["conditions"] = ask.several("Other problems", [c.value for c in Condition])

    console.print("[bold]Equipment, level and time[/bold]")
    profile["equipment"] = ask.several(
        "Equipment you have", [e.value for e in Equipment], tuple(e.value for e in DEFAULT_EQUIPMENT)
    )
    profile["level"] = ask.choice("Exercise level", ["beginner", "intermediate", "advanced"], "beginner")
    profile["minutes_per_day"] = ask.number("Minutes a day for exercises", 10, 120, 20)
    profile["strength_days_per_week"] = ask.number("Strength days a week", 0, 4, 3)
    return _finish(console, profile, out)


def _finish(console: Console, profile: dict, out: Path) -> dict:
    # The day the answers describe: the plan counts weeks of pregnancy and days since onset on from it.
    profile["answered_on"] = dt.date.today().isoformat()
    person = parse_profile(profile)  # the same checks as `sijcoach plan`, so the file always works
    triage = screen(person)
    if triage.level == TriageLevel.SEE_DOCTOR_SOON:
        console.print(Panel(triage.action, title="See a doctor soon", border_style="yellow"))
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(profile, indent=2) + "\n", encoding="utf-8")
    tmp.replace(out)  # written whole or not at all
    console.print(f"Profile saved to {out}. Next: sijcoach plan {out}", markup=False)
    return profile
