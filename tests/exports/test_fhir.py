"""The FHIR R4 export: exported to JSON, parsed back with the R4B models, and compared with its inputs."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from export_helpers import NOW
from sijcoach.engine.guidance import library
from sijcoach.engine.profile import SessionLog, Sex
from sijcoach.engine.questionnaires import PsfsActivity
from sijcoach.exports import ExportError
from sijcoach.exports.fhir import CheckInPain, PsfsResult, Sharing, bundle
from sijcoach.exports.fhir_codes import PAIN_LOINC
from sijcoach.exports.words import dose_text, side_text as side_words

PSFS = (
    PsfsResult(dt.date(2026, 11, 1), (PsfsActivity("putting on socks", 3), PsfsActivity("walking 30 min", 5))),
    PsfsResult(dt.date(2026, 11, 15), (PsfsActivity("putting on socks", 6), PsfsActivity("walking 30 min", 6),
                                       PsfsActivity("sitting an hour", 4))),
)


def export(plan, profile, logs=(), **changes) -> bytes:
    return bundle(plan, profile, **({"person": "alice", "now": NOW, "logs": logs, "psfs": PSFS} | changes)).json


def parsed(data: bytes) -> Bundle:
    return Bundle.model_validate_json(data)


def resources(b: Bundle, kind: str) -> list:
    return [e.resource for e in b.entry if e.resource.get_resource_type() == kind]


def pain_scores(b: Bundle) -> list:
    return [o for o in resources(b, "Observation") if o.code.coding[0].code == PAIN_LOINC]


def test_the_json_parses_back_into_the_r4b_models_and_equals_their_own_dump(plan, profile, logs):
    data = export(plan, profile, logs)
    back = parsed(data)
    assert back.type == "collection"
    assert json.loads(back.model_dump_json()) == json.loads(data)


def test_the_returned_bundle_is_the_same_as_the_json(plan, profile, logs):
    model = bundle(plan, profile, person="alice", now=NOW, logs=logs, psfs=PSFS).model
    assert json.loads(model.model_dump_json()) == json.loads(export(plan, profile, logs))


def test_the_same_inputs_give_the_same_bytes_and_ids_are_urn_uuids(plan, profile, logs):
    data = export(plan, profile, logs)
    assert data == export(plan, profile, logs)
    back = parsed(data)
    assert all(e.fullUrl == f"urn:uuid:{e.resource.id}" for e in back.entry)
    assert len({e.fullUrl for e in back.entry}) == len(back.entry)


def test_the_patient_shares_nothing_but_an_id_by_default(plan, profile):
    (patient,) = resources(parsed(export(plan, profile)), "Patient")
    assert set(json.loads(patient.model_dump_json())) == {"resourceType", "id"}
    assert "alice" not in patient.id


def test_the_patient_carries_exactly_what_the_person_chose_to_share(plan, profile):
    share = Sharing(name="Alice Example", birth_year=1988, sex=Sex.FEMALE)
    (patient,) = resources(parsed(export(plan, profile, share=share)), "Patient")
    assert patient.name[0].text == "Alice Example"
    assert patient.gender == "female"
    assert str(patient.birthDate) == "1988"
    full = Sharing(birth_date=dt.date(1988, 5, 17), sex=Sex.UNSPECIFIED)
    (patient,) = resources(parsed(export(plan, profile, share=full)), "Patient")
    assert patient.birthDate == dt.date(1988, 5, 17) and patient.gender == "unknown" and not patient.name


def test_every_resource_refers_to_the_patient(plan, profile, logs):
    back = parsed(export(plan, profile, logs))
    (patient,) = resources(back, "Patient")
    others = [e.resource for e in back.entry if e.resource is not patient]
    assert {r.subject.reference for r in others} == {f"urn:uuid:{patient.id}"}


def test_the_care_plan_has_one_activity_per_exercise_and_step_of_each_routine_with_dates_and_reason(plan, profile):
    (care,) = resources(parsed(export(plan, profile)), "CarePlan")
    assert (care.status, care.intent) == ("active", "plan")
    assert care.period.start == plan.days[0].date and care.period.end == plan.days[-1].date
    planned, items = {}, {}
    for day in plan.days:
        for routine in day.routines:
            for item in routine.items:
                key = (routine.title, item.exercise, item.side.value, item.why, dose_text(item))
                planned.setdefault(key, set()).add(day.date)
                items[key] = item
    found = {}
    for activity in care.activity:
        detail = activity.detail
        key = next(k for k in items if detail.description.startswith(f"{k[0]}: ") and k[1] == detail.code.coding[0].code
                   and items[k].name == detail.code.text and side_words(items[k]) in detail.description
                   and detail.reasonCode[0].text.startswith(k[3]) and k[4] in detail.description)
        item = items[key]
        assert detail.status == "scheduled"
        assert dose_text(item) in detail.description
        assert item.why in detail.reasonCode[0].text and item.source in detail.reasonCode[0].text
        found.setdefault(key, set()).update(detail.scheduledTiming.event)
    assert found == planned


def test_each_pain_rating_is_a_loinc_observation_on_its_date_saying_when_it_was_rated(plan, profile, logs):
    scores = pain_scores(parsed(export(plan, profile, logs)))
    expected = []
    for log in logs:
        for field, when, offset in (("pain_before", "before-session", 0), ("pain_after", "after-session", 0),
                                    ("pain_next_day", "next-morning", 1)):
            if getattr(log, field) is not None:
                expected.append((log.date + dt.timedelta(days=offset), when, getattr(log, field)))
    got = [(o.effectiveDateTime, o.component[0].valueCodeableConcept.coding[0].code, o.valueInteger) for o in scores]
    assert got == expected
    for o in scores:
        assert o.status == "final"
        assert o.code.coding[0].system == "http://loinc.org"
        assert o.category[0].coding[0].code == "survey"


def test_the_pain_of_each_check_in_is_a_pain_observation_of_its_own_timing(plan, profile, logs):
    # The baseline a clinic compares against: pain at the first check-in, and at each re-check.
    rated = (CheckInPain(dt.date(2026, 11, 15), 3), CheckInPain(dt.date(2026, 11, 1), 6))
    scores = pain_scores(parsed(export(plan, profile, logs, check_ins=rated)))
    check_ins = [(o.effectiveDateTime, o.valueInteger) for o in scores
                 if o.component[0].valueCodeableConcept.coding[0].code == "check-in"]
    assert check_ins == [(dt.date(2026, 11, 1), 6), (dt.date(2026, 11, 15), 3)]  # in date order
    assert len(scores) == len(pain_scores(parsed(export(plan, profile, logs)))) + 2  # beside the sessions' own
    with pytest.raises(ExportError, match=r"check_ins: a pain score is 0 to 10, not 11 \(on 2026-11-02\)"):
        export(plan, profile, check_ins=(CheckInPain(dt.date(2026, 11, 2), 11),))


def test_psfs_results_are_observations_with_the_mean_and_one_component_per_activity(plan, profile):
    back = parsed(export(plan, profile))
    psfs = [o for o in resources(back, "Observation") if o.code.coding[0].code == "psfs"]
    assert [(o.effectiveDateTime, float(o.valueQuantity.value)) for o in psfs] == [
        (dt.date(2026, 11, 1), 4.0), (dt.date(2026, 11, 15), 5.33)]
    assert [(c.code.text, c.valueInteger) for c in psfs[1].component] == [
        ("putting on socks", 6), ("walking 30 min", 6), ("sitting an hour", 4)]
    assert "loinc" not in psfs[0].code.coding[0].system
    assert "Patient-Specific Functional Scale" in psfs[0].code.text


def test_the_red_flag_screening_answers_every_asked_flag_yes_or_no(plan, profile):
    (screening,) = resources(parsed(export(plan, profile)), "QuestionnaireResponse")
    asked = [f for f in library().flags.values() if not f.derived and not f.retired]
    assert [i.linkId for i in screening.item] == [f.id for f in asked]
    answers = {i.linkId: i.answer[0].valueBoolean for i in screening.item}
    assert {k for k, yes in answers.items() if yes} == {"history_of_cancer"}
    assert screening.status == "completed"


def test_the_screening_is_dated_when_the_warning_signs_were_answered_not_when_exported(plan, profile):
    # A physiotherapist's find: answers given on 22 Nov read as screened at the moment of the download.
    def authored(data: bytes) -> str:
        return json.loads(data)["entry"][-1]["resource"]["authored"]
    answered = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.timezone.utc)
    assert authored(export(plan, profile, screened=answered)) == "2026-11-22T09:30:00Z"
    assert authored(export(plan, profile.model_copy(update={"answered_on": dt.date(2026, 11, 20)}))) == "2026-11-20"
    assert authored(export(plan, profile.model_copy(update={"answered_on": None}))) == NOW.isoformat().replace("+00:00", "Z")
    with pytest.raises(ExportError, match="^screened: give a time-zone-aware datetime"):
        export(plan, profile, screened=dt.datetime(2026, 11, 22, 9, 30))


def test_five_years_of_repeating_scores_are_all_exported_and_each_id_and_date_checked(plan, profile):
    start = dt.date(2021, 11, 1)
    logs = tuple(SessionLog(date=start + dt.timedelta(days=n), pain_before=n % 3, pain_after=n % 2) for n in range(1826))
    scores = pain_scores(parsed(export(plan, profile, logs)))
    assert len(scores) == 2 * 1826
    assert scores[-1].effectiveDateTime == start + dt.timedelta(days=1825)
    assert len({o.id for o in scores}) == len(scores)


@pytest.mark.parametrize(("option", "value", "field"), [
    ("observation_status", "done", "Observation.status"),
    ("plan_status", "ongoing", "CarePlan.status"),
    ("bundle_type", "document", "Bundle.type"),
])
def test_a_code_outside_its_value_set_is_refused_naming_the_field_and_the_choices(plan, profile, option, value, field):
    with pytest.raises(ExportError, match=rf"^{field}: '{value}' is not allowed; use one of "):
        export(plan, profile, **{option: value})


def test_a_bad_psfs_result_or_birth_year_or_naive_time_is_refused(plan, profile):
    with pytest.raises(ExportError, match="psfs on 2026-11-01: .*0 to 10"):
        export(plan, profile, psfs=(PsfsResult(dt.date(2026, 11, 1), (PsfsActivity("socks", 11),)),))
    with pytest.raises(ExportError, match="birth_year"):
        export(plan, profile, share=Sharing(birth_year=88))
    with pytest.raises(ExportError, match="now"):
        export(plan, profile, now=dt.datetime(2026, 11, 22))


def test_a_repeated_resource_still_has_its_own_id_and_date_validated(plan, profile, logs):
    from sijcoach.exports.fhir import _Validator  # the shortcut that makes years of scores fast

    validate = _Validator()
    first = json.loads(export(plan, profile, logs))["entry"][2]["resource"]
    assert validate(first).effectiveDateTime == dt.date.fromisoformat(first["effectiveDateTime"])
    moved = validate({**first, "id": "another-id", "effectiveDateTime": "2027-01-31"})
    assert (moved.id, moved.effectiveDateTime, moved.valueInteger) == ("another-id", dt.date(2027, 1, 31),
                                                                        first["valueInteger"])
    for bad in ({"effectiveDateTime": "2027-02-31x"}, {"id": "no spaces allowed"}):
        with pytest.raises(ExportError):
            validate({**first, **bad})
