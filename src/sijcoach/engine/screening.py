"""Red-flag screening (clinical-notes section 2): single items suffice, the most serious level wins.

Some flags are raised from other answers (`derived_flags`): very high pain now, new pain at an age
where it is atypical, a suspected fracture after a fall or a car accident, and inflammatory back pain.
"""

from __future__ import annotations

from dataclasses import replace

from sijcoach.engine.catalog import catalog
from sijcoach.engine.guidance import library
from sijcoach.engine.plan_types import Reason, Triage, TriageLevel
from sijcoach.engine.profile import Cause, Condition, Pregnancy, Profile, RedFlag
from sijcoach.engine.referral import referral_for

_ORDER = (TriageLevel.NONE, TriageLevel.SEE_DOCTOR_SOON, TriageLevel.URGENT, TriageLevel.EMERGENCY)
NEW_PAIN_DAYS = 90
PAIN_NOW_SOON = 8
FRACTURE_DAYS = 42  # six weeks
FRACTURE_AGE = 70
INFLAMMATORY_DAYS = 90  # three months or more
INFLAMMATORY_ONSET_AGE = 45
PREGNANCY_FLAGS = frozenset({
    RedFlag.PREGNANCY_EMERGENCY_SIGN, RedFlag.PREGNANCY_MATERNITY_SIGN, RedFlag.PREGNANCY_WARNING_SIGN,
})


def fall_with_weak_bones(profile: Profile) -> bool:
    """A fall with osteoporosis, long-term steroids or age 70+: the fall may have cracked a bone."""
    risk = {Condition.OSTEOPOROSIS, Condition.LONG_TERM_STEROIDS} & set(profile.conditions)
    return (profile.cause == Cause.FALL and (bool(risk) or profile.age >= FRACTURE_AGE)) or (
        RedFlag.OSTEOPOROSIS_MINOR_FALL in profile.red_flags)


def suspected_fracture(profile: Profile) -> bool:
    """Onset in the last six weeks after a car accident or such a fall, not yet ruled out by a doctor.
    (Major trauma that the person reports is the emergency flag, not this.)"""
    if profile.fracture_ruled_out or profile.onset_days_ago > FRACTURE_DAYS:
        return False
    return profile.cause == Cause.CAR_ACCIDENT or fall_with_weak_bones(profile)


def fracture_why(profile: Profile) -> str | None:
    """Why an exercise waits while a fracture is suspected (None: none is), in words for the person and
    for a coach alike."""
    if not suspected_fracture(profile):
        return None
    event = "the car accident" if profile.cause == Cause.CAR_ACCIDENT else "the fall"
    return (f"a doctor has not yet excluded a fracture from {event}, and until one has there is no loading or "
            "mobilising exercise")


def inflammatory_back_pain(profile: Profile) -> bool:
    """NICE NG65: back pain for 3+ months that began before 45, with any sign of inflammation."""
    onset_age = profile.age - profile.onset_days_ago / 365.25
    return bool(profile.inflammatory_signs) and profile.onset_days_ago >= INFLAMMATORY_DAYS and (
        onset_age < INFLAMMATORY_ONSET_AGE)


def derived_flags(profile: Profile) -> list[str]:
    """Flags raised by other answers."""
    found = []
    if profile.pain_now >= PAIN_NOW_SOON:
        found.append("pain_now_high")
    if profile.onset_days_ago < NEW_PAIN_DAYS and (profile.age < 20 or profile.age > 50):
        found.append("new_pain_young_or_older")
    if suspected_fracture(profile):
        found.append("suspected_fracture")
    if inflammatory_back_pain(profile):
        found.append("inflammatory_back_pain")
    return found


def flags_level(ids: list[str]) -> TriageLevel:
    """The most serious level among these flags (a single one suffices)."""
    flags = library().flags
    return max((flags[i].level for i in ids if i in flags), key=_ORDER.index, default=TriageLevel.NONE)


def _notes(profile: Profile) -> tuple[str, ...]:
    ticked = PREGNANCY_FLAGS & set(profile.red_flags)
    if ticked and profile.pregnancy != Pregnancy.PREGNANT:
        return ("A pregnancy warning sign was ticked although the answers do not say you are pregnant. "
                "It is taken as given, the safer reading: act on it as below.",)
    return ()


def screen(profile: Profile) -> Triage:
    triage = screen_flags([flag.value for flag in profile.red_flags] + derived_flags(profile), _notes(profile))
    also = referral_for(profile).also()
    if triage.level == TriageLevel.SEE_DOCTOR_SOON and also:
        # Severe pain, lost mobility or no progress in pregnancy or after a birth is most often pelvic
        # girdle pain: the maternity team is told as well as the doctor (engine/referral.py).
        triage = replace(triage, action=f"{triage.action} {also}")
    return triage


def screen_flags(ids: list[str], notes: tuple[str, ...] = ()) -> Triage:
    """The triage for these flags alone (the web's check-in stops on its first page with them)."""
    lib = library()
    hits = [lib.flags[i] for i in ids]
    level = flags_level(ids)
    # Only the reasons that set the level lead; lesser ones follow so nothing is hidden.
    hits.sort(key=lambda h: -_ORDER.index(h.level))
    reasons = tuple(Reason(h.id, h.reason, catalog().source_title(h.source)) for h in hits)
    leading = [h for h in hits if h.level == level]
    gentle = level == TriageLevel.SEE_DOCTOR_SOON and any(h.gentle for h in leading)
    own = {h.heading for h in leading}
    heading = own.pop() if len(own) == 1 and None not in own else ""
    return Triage(level=level, reasons=reasons, action=flags_action(ids), gentle=gentle, notes=notes, heading=heading)


# What to call a level's action: its own (a doctor, for urgent), and one that only the signs' own
# actions give (a pregnancy sign's maternity unit): the stop page's and the handout's headings.
ACTION_HEADINGS = {
    TriageLevel.EMERGENCY: ("Get help now", "Get help now"),
    TriageLevel.URGENT: ("See a doctor today", "Get advice now"),  # the signs' own: the maternity unit, day or night
    TriageLevel.SEE_DOCTOR_SOON: ("Book a doctor or physiotherapist soon", "See a doctor soon"),
}


def _leading(ids: list[str], level: TriageLevel) -> list:
    """The flags among `ids` that set the level, each once."""
    flags = library().flags
    return [flags[i] for i in dict.fromkeys(ids) if i in flags and flags[i].level == level]


def flags_heading(ids: list[str]) -> str:
    """The heading for these flags' action (they hold at least one flag): the level's, or the one for
    signs with their own action when every leading sign has one."""
    level = flags_level(ids)
    general, own = ACTION_HEADINGS[level]
    leading = _leading(ids, level)
    return own if leading and all(h.action for h in leading) else general


def flags_action(ids: list[str]) -> str:
    """What to do, for these flags: the level's action, and each leading flag's own (a pregnancy
    warning sign names the maternity unit; a suspected fracture, being seen within days)."""
    lib = library()
    level = flags_level(ids)
    leading = _leading(ids, level)
    general = lib.actions.get(level, "No warning signs in your answers. Start gently and stop anything that hurts.")
    actions = [general] if not leading or any(h.action is None for h in leading) else []
    actions += [h.action for h in leading if h.action]
    return " ".join(dict.fromkeys(actions))


STOPPING = (TriageLevel.URGENT, TriageLevel.EMERGENCY)  # no plan: get help first


def blocks_plan(triage: Triage) -> bool:
    return triage.level in STOPPING
