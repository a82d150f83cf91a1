"""The coach's forms on a client's page, and the client's invite code. Each maps to one service call."""

from __future__ import annotations

from dataclasses import replace

from django import forms

from sijcoach.engine.adjust import DOSE_FIELDS, MAX_VALUE
from sijcoach.engine.catalog import catalog
from sijcoach.engine.coach_limits import coach_limits
from sijcoach.engine.inputs import Problem
from sijcoach.engine.profile import Distortion
from sijcoach.web.coaching import templates_service
from sijcoach.web.coaching.models import CoachTemplate, CoachVersion
from sijcoach.web.plans import labels
from sijcoach.web.plans.fields import WholeNumberField, field_name
from sijcoach.web.problems import sentences


class ClientRecordForm(forms.Form):
    """What the client's health-record file may say about them when their coach downloads it: nothing but
    an opaque id by default, as in their own export."""

    share_name = forms.BooleanField(required=False, label="Include their email address as their name")
    share_birth_year = forms.BooleanField(required=False, label="Include their year of birth (from their age)")
    share_sex = forms.BooleanField(required=False, label="Include their sex")


def exercise_choices():
    return [(e.slug, e.name) for e in sorted(catalog(), key=lambda e: e.name)]


def dose_choices():
    """The exercises a coach may set a dose for: those of a kind with safety limits (a walk is fitted
    to the day's free minutes, and was offered only to be refused)."""
    return [(e.slug, e.name) for e in sorted(catalog(), key=lambda e: e.name) if e.kind in coach_limits()]


class SummaryForm(forms.Form):
    """A form whose problems are listed at its top as well as beside their fields, each naming its
    field in plain words (the field's label), so a refusal is seen wherever the page opens."""

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            for name, errors in list(self.errors.items()):
                if name in self.fields:
                    label = str(self.fields[name].label)
                    for e in errors:  # a message that names its field already is kept as it is
                        self.add_error(None, e if e.startswith(f"{field_name(label)}:") else f"{label}: {e}")

    def add_problems(self, problems: list[Problem]) -> None:
        """The engine's problems: beside the field they name when the form has it, and all at the top."""
        for p in problems:
            name = p.field.rsplit(".", 1)[-1]
            if name in self.fields:
                label = self.fields[name].label
                choices = dict(getattr(self.fields[name], "choices", ()))
                if isinstance(p.value, str) and p.value in choices:  # "Pelvic list", not its code "pelvic-list"
                    p = replace(p, value=choices[p.value])
                self.add_error(name, str(replace(p, field=label)).removeprefix(f"{label}: "))
                self.add_error(None, str(replace(p, field=label)))
            else:
                self.add_error(None, sentences([p])[0])


class JoinForm(forms.Form):
    code = forms.CharField(label="Invite code from your coach", max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


class PinForm(SummaryForm):
    kind = CoachVersion.Kind
    action = forms.ChoiceField(label="What to do", widget=forms.RadioSelect, initial=kind.PIN, choices=[
        (kind.PIN, "Pin: always in the plan when the client's situation allows it"),
        (kind.EXCLUDE, "Leave it out of the plan"),
        (kind.RELEASE, "Give it back to the plan (undo a pin or a leaving out)"),
    ])
    exercise = forms.ChoiceField(label="Exercise", choices=exercise_choices)
    note = forms.CharField(label="Note for the client (optional)", max_length=300, required=False)


class DoseForm(SummaryForm):
    # No bounds here but the storable one: the engine's limits depend on the kind of exercise and are
    # checked for every value at once, each named with its range and why (a bound here would stop at
    # the first, in Django's words: "Ensure this value is greater than or equal to 0", sets 0 unsaid).
    exercise = forms.ChoiceField(label="Exercise", choices=dose_choices)
    sets = forms.IntegerField(label="Sets", max_value=MAX_VALUE, required=False)
    reps = forms.IntegerField(label="Repetitions", max_value=MAX_VALUE, required=False)
    hold_s = forms.IntegerField(label="Hold (seconds)", max_value=MAX_VALUE, required=False)
    rest_s = forms.IntegerField(label="Rest between sets (seconds)", max_value=MAX_VALUE, required=False)
    note = forms.CharField(label="Note for the client (optional)", max_length=300, required=False,
                           help_text="A cue they see beside the steps while they exercise, and on the handout.")
    clear = forms.BooleanField(label="Give the dose back to the plan instead", required=False)

    def clean(self):
        data = super().clean()
        if data.get("clear") and any(data.get(k) is not None for k in DOSE_FIELDS):
            # Both ticked and typed: which one was meant is not ours to guess (the numbers were dropped).
            self.add_error("clear", "Give the dose back, or set the numbers typed, not both: to give it back, "
                                    "leave the numbers empty.")
        return data

    def dose(self) -> dict:
        return {k: self.cleaned_data[k] for k in DOSE_FIELDS if self.cleaned_data[k] is not None}


class FindingsForm(SummaryForm):
    # The examining professional says what they found: not the client's "something, I don't know what".
    distortion = forms.ChoiceField(label="Pelvic distortion found",
                                   choices={"": "Not examined (the client's own answer)", Distortion.NONE: "None found",
                                            **{d: w for d, w in labels.DISTORTION.items()
                                               if d not in (Distortion.NONE, Distortion.UNKNOWN)}},
                                   required=False)
    distortion_side = forms.ChoiceField(label="Side found",
                                        choices={"": "The client's sore side", **labels.DISTORTION_SIDE}, required=False,
                                        help_text="The realignment steps for an inflare or outflare use it; for other "
                                                  "findings it is kept with them but changes nothing in the plan.")
    tight_muscles = forms.MultipleChoiceField(label="Muscles found tight", choices=labels.GROUP_NAMES, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    tight_examined = forms.BooleanField(label="Tight muscles were examined (none ticked: none found)", required=False)
    beighton_score = WholeNumberField(label="Beighton score (0-9; empty: not measured)", min_value=0, max_value=9,
                                      required=False)

    def findings(self) -> dict:
        d = self.cleaned_data
        return {
            "distortion": d["distortion"] or None,
            "distortion_side": d["distortion_side"] or None,
            "tight_muscles": d["tight_muscles"] if (d["tight_muscles"] or d["tight_examined"]) else None,
            "beighton_score": d["beighton_score"],
        }


# The coach's notes are messages now (message_views.MessageForm).
FORMS = {"pin": PinForm, "dose": DoseForm, "findings": FindingsForm}


def coach_form(name: str, data=None, **kwargs) -> forms.Form:
    """One of the client page's forms; its ids carry its name (pin-note, dose-note), since the page
    shows them all at once and an id is unique in a page."""
    return FORMS[name](data, auto_id=f"{name}-%s", **kwargs)


# ---- templates -----------------------------------------------------------------------------------

class TemplateNameForm(forms.Form):
    name = forms.CharField(
        label="Template name", max_length=CoachTemplate.NAME_MAX,
        help_text="Only you see your templates and their names; your clients read what each change does.",
        error_messages={"required": "Template name: give the template a name.",
                        "max_length": f"Template name: at most {CoachTemplate.NAME_MAX} characters "
                                      "(this one has %(show_value)d)."})


class TemplateApplyForm(forms.Form):
    template = forms.IntegerField(label="Template", widget=forms.Select,
                                  error_messages={"required": "Template: choose one of your templates.",
                                                  "invalid": "Template: choose one of your templates."})

    def __init__(self, data=None, *, coach, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["template"].widget.choices = [(t.pk, t.name) for t in templates_service.templates(coach)]


def add_template_forms(coach, forms: dict) -> dict:
    """The client page's template forms, beside the one bound to a refused request (if any)."""
    forms.setdefault("template_save", TemplateNameForm(auto_id="template-save-%s"))
    forms.setdefault("template_apply", TemplateApplyForm(coach=coach, auto_id="template-apply-%s"))
    return forms
