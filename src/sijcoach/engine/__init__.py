"""The pure rules engine: knowledge -> screening, assessment, planning, adaptation, questionnaires.

No Django, no database, no clock (the plan's start date is a parameter), no printing.
"""

from sijcoach.engine.inputs import InputError, parse_logs, parse_profile
from sijcoach.engine.planner import make_plan

__all__ = ["InputError", "make_plan", "parse_logs", "parse_profile"]
