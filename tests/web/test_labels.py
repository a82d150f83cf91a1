"""Plain words for the engine's coded values: every member of each enum has its words, and the forms
offer exactly the engine's values."""

from __future__ import annotations

from enum import StrEnum

import pytest

from sijcoach.engine.profile import (
    Birth, Cause, Condition, Distortion, DistortionSide, History, InflammatorySign, Pregnancy, Sex, SoreSide,
)
from sijcoach.engine.vocab import Difficulty, Equipment, Group
from sijcoach.web.coaching.forms import FindingsForm as CoachFindingsForm
from sijcoach.web.plans import checkin_forms, labels

TABLES = {name: table for name, table in vars(labels).items() if name.isupper() and isinstance(table, dict)}


def test_the_labels_module_has_its_tables():
    assert {"SEX", "PREGNANCY", "CAUSE", "HISTORY", "CONDITIONS", "DISTORTION", "DIFFICULTY", "EQUIPMENT_NAMES",
            "GROUP_WORDS", "GROUP_NAMES"} <= set(TABLES)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_value_of_the_enum_has_words(name):
    table = TABLES[name]
    enums = {type(member) for member in table}
    assert len(enums) == 1, f"{name} is keyed by {enums}, not one enum's members"
    enum = enums.pop()
    assert issubclass(enum, StrEnum)
    missing = [member.value for member in enum if member not in table]
    assert not missing, f"{name} has no words for {missing}"
    assert all(isinstance(words, str) and words.strip() for words in table.values())


@pytest.mark.parametrize("form, field, enum", [
    (checkin_forms.AboutForm, "sex", Sex), (checkin_forms.AboutForm, "pregnancy", Pregnancy),
    (checkin_forms.AboutForm, "sore_side", SoreSide), (checkin_forms.AboutForm, "cause", Cause),
    (checkin_forms.AboutForm, "birth", Birth), (checkin_forms.HistoryForm, "history", History),
    (checkin_forms.HistoryForm, "conditions", Condition), (checkin_forms.HistoryForm, "inflammatory_signs", InflammatorySign),
    (checkin_forms.FindingsForm, "distortion", Distortion), (checkin_forms.FindingsForm, "distortion_side", DistortionSide),
    (checkin_forms.FindingsForm, "tight_muscles", Group), (checkin_forms.SetupForm, "equipment", Equipment),
    (checkin_forms.SetupForm, "level", Difficulty), (CoachFindingsForm, "tight_muscles", Group),
    (CoachFindingsForm, "distortion_side", DistortionSide),
])
def test_the_forms_offer_exactly_the_engines_values(form, field, enum):
    offered = [str(value) for value, _ in form().fields[field].choices if value != ""]
    assert sorted(offered) == sorted(member.value for member in enum)


def test_the_coachs_findings_offer_every_distortion_but_the_clients_unknown():
    offered = [str(value) for value, _ in CoachFindingsForm().fields["distortion"].choices if value != ""]
    assert sorted(offered) == sorted(d.value for d in Distortion if d != Distortion.UNKNOWN)


def test_a_choice_renders_and_reads_back_as_the_plain_value():
    form = checkin_forms.SetupForm({"equipment": ["mat", "swiss_ball"], "level": "advanced",
                                    "minutes_per_day": "20", "strength_days_per_week": "2"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["equipment"] == ["mat", "swiss_ball"] and form.cleaned_data["level"] == "advanced"
    html = str(checkin_forms.SetupForm()["level"])
    assert 'value="beginner"' in html and "Difficulty." not in html
