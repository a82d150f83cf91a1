"""Who to see about pain that is severe, rising or not improving: one rule for every message that
sends the person to a professional (the triage, the warning signs in the logs, pain now).

In pregnancy and in the year after a birth, pain around the pelvis is most often pregnancy-related
pelvic girdle pain, which the maternity team looks after and refers on to a physiotherapist who treats
it; so the advice names the midwife or maternity team, not only a doctor (NHS pelvic girdle pain
leaflets, clinical-notes 5; the pregnancy warning signs go to the maternity unit too, clinical-notes 2).
"""

from __future__ import annotations

from dataclasses import dataclass

from sijcoach.engine.profile import Pregnancy, Profile, recently_pregnant
from sijcoach.engine.sources import SourceId


@dataclass(frozen=True)
class Referral:
    ask: str  # what to do, to follow "please": "see a doctor or physiotherapist"
    why: str = ""  # what makes it differ from the general advice: "you are pregnant"
    # Where naming someone other than a doctor comes from. A message keeps its own rule's source (the
    # meaningful change in pain, say); the plan's advice on who to tell in pregnancy and after a birth
    # (knowledge/advice.toml, topics pregnancy and after_the_birth) cites this one.
    source: SourceId | None = None
    heading: str = ""  # what a see-a-doctor-soon heading adds: "and tell your midwife"

    def also(self) -> str:
        """A sentence to follow a doctor's appointment ("" without a pregnancy or a recent birth)."""
        return f"As {self.why}, also {self.ask}." if self.why else ""


GENERAL = Referral("see a doctor or physiotherapist")
PREGNANT = Referral(
    "tell your midwife or maternity team, who can refer you to a physiotherapist who treats pelvic girdle "
    "pain in pregnancy", "you are pregnant", SourceId.PELVIC_GIRDLE_PAIN, "and tell your midwife")
# Up to a year after the birth (the window in which the engine takes the pelvis as loosened by the
# pregnancy, profile.recently_pregnant). The midwife's care ends some weeks after the birth, so the GP is
# named beside them, and the physiotherapist is the one who treats pelvic girdle pain after pregnancy.
AFTER_BIRTH = Referral(
    "tell your midwife or GP, and ask for a physiotherapist who treats pelvic girdle pain after pregnancy",
    "you gave birth in the last year", SourceId.PELVIC_GIRDLE_PAIN, "and tell your midwife or GP about the birth")


def referral_for(profile: Profile) -> Referral:
    if profile.pregnancy == Pregnancy.PREGNANT:
        return PREGNANT
    return AFTER_BIRTH if recently_pregnant(profile) else GENERAL
