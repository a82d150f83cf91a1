"""The sources the engine's own rules cite, by their id in knowledge/sources.toml.

Defined once here, so a rule that two modules apply (pain monitoring, the muscle-group swap) cites the
same source in both; a test checks that every id is in the knowledge base.
"""

from __future__ import annotations

from enum import StrEnum


class SourceId(StrEnum):
    PAIN_MONITORING = "silbernagel-2007"  # pain during and the morning after exercise
    MUSCLE_GROUPS = "three-muscle-groups"  # swapping an exercise for another of its group
    MOBILIZATIONS = "mobilizations"  # flares and a joint that goes out
    PAIN_CHANGE = "ostelo-2008"  # the meaningful change in pain
    FUNCTION_CHANGE = "stratford-1995"  # the meaningful change on the functional scale
    HYPERMOBILITY = "hakim-grahame-2003"  # the five-part questionnaire
    PROGRAMME = "programme-practice"  # phases and missed days
    WALKING = "nice-ng194"  # the daily walk
    PELVIC_GIRDLE_PAIN = "nhs-pgp"  # in pregnancy and after a birth: the maternity team, not only a GP
