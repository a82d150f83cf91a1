"""Hypothesis strategies for profiles and logs, built from the contract's own vocabularies."""

import datetime as dt

from hypothesis import strategies as st

from sijcoach.engine.catalog import catalog
from sijcoach.engine.profile import (
    Birth, Cause, Condition, Distortion, DistortionSide, Effort, History, InflammatorySign, Intensity, Pregnancy,
    RedFlag, Sex, SoreSide,
)
from sijcoach.engine.plan_types import RoutineKind
from sijcoach.engine.vocab import Difficulty, Equipment, Group, Side

START = dt.date(2026, 11, 23)
SLUGS = sorted(catalog().slugs)


def _values(enum):
    return [m.value for m in enum]


def subsets(values, max_size=None):
    return st.lists(st.sampled_from(values), unique=True, max_size=max_size or len(values))


@st.composite
def profiles(draw, red_flags=True):
    pregnancy = draw(st.sampled_from(_values(Pregnancy)))
    age = draw(st.integers(12, 110))
    profile = {
        "age": age,
        "sex": draw(st.sampled_from(_values(Sex))),
        "pregnancy": pregnancy,
        "sore_side": draw(st.sampled_from(_values(SoreSide))),
        "pain_now": draw(st.integers(0, 10)),
        "onset_days_ago": draw(st.one_of(st.integers(0, 5), st.integers(0, 60), st.integers(0, 2000))),
        "cause": draw(st.sampled_from(_values(Cause))),
        "history": draw(subsets(_values(History), 4)),
        "distortion": draw(st.sampled_from(_values(Distortion))),
        "tight_muscles": draw(subsets(_values(Group), 3)),
        "conditions": draw(subsets(_values(Condition), 3)),
        "equipment": draw(subsets(_values(Equipment))),
        "level": draw(st.sampled_from(_values(Difficulty))),
        "minutes_per_day": draw(st.integers(10, 60)),
        "strength_days_per_week": draw(st.integers(0, 4)),
        "avoid": draw(subsets(SLUGS, 4)),
    }
    if draw(st.booleans()):
        profile["cause"] = draw(st.sampled_from(["fall", "car_accident"]))
        profile["fracture_ruled_out"] = draw(st.booleans())
    if draw(st.booleans()):
        profile["inflammatory_signs"] = draw(subsets(_values(InflammatorySign), 2))
    if draw(st.booleans()):
        profile["distortion_side"] = draw(st.sampled_from(_values(DistortionSide)))
    if pregnancy == "postpartum":
        profile["birth"] = draw(st.sampled_from(_values(Birth)))
    if red_flags:
        profile["red_flags"] = draw(st.one_of(st.just([]), subsets(_values(RedFlag), 2)))
    if pregnancy != "none" and draw(st.booleans()):
        profile["pregnancy_weeks"] = draw(st.integers(0, 43))
    if draw(st.booleans()):
        profile["hypermobility_answers"] = draw(st.lists(st.sampled_from([True, False, None]), min_size=5, max_size=5))
    if draw(st.booleans()):
        profile["beighton_score"] = draw(st.integers(0, 9))
    activities = draw(st.lists(st.tuples(st.integers(-2, 9), st.sampled_from(_values(Intensity))), max_size=3))
    profile["planned_activities"] = [
        {"date": (START + dt.timedelta(days=d)).isoformat(), "kind": "activity", "intensity": i}
        for d, i in activities
    ]
    return profile


pains = st.one_of(st.none(), st.integers(0, 10))


@st.composite
def logs(draw, max_sessions=12):
    sessions = []
    for _ in range(draw(st.integers(0, max_sessions))):
        items = [
            {
                "exercise": draw(st.sampled_from(SLUGS)),
                "side": draw(st.sampled_from(_values(Side))),
                "sets_done": draw(st.integers(0, 4)),
                "reps_done": draw(st.integers(0, 20)),
                "pain": draw(pains),
                "effort": draw(st.one_of(st.none(), st.sampled_from(_values(Effort)))),
                "skipped": draw(st.booleans()),
            }
            for _ in range(draw(st.integers(0, 4)))
        ]
        session = {
            "date": (START - dt.timedelta(days=draw(st.integers(0, 45)))).isoformat(),
            "pain_before": draw(pains),
            "pain_after": draw(pains),
            "pain_next_day": draw(pains),
            "joint_went_out": draw(st.booleans()),
            "items": items,
        }
        if draw(st.booleans()):
            session["routine"] = draw(st.sampled_from(_values(RoutineKind)))
        sessions.append(session)
    return sessions
