"""The check-in wizard's pages, one topic each. Field names are the engine profile's."""

from __future__ import annotations

from django import forms

from sijcoach.engine.guidance import library
from sijcoach.engine.plan_types import TriageLevel
from sijcoach.engine.questionnaires import HYPERMOBILITY_QUESTIONS
from sijcoach.engine.vocab import DEFAULT_EQUIPMENT
from sijcoach.web.plans import labels
from sijcoach.web.plans.fields import HowLongAgoField, PainField, WholeNumberField

POSTPARTUM_WEEKS = 104  # two years, as the question says (empty would mean the first six weeks)
YES_NO_UNSURE = [("yes", "Yes"), ("no", "No"), ("", "Not sure")]
ANSWER_OF = {"yes": True, "no": False, "": None}  # a hypermobility answer as the profile keeps it
CHOICE_OF = {v: k for k, v in ANSWER_OF.items()}
LEVEL_ORDER = (TriageLevel.EMERGENCY, TriageLevel.URGENT, TriageLevel.SEE_DOCTOR_SOON)


class Checkboxes(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kw):
        kw.setdefault("required", False)
        super().__init__(**kw)


class FlagsForm(forms.Form):
    title = "Warning signs"
    intro = ("These questions come first because a few back problems need a doctor, not exercise. "
             "Tick any that are true for you now.")

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        lib = library()
        for topic in lib.topics:  # in groups, the most pressing signs first within each
            for level in LEVEL_ORDER:
                for flag in lib.flags.values():
                    if flag.topic == topic and flag.level == level and not flag.derived and not flag.retired:
                        self.fields[f"flag_{flag.id}"] = forms.BooleanField(label=flag.question, required=False)

    def groups(self) -> list[tuple[str, list]]:
        """The signs as the page shows them: (the group's heading, its bound fields), in order."""
        lib = library()
        return [(heading, [self[name] for name in self.fields if lib.flags[name[5:]].topic == topic])
                for topic, heading in lib.topics.items()]

    def to_answers(self) -> dict:
        return {"red_flags": [name[5:] for name, v in self.cleaned_data.items() if v]}

    @staticmethod
    def initial_from(answers: dict) -> dict:
        return {f"flag_{f}": True for f in answers.get("red_flags", [])}


class AboutForm(forms.Form):
    title = "You and your pain"
    intro = "About you, and about this episode of pain."
    age = WholeNumberField(label="Your age", min_value=12, max_value=110)
    sex = forms.ChoiceField(label="Sex", choices=labels.SEX, initial="unspecified")
    pregnancy = forms.ChoiceField(label="Pregnant or recently given birth?", choices=labels.PREGNANCY, initial="none")
    pregnancy_weeks = forms.IntegerField(
        label="Weeks pregnant, or weeks since the birth (leave empty if unsure)", min_value=0,
        required=False)
    pain_now = PainField(label="Pain right now, from 0 (none) to 10 (worst imaginable)")
    onset_days_ago = HowLongAgoField(label="How long ago did this episode of pain start?",
                                     help_text="Roughly is fine: for example 3 days, 2 weeks, 4 months or 1 year.")
    sore_side = forms.ChoiceField(label="Which side hurts?", choices=labels.SORE_SIDE, initial="unsure",
                                  widget=forms.RadioSelect)
    cause = forms.ChoiceField(label="How did it start?", choices=labels.CAUSE, initial="unknown")
    fracture_ruled_out = forms.BooleanField(
        label="Since the fall or accident, a doctor has checked me and ruled out a broken bone", required=False)
    birth = forms.ChoiceField(label="If you gave birth recently: how was the baby born?", choices=labels.BIRTH,
                              initial="unknown", required=False)
    postnatal_check_done = forms.BooleanField(
        label="After a caesarean: I have had my postnatal check (6-8 weeks after the birth) and was told I can "
              "build up exercise", required=False)

    def clean(self):
        data = super().clean()
        if data.get("pregnancy") == "none" and data.get("pregnancy_weeks") is not None:
            self.add_error("pregnancy_weeks", "Leave this empty unless you are pregnant or gave birth recently.")
        if data.get("pregnancy") == "pregnant" and (data.get("pregnancy_weeks") or 0) > 43:
            self.add_error("pregnancy_weeks", "Weeks of pregnancy go from 0 to 43.")
        if data.get("pregnancy") != "postpartum" or not data.get("birth"):
            data["birth"] = "unknown"  # only asked about a recent birth
        if data.get("pregnancy") != "postpartum" or data.get("birth") == "vaginal":
            data["postnatal_check_done"] = False  # only asked after a caesarean (or a birth not described)
        if data.get("pregnancy") == "postpartum" and (data.get("pregnancy_weeks") or 0) > POSTPARTUM_WEEKS:
            self.add_error("pregnancy_weeks", f"Weeks since the birth go from 0 to {POSTPARTUM_WEEKS}: "
                                              f"enter {POSTPARTUM_WEEKS} if the birth was longer ago.")
        return data

    def to_answers(self) -> dict:
        # An empty field is kept as None, so it clears the weeks a previous check-in gave.
        return dict(self.cleaned_data)


class HistoryForm(forms.Form):
    title = "History and flexibility"
    intro = "Your history helps tell a stiff joint from a loose one."
    history = Checkboxes(label="Which of these apply to you?", choices=labels.HISTORY)
    conditions = Checkboxes(label="Other problems to plan around", choices=labels.CONDITIONS)
    inflammatory_signs = Checkboxes(label="About your back pain: which of these are true?",
                                    choices=labels.INFLAMMATORY_SIGNS)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        for i, question in enumerate(HYPERMOBILITY_QUESTIONS):
            self.fields[f"hm_{i}"] = forms.ChoiceField(
                label=question, choices=YES_NO_UNSURE, required=False, widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Answer yes, no or not sure; %(value)s is not one of them."})

    def to_answers(self) -> dict:
        d = {k: self.cleaned_data[k] for k in ("history", "conditions", "inflammatory_signs")}
        # Each answer yes, no or not sure (None): the engine scores what is answered.
        d["hypermobility_answers"] = [ANSWER_OF[self.cleaned_data.get(f"hm_{i}", "")]
                                      for i in range(len(HYPERMOBILITY_QUESTIONS))]
        return d

    @staticmethod
    def initial_from(answers: dict) -> dict:
        out = {k: answers.get(k, []) for k in ("history", "conditions", "inflammatory_signs")}
        for i, a in enumerate(answers.get("hypermobility_answers") or []):
            out[f"hm_{i}"] = CHOICE_OF[a]
        return out


class FindingsForm(forms.Form):
    title = "What a professional found (optional)"
    intro = "Only if a doctor or physiotherapist examined you. Leave anything you were not told."
    distortion = forms.ChoiceField(
        label="Pelvic distortion found", choices=labels.DISTORTION, initial="none",
        help_text="The names examiners give a pelvic bone found out of line: an inflare or outflare is turned in or "
                  "out, a rotation tipped forward (anterior) or back (posterior), an upslip shifted up. Choose the "
                  "one you were told: an inflare or outflare adds realignment steps to your plan.")
    distortion_side = forms.ChoiceField(label="On which side was it found?",
                                        choices={"": "The sore side / not told", **labels.DISTORTION_SIDE},
                                        required=False, initial="")
    beighton_score = WholeNumberField(
        label="Beighton score (0-9)", min_value=0, max_value=9, required=False,
        help_text="A nine-point test of how far the joints bend (little fingers, thumbs, elbows, knees, and palms "
                  "flat on the floor with straight knees), done by an examiner. Leave it empty if it was not measured.")
    tight_muscles = Checkboxes(label="Muscles found tight", choices=labels.GROUP_NAMES,
                               help_text="Only muscles an examiner told you were tight.")

    def to_answers(self) -> dict:
        answers = dict(self.cleaned_data)  # an empty score clears an earlier one
        answers["distortion_side"] = answers.get("distortion_side") or None
        return answers


class SetupForm(forms.Form):
    title = "Equipment, level and time"
    intro = "The plan uses only what you have and fits the time you give it."
    equipment = Checkboxes(label="Equipment you have", choices=labels.EQUIPMENT_NAMES,
                           initial=[e.value for e in DEFAULT_EQUIPMENT],
                           help_text="No gym needed: a rug, a wall, a doorway and a chair are enough for a full "
                                     "plan. Untick only what you really do not have.")
    level = forms.ChoiceField(label="Exercise level", choices=labels.DIFFICULTY, initial="beginner",
                              widget=forms.RadioSelect)
    minutes_per_day = WholeNumberField(label="Minutes a day", min_value=10, max_value=120, initial=20)
    strength_days_per_week = WholeNumberField(
        label="Strength days a week (0-4; never two in a row)", min_value=0, max_value=4, initial=3)

    def to_answers(self) -> dict:
        return dict(self.cleaned_data)


class ActivitiesForm(forms.Form):
    title = "Three things your back makes hard"
    intro = ("Name up to three everyday activities your back makes hard (for example ‘putting on socks’) "
             "and rate how well you can do each: 0 = not at all, 10 = as well as before. "
             "You will re-rate them every two weeks to see real change.")

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        for i in range(3):
            self.fields[f"activity_{i}"] = forms.CharField(label=f"Activity {i + 1}", max_length=120, required=False)
            self.fields[f"score_{i}"] = WholeNumberField(label=f"How well can you do activity {i + 1}? (0-10)",
                                                          said_as=f"Activity {i + 1}'s rating",
                                                          min_value=0, max_value=10, required=False)

    def clean(self):
        data = super().clean()
        for i in range(3):
            name, score = (data.get(f"activity_{i}") or "").strip(), data.get(f"score_{i}")
            if name and score is None and f"score_{i}" not in self.errors:  # not twice for a rating of 11
                self.add_error(f"score_{i}", "Rate this activity from 0 to 10, or leave its name empty.")
            if score is not None and not name:
                self.add_error(f"activity_{i}", "Name the activity you rated, or clear its rating.")
        return data

    def to_psfs(self) -> list[tuple[str, int]]:
        d = self.cleaned_data
        return [(d[f"activity_{i}"].strip(), d[f"score_{i}"]) for i in range(3) if (d.get(f"activity_{i}") or "").strip()]


STEPS = {
    "warning-signs": FlagsForm,
    "about": AboutForm,
    "history": HistoryForm,
    "findings": FindingsForm,
    "setup": SetupForm,
    "activities": ActivitiesForm,
}
# Which page asks each profile field: an engine complaint is shown on that page.
FIELD_STEP = {
    "red_flags": "warning-signs", "history": "history", "conditions": "history", "inflammatory_signs": "history",
    "distortion_side": "findings", "birth": "about", "fracture_ruled_out": "about",
    "postnatal_check_done": "about",
    "hypermobility_answers": "history", "distortion": "findings", "beighton_score": "findings",
    "tight_muscles": "findings", "equipment": "setup", "level": "setup", "minutes_per_day": "setup",
    "strength_days_per_week": "setup",
}
