"""Lessons for a person: which they have read, marking one read, the course in their order, and the
lesson Today offers in the first two weeks of their programme."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from sijcoach.engine import lessons as engine
from sijcoach.engine.catalog import catalog
from sijcoach.engine.lessons import Audience, Lesson
from sijcoach.knowledge import DIR as KNOWLEDGE_DIR
from sijcoach.web.learn.models import LessonRead
from sijcoach.web.plans import services as plans
from sijcoach.web.plans.models import CheckIn

LEARN_DAYS = 14  # Today offers a lesson a day in the programme's first two weeks
WORDS_PER_MINUTE = 200

# CommonMark with raw HTML switched off: any markup in a lesson is shown as text, never as HTML (the
# knowledge check also refuses it). markdown-it's own link check drops javascript: and similar links.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def render(lesson: Lesson) -> SafeString:
    """The lesson's text as HTML. Safe to include as it is: raw HTML is escaped, not passed on."""
    return mark_safe(_MARKDOWN.render(lesson.body))  # noqa: S308 - html=False escapes every tag


def minutes_to_read(lesson: Lesson) -> int:
    return max(1, round(lesson.words / WORDS_PER_MINUTE))


def source_titles(lesson: Lesson) -> list[str]:
    return [catalog().source_title(s) for s in lesson.sources]


def read_lessons(user) -> dict[str, dt.date]:
    """The lessons the person marked read: id -> the day they did."""
    return dict(LessonRead.objects.filter(user=user).values_list("lesson", "read_on"))


def mark_read(user, lesson: Lesson, on: dt.date) -> LessonRead:
    """Marked once: marking again keeps the first day."""
    read, _ = LessonRead.objects.get_or_create(user=user, lesson=lesson.id, defaults={"read_on": on})
    return read


def audience_of(checkin: CheckIn | None, on: dt.date) -> frozenset[Audience]:
    """The person's tags from their newest check-in as it stands on `on`; none before the first."""
    if checkin is None:
        return frozenset()
    return engine.audience_for(checkin.to_engine(on))


def course(user, on: dt.date, checkin: CheckIn | None = None) -> list[Lesson]:
    """The lessons offered to the person, in the order they come (engine/lessons.py: course_for)."""
    return engine.course_for(engine.lessons(), audience_of(checkin or plans.latest_checkin(user), on))


@dataclass(frozen=True)
class TodayLesson:
    lesson: Lesson
    day: int  # the day of the programme, 1 to LEARN_DAYS
    read_on: dt.date | None
    minutes: int
    days: int = LEARN_DAYS


def lesson_for_today(user, on: dt.date, checkin: CheckIn | None = None) -> TodayLesson | None:
    """In the first two weeks of the programme (from the first check-in), one lesson a day chosen for
    the person, unread first; None outside those weeks. Pass the newest check-in when already read."""
    start = plans.programme_start(user, checkin)
    if start is None or not 0 <= (on - start).days < LEARN_DAYS:
        return None
    read = read_lessons(user)
    lesson = engine.lesson_of_the_day(course(user, on, checkin), read, on)
    if lesson is None:
        return None
    return TodayLesson(lesson, (on - start).days + 1, read.get(lesson.id), minutes_to_read(lesson))


@dataclass(frozen=True)
class Diagram:
    name: str  # the file name without .svg
    svg: bytes
    digest: str


@lru_cache(maxsize=64)
def diagram(name: str) -> Diagram | None:
    """A lesson's own SVG diagram (validated at load: a plain drawing), with a hash of its content for
    its address. Only files that a lesson names are served."""
    if not any(lesson.diagram == f"{name}.svg" for lesson in engine.lessons()):
        return None
    svg = (KNOWLEDGE_DIR / "lessons" / f"{name}.svg").read_bytes()
    return Diagram(name, svg, hashlib.sha256(svg).hexdigest()[:12])
