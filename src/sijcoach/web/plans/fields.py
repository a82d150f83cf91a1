"""Form fields asked in more than one place, so they are asked the same way everywhere: pain as eleven
buttons from 0 to 10, how long ago as a number with a unit ("2 weeks"), kept in days, and whole
numbers within a range, refused with the whole range."""

from __future__ import annotations

import re

from django import forms

from sijcoach.engine.durations import MAX_DAYS, Unit, from_days, to_days

PAIN_HINT = "0 means no pain, 10 the worst pain you can imagine."
# The levels as text: a page writes them as they are, where a number would go through Django's number
# formatting, eleven times per scale and four times per button (PainField turns the answer into an int).
PAIN_LEVELS = tuple(str(n) for n in range(11))
PAIN_CHOICES = [(level, level) for level in PAIN_LEVELS]


class PainScale(forms.RadioSelect):
    """Eleven large buttons, 0 to 10, in one radio group (keyboard: the arrow keys move along it)."""

    template_name = "widgets/pain_scale.html"
    is_pain_scale = True  # form_fields.html shows it with pain_question.html

    def __init__(self, attrs=None, choices=PAIN_CHOICES):
        super().__init__(attrs, choices)


class PainField(forms.TypedChoiceField):
    widget = PainScale

    def __init__(self, **kw):
        kw.setdefault("choices", PAIN_CHOICES)
        kw.setdefault("help_text", PAIN_HINT)
        super().__init__(coerce=int, **kw)
        self.error_messages["required"] = "Choose a number from 0 (no pain) to 10 (the worst)."
        self.error_messages["invalid_choice"] = (
            "Pain is a whole number from 0 (no pain) to 10 (the worst); %(value)s is not one of them.")


class AmountAndUnit(forms.MultiWidget):
    template_name = "widgets/amount_unit.html"

    def __init__(self, attrs=None):
        super().__init__([
            forms.NumberInput(attrs={"min": 0, "inputmode": "numeric", "aria-label": "How many"}),
            forms.Select(choices=[(u.value, u.value) for u in Unit],
                         attrs={"aria-label": "Days, weeks, months or years"}),
        ], attrs)

    def decompress(self, value):
        if value is None or value == "":
            return [None, Unit.WEEKS.value]
        amount, unit = from_days(int(value))
        return [amount, unit.value]


class HowLongAgoField(forms.MultiValueField):
    """How long ago, typed as a number and a unit; cleaned to days (a week 7, a month 30, a year 365)."""

    widget = AmountAndUnit

    def __init__(self, **kw):
        amount_errors = {"invalid": "Type how many as a whole number, such as 2.",
                         "min_value": "Type how many as 0 or more.", "required": "Type how many, such as 2."}
        unit_errors = {"invalid_choice": "Choose days, weeks, months or years.",
                       "required": "Choose days, weeks, months or years."}
        super().__init__(fields=(
            forms.IntegerField(min_value=0, error_messages=amount_errors),
            forms.ChoiceField(choices=[(u.value, u.value) for u in Unit], error_messages=unit_errors),
        ), **kw)
        self.error_messages["required"] = "Say how long ago, for example 2 weeks or 4 months."
        self.error_messages["incomplete"] = "Give both a number and a unit, for example 2 weeks."

    def compress(self, data_list):
        if not data_list:
            return None
        days = to_days(data_list[0], Unit(data_list[1]))
        if days > MAX_DAYS:
            raise forms.ValidationError("That is more than 100 years ago: give a number of days, weeks, months "
                                        "or years up to 100 years.")
        return days


def field_name(label) -> str:
    """A field's label as its name in a message: without the hint in brackets ("Beighton score (0-9;
    empty: not measured)" -> "Beighton score")."""
    return re.sub(r"\s*\(.*\)$", "", str(label))


class WholeNumberField(forms.IntegerField):
    """A whole number within a range, refused with the field's name and the whole range (Django's own
    words name only the bound crossed: "Ensure this value is greater than or equal to 10")."""

    def __init__(self, *, min_value: int, max_value: int, said_as: str | None = None, **kw):
        """`said_as`: the field's name in its message, where the label is a question ("How well...?")."""
        super().__init__(min_value=min_value, max_value=max_value, **kw)
        name = said_as or field_name(self.label or "This answer")
        allowed = f"{name}: choose a whole number from {min_value} to {max_value}."
        for key in ("invalid", "min_value", "max_value"):
            self.error_messages[key] = allowed
