"""The non-exercise knowledge: red flags, advice, relief routines, muscle pairs, distortions."""

from __future__ import annotations

import tomllib
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from sijcoach.engine.catalog import KnowledgeError, catalog
from sijcoach.engine.plan_types import TriageLevel
from sijcoach.engine.profile import RedFlag
from sijcoach.engine.vocab import Group, Kind
from sijcoach.knowledge import DIR


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RedFlagInfo(_Data):
    id: str
    level: TriageLevel
    question: str
    reason: str
    source: str
    derived: bool = False  # raised from other answers, never asked
    retired: bool = False  # no longer asked; kept so that saved answers holding it still count
    gentle: bool = True  # at see_doctor_soon: the plan is limited to beginner exercises
    action: str | None = None  # what to do, when the level's own action would not say it
    heading: str | None = None  # its heading on Today, when the level's ("... soon") would overstate it
    topic: str | None = None  # the group the check-in asks it in (Library.topics); derived signs have none


class AdviceInfo(_Data):
    topic: str
    when: str
    text: str
    source: str


# Each advice topic's heading, as pages, the handout and the command line print it (a test checks that
# every topic in advice.toml has one).
TOPIC_HEADINGS = {
    "after_caesarean": "After a caesarean", "after_the_birth": "After the birth", "heat_ice": "Heat and ice",
    "hypermobility": "Bendy joints",
    "muscle_balance": "Muscle balance", "not_a_diagnosis": "Not a diagnosis", "pain_monitoring": "Pain as a guide",
    "postnatal_check": "Your postnatal check", "pregnancy": "In pregnancy", "realignment": "Realignment",
    "recovery": "Recovery days", "safety": "Safety", "self_release": "Releasing tight muscles", "sleep": "Sleep",
    "strength_timeline": "How soon strength comes", "walking": "Walking",
}


def topic_heading(topic: str) -> str:
    return TOPIC_HEADINGS.get(topic) or topic.replace("_", " ").capitalize()


class Slot(_Data):
    options: tuple[str, ...] = Field(min_length=1)
    why: str
    source: str


class PairInfo(_Data):
    tight: Group
    weak: tuple[Group, ...]
    stretch: tuple[str, ...]
    source: str


class DistortionInfo(_Data):
    id: str
    name: str  # "anterior rotation (the hip bone turned forward)"
    tight: tuple[Group, ...]
    weak: tuple[Group, ...]
    why: str
    source: str


RED_FLAG_IDS = frozenset(f.value for f in RedFlag)
ADVICE_WHEN = frozenset({
    "always", "acute", "not_acute", "pregnant", "not_pregnant", "pregnant_after_first_trimester",
    "postpartum", "recently_pregnant", "caesarean_recovery",
    "strength", "alignment", "tight_weak", "hip_flexors_tight", "hypermobile",
})


class Library(_Data):
    actions: dict[TriageLevel, str]
    topics: dict[str, str]  # the check-in's groups of warning signs, in the order asked: id -> heading
    flags: dict[str, RedFlagInfo]
    advice: tuple[AdviceInfo, ...]
    relief: dict[str, tuple[Slot, ...]]
    pairs: dict[Group, PairInfo]
    distortions: dict[str, DistortionInfo]


def _load(name: str) -> dict:
    with (DIR / name).open("rb") as fh:
        return tomllib.load(fh)


def _check(lib: Library) -> None:
    cat = catalog()
    problems = []
    slugs = [s for slots in lib.relief.values() for slot in slots for s in slot.options]
    slugs += [s for pair in lib.pairs.values() for s in pair.stretch]
    problems += [f"unknown exercise {s!r} in routines.toml" for s in slugs if s not in cat]
    sources = [f.source for f in lib.flags.values()] + [a.source for a in lib.advice]
    sources += [s.source for slots in lib.relief.values() for s in slots]
    sources += [p.source for p in lib.pairs.values()] + [d.source for d in lib.distortions.values()]
    problems += [f"unknown source {s!r}" for s in sources if s not in cat.sources]
    problems += [f"advice 'when' {a.when!r} unknown" for a in lib.advice if a.when not in ADVICE_WHEN]
    problems += [f"red flag {f.id!r} is not in the profile's vocabulary" for f in lib.flags.values()
                 if not f.derived and f.id not in RED_FLAG_IDS]
    asked = [f for f in lib.flags.values() if not f.derived and not f.retired]
    problems += [f"red flag {f.id!r} is asked but its topic {f.topic!r} is not in [topics]" for f in asked
                 if f.topic not in lib.topics]
    problems += [f"topic {t!r} has no red flag asked in it" for t in lib.topics if t not in {f.topic for f in asked}]
    problems += [f"relief option {s!r} is of kind strength; strength work has its own days"
                 for slots in lib.relief.values() for slot in slots for s in slot.options
                 if s in cat and cat[s].kind == Kind.STRENGTH]
    if set(lib.relief) != {"stiff", "unstable", "acute"}:
        problems.append("routines.toml needs relief.stiff, relief.unstable and relief.acute")
    if problems:
        raise KnowledgeError("; ".join(problems))


@cache
def library() -> Library:
    flags = _load("red_flags.toml")
    routines = _load("routines.toml")
    lib = Library(
        actions={TriageLevel(k): v for k, v in flags["actions"].items()},
        topics=flags["topics"],
        flags={f["id"]: RedFlagInfo(**f) for f in flags["flag"]},
        advice=tuple(AdviceInfo(**a) for a in _load("advice.toml")["advice"]),
        relief={k: tuple(Slot(**s) for s in v) for k, v in routines["relief"].items()},
        pairs={Group(p["tight"]): PairInfo(**p) for p in routines["pair"]},
        distortions={d["id"]: DistortionInfo(**d) for d in routines["distortion"]},
    )
    _check(lib)
    return lib
