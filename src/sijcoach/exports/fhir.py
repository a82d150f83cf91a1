"""A person's plan, pain scores, PSFS results and red-flag answers as a FHIR R4 Bundle (collection).

Each resource is written as FHIR JSON by a small builder, every code in it is checked against our
value sets (fhir_codes), and then it is validated by constructing the fhir.resources R4B model, so
nothing leaves that the models refuse. The bytes are the validated JSON itself (json.dumps is far
faster than dumping the models; the round-trip test proves the two agree). Ids are uuid5 of the
person key and what the resource is, so the same inputs always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import TypeAdapter, ValidationError

from sijcoach.engine.guidance import library
from sijcoach.engine.plan_types import Plan
from sijcoach.engine.profile import Profile, SessionLog, Sex
from sijcoach.engine.questionnaires import PsfsActivity, psfs_score
from sijcoach.engine.screening import blocks_plan
from sijcoach.exports import ExportError
from sijcoach.exports.fhir_codes import (
    LOINC, OBSERVATION_CATEGORY, PAIN_LOINC, PAIN_LOINC_DISPLAY, UCUM, checked,
)
from sijcoach.exports.words import dose_text, side_text

# The canonical home of our own code systems and questionnaire. A site passes its own address.
DEFAULT_BASE_URL = "https://sijcoach.example/fhir"
_NAMESPACE = uuid.UUID("b0c5e7f4-51d2-4c1e-8a0e-7d6f2f3e9a11")  # fixed: ids must never change
_GENDER = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "other", Sex.UNSPECIFIED: "unknown"}
PAIN_TIMES = {  # SessionLog field -> (our code, words, days after the session the rating was made)
    "pain_before": ("before-session", "Before the session", 0),
    "pain_after": ("after-session", "After the session", 0),
    "pain_next_day": ("next-morning", "On waking the next morning", 1),
}
CHECK_IN_PAIN = ("check-in", "At a check-in (pain right now)")  # the baseline, and each re-check


@dataclass(frozen=True, slots=True)
class Sharing:
    """What the person chose to put in the Patient resource; by default nothing but an opaque id."""

    name: str | None = None
    birth_date: dt.date | None = None
    birth_year: int | None = None  # used when only the year is shared
    sex: Sex | None = None


@dataclass(frozen=True, slots=True)
class PsfsResult:
    """One PSFS rating: the person's activities, each scored 0 (unable) to 10 (as before), on a date."""

    date: dt.date
    activities: tuple[PsfsActivity, ...]


@dataclass(frozen=True, slots=True)
class CheckInPain:
    """The pain the person rated (0-10) when they answered a check-in, on the day the answers describe."""

    date: dt.date
    pain: int


@dataclass(frozen=True, slots=True)
class _Context:
    person: str
    base: str
    patient_url: str
    observation_status: str

    def url(self, *key: object) -> tuple[str, str]:
        return _ids(self.person, *key)


def _ids(person: str, *key: object) -> tuple[str, str]:
    """(id, fullUrl) for a resource named by key, stable for the same person."""
    rid = str(uuid.uuid5(_NAMESPACE, "|".join([person, *map(str, key)])))
    return rid, f"urn:uuid:{rid}"


def _instant(moment: dt.datetime) -> str:
    """FHIR's form of an aware time, as the R4B models write it (UTC as 'Z')."""
    text = moment.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _coding(system: str, code: str, display: str) -> dict:
    return {"system": system, "code": code, "display": display}


def _patient(ctx: _Context, rid: str, share: Sharing) -> dict:
    res: dict = {"resourceType": "Patient", "id": rid}
    if share.name:
        res["name"] = [{"text": share.name}]
    if share.sex is not None:
        res["gender"] = checked("Patient.gender", _GENDER.get(share.sex, str(share.sex)))
    if share.birth_date is not None:
        res["birthDate"] = share.birth_date.isoformat()
    elif share.birth_year is not None:
        if not 1900 <= share.birth_year <= 2999:
            raise ExportError(f"birth_year: {share.birth_year} is not allowed; use a year from 1900 to 2999")
        res["birthDate"] = f"{share.birth_year:04d}"
    return res


def _activities(ctx: _Context, plan: Plan) -> list[dict]:
    # One activity per exercise per routine (and dose, side and purpose: a protocol may repeat an
    # exercise as a later step); its timing lists the dates it is planned on.
    groups: dict[tuple, dict] = {}
    for day in plan.days:
        for routine in day.routines:
            for item in routine.items:
                key = (routine.kind.value, routine.title, item.exercise, item.side.value, dose_text(item), item.why)
                found = groups.setdefault(key, {"routine": routine, "item": item, "dates": []})
                if day.date.isoformat() not in found["dates"]:
                    found["dates"].append(day.date.isoformat())
    activities = []
    for (_, title, _, _, dose, _), g in groups.items():
        item, routine = g["item"], g["routine"]
        side = side_text(item)
        timing: dict = {"event": g["dates"]}
        if routine.times_per_day > 1:
            timing["repeat"] = {"frequency": routine.times_per_day, "period": 1,
                                "periodUnit": checked("Timing.repeat.periodUnit", "d")}
        detail = {
            "code": {"coding": [_coding(f"{ctx.base}/CodeSystem/exercise", item.exercise, item.name)],
                     "text": item.name},
            "reasonCode": [{"text": f"{item.why} (source: {item.source})"}],
            "status": checked("CarePlan.activity.detail.status", "scheduled"),
            "scheduledTiming": timing,
            "description": f"{title}: {dose}" + (f", {side}" if side else "")
            + (f". {item.condition}" if item.condition else ""),
        }
        activities.append({"detail": detail})
    return activities


def _care_plan(ctx: _Context, rid: str, plan: Plan, status: str, now: dt.datetime) -> dict:
    res = {
        "resourceType": "CarePlan", "id": rid,
        "status": checked("CarePlan.status", status),
        "intent": checked("CarePlan.intent", "plan"),
        "title": "SI Joint Coach exercise plan",
        "description": plan.disclaimer,
        "subject": {"reference": ctx.patient_url},
        "created": _instant(now),
        "note": [{"text": f"{a.text} (source: {a.source})"} for a in plan.advice],
    }
    if blocks_plan(plan.triage):  # a plan stopped by warning signs says first what to do instead
        res["note"].insert(0, {"text": f"Stopped: {plan.triage.action}"})
    if plan.days:
        res["period"] = {"start": plan.days[0].date.isoformat(), "end": plan.days[-1].date.isoformat()}
    activities = _activities(ctx, plan)
    if activities:
        res["activity"] = activities
    return res


def _survey(ctx: _Context) -> list[dict]:
    return [{"coding": [_coding(OBSERVATION_CATEGORY, checked("Observation.category", "survey"), "Survey")]}]


def _pain_parts(ctx: _Context) -> dict[str, dict]:
    """What every pain Observation of one export shares, built (and its codes checked) once per field."""
    shared = {
        "resourceType": "Observation",
        "status": checked("Observation.status", ctx.observation_status),
        "category": _survey(ctx),
        "code": {"coding": [_coding(LOINC, checked("Observation.code (LOINC)", PAIN_LOINC), PAIN_LOINC_DISPLAY)],
                 "text": "Pain 0-10"},
        "subject": {"reference": ctx.patient_url},
    }
    timing = {"coding": [_coding(f"{ctx.base}/CodeSystem/observation", "pain-timing", "When pain was rated")],
              "text": "When pain was rated"}
    times = {field: (code, words) for field, (code, words, _) in PAIN_TIMES.items()} | {"check_in": CHECK_IN_PAIN}
    return {
        field: {**shared, "component": [{"code": timing, "valueCodeableConcept": {
            "coding": [_coding(f"{ctx.base}/CodeSystem/pain-timing", code, words)], "text": words}}]}
        for field, (code, words) in times.items()
    }


def _pain(parts: dict[str, dict], rid: str, when: dt.date, field: str, value: int) -> dict:
    """A pain score; `field`: a SessionLog pain field, or "check_in"."""
    shared = parts[field]
    return {"resourceType": "Observation", "id": rid, "status": shared["status"], "category": shared["category"],
            "code": shared["code"], "subject": shared["subject"], "effectiveDateTime": when.isoformat(),
            "valueInteger": value, "component": shared["component"]}


def _psfs(ctx: _Context, rid: str, result: PsfsResult) -> dict:
    try:
        mean = psfs_score(result.activities)
    except ValueError as exc:
        raise ExportError(f"psfs on {result.date.isoformat()}: {exc}") from None
    return {
        "resourceType": "Observation", "id": rid,
        "status": checked("Observation.status", ctx.observation_status),
        "category": _survey(ctx),
        # PSFS has no LOINC code; it is named in our own code system, and in words.
        "code": {"coding": [_coding(f"{ctx.base}/CodeSystem/instrument", "psfs", "Patient-Specific Functional Scale")],
                 "text": "Patient-Specific Functional Scale (mean; 0 = unable, 10 = as before)"},
        "subject": {"reference": ctx.patient_url},
        "effectiveDateTime": result.date.isoformat(),
        "valueQuantity": {"value": mean, "unit": "score", "system": UCUM, "code": "{score}"},
        "component": [{"code": {"text": a.activity}, "valueInteger": a.score} for a in result.activities],
    }


def _screening(ctx: _Context, rid: str, profile: Profile, authored: dt.datetime | dt.date) -> dict:
    answered = {flag.value for flag in profile.red_flags}
    # Derived flags are worked out, not asked; a retired question only when the answers hold it.
    asked = [f for f in library().flags.values() if not f.derived and (not f.retired or f.id in answered)]
    return {
        "resourceType": "QuestionnaireResponse", "id": rid,
        "questionnaire": f"{ctx.base}/Questionnaire/red-flags",
        "status": checked("QuestionnaireResponse.status", "completed"),
        "subject": {"reference": ctx.patient_url},
        "authored": _instant(authored) if isinstance(authored, dt.datetime) else authored.isoformat(),
        "item": [{"linkId": f.id, "text": f.question, "answer": [{"valueBoolean": f.id in answered}]} for f in asked],
    }


_MODELS = {"Patient": Patient, "CarePlan": CarePlan, "Observation": Observation,
           "QuestionnaireResponse": QuestionnaireResponse}
_VARYING = ("id", "effectiveDateTime")


class _Validator:
    """Validates every resource with its R4B model, cheaply for resources that repeat.

    Years of pain scores are thousands of Observations that differ only in id and date, and a full
    model validation costs ~0.3 ms each. A resource equal to an already validated one but for those
    two fields is a copy of it with the two values validated on their own by the very types the
    model declares for them (FHIR's id and dateTime, a few µs), so every resource is still checked.
    """

    def __init__(self) -> None:
        self.seen: dict[str, object] = {}
        self.fields: dict[tuple[type, str], TypeAdapter] = {}

    def _field(self, model: type, name: str) -> TypeAdapter:
        adapter = self.fields.get((model, name))
        if adapter is None:
            info = model.model_fields[name]
            kind = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
            adapter = self.fields[(model, name)] = TypeAdapter(kind)
        return adapter

    def __call__(self, res: dict):
        rest = {k: v for k, v in res.items() if k not in _VARYING}
        key = json.dumps(rest, separators=(",", ":"), check_circular=False)
        exemplar = self.seen.get(key)
        if exemplar is None:
            self.seen[key] = instance = _MODELS[res["resourceType"]].model_validate(res)
            return instance
        model = type(exemplar)
        try:
            update = {k: self._field(model, k).validate_python(res[k]) for k in _VARYING if k in res}
        except ValidationError as exc:  # never expected: ids and dates are made here
            raise ExportError(f"{res['resourceType']}: {exc}") from None
        return exemplar.model_copy(update=update)


def _entries(ctx, plan, profile, logs, psfs, check_ins, share, now, plan_status, screened) -> list[tuple[str, dict]]:
    entries = [(ctx.patient_url, _patient(ctx, ctx.url("Patient")[0], share))]
    rid, url = ctx.url("CarePlan", plan.start.isoformat())
    entries.append((url, _care_plan(ctx, rid, plan, plan_status, now)))
    per_date: dict[dt.date, int] = {}
    parts = _pain_parts(ctx)
    for log in sorted(logs, key=lambda entry: entry.date):  # stable: same-day sessions keep their order
        nth = per_date[log.date] = per_date.get(log.date, -1) + 1
        for field in PAIN_TIMES:
            value = getattr(log, field)
            if value is not None:
                rid, url = ctx.url("pain", log.date.isoformat(), nth, field)
                when = log.date + dt.timedelta(days=PAIN_TIMES[field][2])
                entries.append((url, _pain(parts, rid, when, field, value)))
    per_date = {}
    for rated in sorted(check_ins, key=lambda c: c.date):  # numbered within their day, as sessions are
        nth = per_date[rated.date] = per_date.get(rated.date, -1) + 1
        rid, url = ctx.url("pain", rated.date.isoformat(), "check-in", nth)
        entries.append((url, _pain(parts, rid, rated.date, "check_in", rated.pain)))
    for result in sorted(psfs, key=lambda r: r.date):
        rid, url = ctx.url("psfs", result.date.isoformat())
        entries.append((url, _psfs(ctx, rid, result)))
    rid, url = ctx.url("QuestionnaireResponse", "red-flags")
    entries.append((url, _screening(ctx, rid, profile, screened)))
    return entries


@dataclass(frozen=True, slots=True)
class FhirExport:
    """The validated R4B Bundle, and the same Bundle as FHIR JSON bytes (UTF-8)."""

    model: Bundle
    json: bytes


def bundle(
    plan: Plan,
    profile: Profile,
    *,
    person: str,
    now: dt.datetime,
    logs: Sequence[SessionLog] = (),
    psfs: Sequence[PsfsResult] = (),
    check_ins: Sequence[CheckInPain] = (),
    share: Sharing = Sharing(),
    base_url: str = DEFAULT_BASE_URL,
    observation_status: str = "final",
    plan_status: str | None = None,
    bundle_type: str = "collection",
    screened: dt.datetime | dt.date | None = None,
) -> FhirExport:
    """Patient, CarePlan, pain and PSFS Observations and the red-flag screening, as a FHIR R4 Bundle.

    person: a stable key for the person, hashed into every id and never written out itself;
    now: an aware datetime, the Bundle's timestamp;
    check_ins: the pain rated at each check-in (the baseline and each re-check), beside the sessions' scores;
    share: what the Patient resource may say (nothing but an id by default);
    base_url: the canonical home of our code systems and the red-flag questionnaire;
    plan_status: the CarePlan's status; by default "on-hold" while a warning sign stops the plan (its
    note says what to do), else "active";
    screened: when the warning signs were answered (an aware datetime, or a day), the screening's
    `authored`: by default the day the answers describe (profile.answered_on), else `now`.
    The same inputs give the same bytes.
    """
    if now.tzinfo is None:
        raise ExportError("now: give a time-zone-aware datetime (e.g. in UTC)")
    if not person:
        raise ExportError("person: give a stable key for the person (any non-empty text)")
    if plan_status is None:
        plan_status = "on-hold" if blocks_plan(plan.triage) else "active"
    wrong = [c for c in check_ins if not 0 <= c.pain <= 10]
    if wrong:
        raise ExportError(f"check_ins: a pain score is 0 to 10, not {wrong[0].pain} (on {wrong[0].date.isoformat()})")
    if isinstance(screened, dt.datetime) and screened.tzinfo is None:
        raise ExportError("screened: give a time-zone-aware datetime (e.g. in UTC), or a day")
    screened = screened or profile.answered_on or now
    ctx = _Context(person, base_url.rstrip("/"), _ids(person, "Patient")[1], observation_status)
    entries = _entries(ctx, plan, profile, tuple(logs), tuple(psfs), tuple(check_ins), share, now, plan_status,
                       screened)
    validate = _Validator()
    shell = {"resourceType": "Bundle", "id": ctx.url("Bundle", now.isoformat())[0],
             "type": checked("Bundle.type", bundle_type), "timestamp": _instant(now)}
    model = Bundle.model_validate({**shell, "entry": [{"fullUrl": url, "resource": validate(res)}
                                                      for url, res in entries]})
    data = {**shell, "entry": [{"fullUrl": url, "resource": res} for url, res in entries]}
    return FhirExport(model, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
