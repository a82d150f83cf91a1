"""The coded values the FHIR export may write, and the check that a value belongs to its value set.

fhir.resources checks structure and primitive formats but not codes (a gender of 'banana' passes),
so every code the export writes goes through `checked` first. The sets are the R4 required value
sets, cut down where the export only ever means a few of them.
"""

from __future__ import annotations

from sijcoach.exports import ExportError

LOINC = "http://loinc.org"
PAIN_LOINC = "72514-3"
PAIN_LOINC_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM = "http://unitsofmeasure.org"

VALUE_SETS: dict[str, frozenset[str]] = {
    # http://hl7.org/fhir/R4/valueset-administrative-gender.html
    "Patient.gender": frozenset({"male", "female", "other", "unknown"}),
    # http://hl7.org/fhir/R4/valueset-request-status.html
    "CarePlan.status": frozenset({"draft", "active", "on-hold", "revoked", "completed", "entered-in-error",
                                  "unknown"}),
    # http://hl7.org/fhir/R4/valueset-care-plan-intent.html
    "CarePlan.intent": frozenset({"proposal", "plan", "order", "option"}),
    # http://hl7.org/fhir/R4/valueset-care-plan-activity-status.html
    "CarePlan.activity.detail.status": frozenset({
        "not-started", "scheduled", "in-progress", "on-hold", "completed", "cancelled", "stopped", "unknown",
        "entered-in-error",
    }),
    # http://hl7.org/fhir/R4/valueset-observation-status.html: only the statuses of a result that exists.
    "Observation.status": frozenset({"registered", "preliminary", "final", "amended"}),
    # http://hl7.org/fhir/R4/valueset-observation-category.html: pain and PSFS are both surveys.
    "Observation.category": frozenset({"survey"}),
    # The one LOINC code the export writes (pain 0-10, reported).
    "Observation.code (LOINC)": frozenset({PAIN_LOINC}),
    # http://hl7.org/fhir/R4/valueset-questionnaire-answers-status.html
    "QuestionnaireResponse.status": frozenset({"in-progress", "completed", "amended", "entered-in-error", "stopped"}),
    # http://hl7.org/fhir/R4/valueset-bundle-type.html: a collection; a document would need a Composition.
    "Bundle.type": frozenset({"collection"}),
    # http://hl7.org/fhir/R4/valueset-units-of-time.html
    "Timing.repeat.periodUnit": frozenset({"s", "min", "h", "d", "wk", "mo", "a"}),
}


def checked(field: str, value: str) -> str:
    """The value if its value set allows it; otherwise an ExportError naming the field and the choices."""
    allowed = VALUE_SETS[field]
    if value not in allowed:
        raise ExportError(f"{field}: {value!r} is not allowed; use one of {', '.join(sorted(allowed))}")
    return value
