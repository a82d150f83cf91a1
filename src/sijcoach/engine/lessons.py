"""Lessons: short Markdown texts that explain the condition, loaded and validated with the rest of the
knowledge base, and the choice of the lesson a person is offered on a given day.

A lesson is `knowledge/lessons/<id>.md`: TOML front matter between two `+++` lines, then the text in
Markdown. The text is the project's own (tools/check_wording.py compares it with the source articles);
it may not hold raw HTML or pictures of its own: its one picture is named in the front matter, either
an exercise's drawing (`exercise:<slug>`) or an SVG diagram kept beside the lessons.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Mapping
from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sijcoach.engine.assessment import assess
from sijcoach.engine.catalog import KnowledgeError, catalog, load_catalog
from sijcoach.engine.plan_types import Pattern, Phase
from sijcoach.engine.profile import Distortion, Pregnancy, Profile
from sijcoach.knowledge import DIR as KNOWLEDGE_DIR

MIN_WORDS = 250
MAX_WORDS = 400
FENCE = "+++"
EXERCISE_PICTURE = "exercise:"
# Raw HTML: a tag, a comment or a declaration. Lessons are plain Markdown, so what a page shows is
# never markup from a file.
_HTML = re.compile(r"<\s*[A-Za-z!/?]")
_IMAGE = re.compile(r"!\[")
# What an SVG diagram may not hold: script, event handlers, inline style, or anything fetched from
# elsewhere. The diagrams are simple line drawings with presentation attributes only.
_SVG_FORBIDDEN = re.compile(r"<script|\son[a-z]+\s*=|\sstyle\s*=|<style|<foreignObject|href\s*=\s*[\"'](?!#)",
                            re.I)


class Audience(StrEnum):
    """Who a lesson suits especially; a person's tags come from their check-in (`audience_for`)."""

    STIFF = "stiff"  # the plan is built for a stiff joint
    UNSTABLE = "unstable"  # the plan is built for stability (loose, mixed or unclear)
    PREGNANT = "pregnant"
    POSTPARTUM = "postpartum"
    DISTORTION = "distortion"  # a professional found an inflare, outflare, rotation or upslip
    TIGHT_WEAK = "tight_weak"  # tight muscles or a distortion that comes with a tight/weak pair
    ACUTE = "acute"  # the first two days of this episode of pain


class Lesson(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str = Field(min_length=3, max_length=80)
    order: int = Field(ge=1, le=999, description="the place in the course for someone it does not suit especially")
    summary: str = Field(min_length=20, max_length=200, description="one line: what the lesson tells")
    sources: tuple[str, ...] = Field(min_length=1)
    audience: tuple[Audience, ...] = ()
    audience_only: bool = Field(default=False, description="offered on Today only to its audience")
    picture: str | None = Field(default=None, description="exercise:<slug> or a .svg file beside the lessons")
    picture_alt: str = ""
    body: str = Field(description="the Markdown text after the front matter")

    @property
    def words(self) -> int:
        return count_words(self.body)

    @property
    def exercise_picture(self) -> str | None:
        """The exercise whose drawing illustrates the lesson, if that is its picture."""
        if self.picture and self.picture.startswith(EXERCISE_PICTURE):
            return self.picture.removeprefix(EXERCISE_PICTURE)
        return None

    @property
    def diagram(self) -> str | None:
        """The file name of the lesson's own SVG diagram, if that is its picture."""
        return self.picture if self.picture and not self.exercise_picture else None


def count_words(text: str) -> int:
    """The words a reader sees: a link's address is not counted."""
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return len(re.findall(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?", text))


def _split(path: Path) -> tuple[dict, str, int]:
    """The front matter, the body and the line the body starts on."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE or FENCE not in (line.strip() for line in lines[1:]):
        raise KnowledgeError(
            f"lessons/{path.name}: no front matter: start the file with a line '+++', the fields (id, title, "
            "order, summary, sources, audience, picture) in TOML, and another line '+++'")
    end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == FENCE)
    try:
        front = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"lessons/{path.name}: front matter is not valid TOML: {exc}") from exc
    return front, "\n".join(lines[end + 1:]).rstrip() + "\n", end + 2


def _body_problems(name: str, body: str, first_line: int) -> list[str]:
    problems = []
    for number, line in enumerate(body.splitlines(), start=first_line):
        if _HTML.search(line):
            problems.append(f"lessons/{name}: line {number}: raw HTML is not allowed in a lesson; write Markdown")
        if _IMAGE.search(line):
            problems.append(f"lessons/{name}: line {number}: a lesson's picture goes in the front matter "
                            "(picture = ...), not in the text")
    words = count_words(body)
    if not MIN_WORDS <= words <= MAX_WORDS:
        problems.append(f"lessons/{name}: {words} words; a lesson has {MIN_WORDS} to {MAX_WORDS}")
    return problems


def _picture_problems(lesson: Lesson, name: str, directory: Path, exercises) -> list[str]:
    if lesson.picture is None:
        return []
    problems = []
    if not lesson.picture_alt.strip():
        problems.append(f"lessons/{name}: picture_alt: describe the picture in words (for screen readers)")
    slug = lesson.exercise_picture
    if slug is not None:
        if slug not in exercises:
            problems.append(f"lessons/{name}: picture: {slug!r} is not an exercise")
        return problems
    file = directory / lesson.picture
    if not re.fullmatch(r"[a-z0-9-]+\.svg", lesson.picture) or not file.is_file():
        problems.append(f"lessons/{name}: picture: {lesson.picture!r} is neither exercise:<slug> nor an .svg "
                        "file in the lessons folder")
    elif _SVG_FORBIDDEN.search(file.read_text(encoding="utf-8")) or "<svg" not in file.read_text(encoding="utf-8"):
        problems.append(f"lessons/{name}: picture: {lesson.picture} must be a plain SVG drawing "
                        "(no script, event handlers, style or outside links)")
    return problems


def load_lessons(directory: Path = KNOWLEDGE_DIR) -> tuple[Lesson, ...]:
    """Every lesson in `directory`/lessons, in course order; every problem of every file is reported
    at once, each naming the file and the field."""
    known = load_catalog(directory) if directory != KNOWLEDGE_DIR else catalog()
    folder = directory / "lessons"
    lessons, problems = [], []
    for path in sorted(folder.glob("*.md")):
        try:
            front, body, first_line = _split(path)
        except KnowledgeError as exc:
            problems.append(str(exc))
            continue
        try:
            lesson = Lesson.model_validate({**front, "body": body})
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"])
                problems.append(f"lessons/{path.name}: {where}: {err['msg']}")
            continue
        if lesson.id != path.stem:
            problems.append(f"lessons/{path.name}: id: {lesson.id!r} must be the file's name, {path.stem!r}")
        problems += [f"lessons/{path.name}: sources: unknown source {s!r}; the sources are listed in "
                     "sources.toml" for s in lesson.sources if s not in known.sources]
        problems += _body_problems(path.name, body, first_line)
        problems += _picture_problems(lesson, path.name, folder, known)
        lessons.append(lesson)
    orders: dict[int, str] = {}
    for lesson in lessons:
        if lesson.order in orders:
            problems.append(f"lessons/{lesson.id}.md: order: {lesson.order} is also the order of {orders[lesson.order]}")
        orders.setdefault(lesson.order, lesson.id)
    if problems:
        raise KnowledgeError("\n".join(problems))
    return tuple(sorted(lessons, key=lambda lesson: lesson.order))


@cache
def lessons() -> tuple[Lesson, ...]:
    """The packaged lessons, loaded once per process."""
    return load_lessons()


def lesson_by_id(lesson_id: str) -> Lesson | None:
    return next((lesson for lesson in lessons() if lesson.id == lesson_id), None)


def audience_for(profile: Profile) -> frozenset[Audience]:
    """The tags a person's answers give (`profile` as it stands on the day: onset and weeks moved on)."""
    found = assess(profile)
    tags = {Audience.STIFF if found.plans_as == Pattern.STIFF else Audience.UNSTABLE}
    if profile.pregnancy == Pregnancy.PREGNANT:
        tags.add(Audience.PREGNANT)
    elif profile.pregnancy == Pregnancy.POSTPARTUM:
        tags.add(Audience.POSTPARTUM)
    if profile.distortion not in (Distortion.NONE, Distortion.UNKNOWN):
        tags.add(Audience.DISTORTION)
    if found.tight_weak:
        tags.add(Audience.TIGHT_WEAK)
    if found.phase == Phase.ACUTE:
        tags.add(Audience.ACUTE)
    return frozenset(tags)


# How soon a lesson that suits a person's situation comes: the first days of pain and a pregnancy
# cannot wait; a professional's finding comes next; the likely pattern after that.
_URGENCY = {
    Audience.ACUTE: 1, Audience.PREGNANT: 1, Audience.POSTPARTUM: 1,
    Audience.DISTORTION: 2, Audience.TIGHT_WEAK: 2,
    Audience.STIFF: 3, Audience.UNSTABLE: 3,
}
_REST_OF_COURSE = 4


def course_for(all_lessons: Iterable[Lesson], audience: Iterable[Audience]) -> list[Lesson]:
    """The lessons offered to a person, in the order they come: first a lesson written only for people
    in their situation (pregnancy, say), then those that suit them especially (the first days of pain
    and pregnancy, then a professional's finding, then their likely pattern), then the rest of the
    course; in course order within each. A lesson meant only for its audience is left out for
    anyone else."""
    tags = set(audience)
    offered = [lesson for lesson in all_lessons if not lesson.audience_only or tags & set(lesson.audience)]

    def key(lesson: Lesson) -> tuple[int, int]:
        matched = tags & set(lesson.audience)
        if not matched:
            return _REST_OF_COURSE, lesson.order
        return (0 if lesson.audience_only else min(_URGENCY[t] for t in matched)), lesson.order

    return sorted(offered, key=key)


def lesson_of_the_day(course: list[Lesson], read: Mapping[str, dt.date], on: dt.date) -> Lesson | None:
    """One lesson a day: one the person read on `on` stays the day's lesson; otherwise the first
    unread one of their course; once they have read them all, one a day to revisit, in the order they
    were read (the first the day after the last one)."""
    if not course:
        return None
    today = [lesson for lesson in course if read.get(lesson.id) == on]
    if today:
        return today[0]
    unread = [lesson for lesson in course if lesson.id not in read]
    if unread:
        return unread[0]
    by_reading = sorted(course, key=lambda lesson: read[lesson.id])
    since_last = (on - read[by_reading[-1].id]).days
    return by_reading[(since_last - 1) % len(by_reading)]
