"""The coach's forms on a client's page, and the client's invite code. Each maps to one service call."""

from __future__ import annotations

from django import forms

from sijcoach.engine.catalog import catalog
from sijcoach.web.coaching.models import CoachVersion
from sijcoach.web.plans import labels


def exercise_choices():
    return [(e.slug, e.name) for e in sorted(catalog(), key=lambda e: e.name)]


class JoinForm(forms.Form):
    code = forms.CharField(label="Invite code from your coach", max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


class PinForm(forms.Form):
    kind = CoachVersion.Kind
    action = forms.ChoiceField(label="What to do", widget=forms.RadioSelect, initial=kind.PIN, choices=[
        (kind.PIN, "Pin: always in the plan when the client's situation allows it"),
        (kind.EXCLUDE, "Leave it out of the plan"),
        (kind.RELEASE, "Give it back to the plan (undo a pin or a leaving out)"),
    ])
    exercise = forms.ChoiceField(label="Exercise", choices=exercise_choices)
    note = forms.CharField(label="Note for the client (optional)", max_length=300, required=False)


class DoseForm(forms.Form):
    exercise = forms.ChoiceField(label="Exercise", choices=exercise_choices)
    sets = forms.IntegerField(label="Sets", min_value=0, max_value=50, required=False)
    reps = forms.IntegerField(label="Repetitions", min_value=0, max_value=500, required=False)
    hold_s = forms.IntegerField(label="Hold (seconds)", min_value=0, max_value=7200, required=False)
    note = forms.CharField(label="Note for the client (optional)", max_length=300, required=False)
    clear = forms.BooleanField(label="Give the dose back to the plan instead", required=False)


class FindingsForm(forms.Form):
    distortion = forms.ChoiceField(label="Pelvic distortion found",
                                   choices={"": "Not examined (the client's own answer)", **labels.DISTORTION},
                                   required=False)
    tight_muscles = forms.MultipleChoiceField(label="Muscles found tight", choices=labels.GROUP_NAMES, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    tight_examined = forms.BooleanField(label="Tight muscles were examined (none ticked: none found)", required=False)
    beighton_score = forms.IntegerField(label="Beighton score (0-9; empty: not measured)", min_value=0, max_value=9,
                                        required=False)

    def findings(self) -> dict:
        d = self.cleaned_data
        return {
            "distortion": d["distortion"] or None,
            "tight_muscles": d["tight_muscles"] if (d["tight_muscles"] or d["tight_examined"]) else None,
            "beighton_score": d["beighton_score"],
        }


# The coach's notes are messages now (message_views.MessageForm).
FORMS = {"pin": PinForm, "dose": DoseForm, "findings": FindingsForm}


def coach_form(name: str, data=None, **kwargs) -> forms.Form:
    """One of the client page's forms; its ids carry its name (pin-note, dose-note), since the page
    shows them all at once and an id is unique in a page."""
    return FORMS[name](data, auto_id=f"{name}-%s", **kwargs)
