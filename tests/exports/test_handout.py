"""The PDF handout: rendered from a real plan, every page rasterised and its text read back.

The layout was also checked by eye on the PNG pages (docs/screenshots/handout.png is one of them);
these tests keep what was checked: page size, section order, every exercise present, nothing
outside the margins, the footer on every page.
"""

from __future__ import annotations

import datetime as dt
import re

import pypdfium2
import pytest
import time_machine

from export_helpers import LOGS, START, person, plan_for
from sijcoach.engine.planner import make_plan
from sijcoach.engine.profile import Effort, LoggedItem, SessionLog
from sijcoach.engine.guidance import library
from sijcoach.engine.plan_types import TriageLevel
from sijcoach.exports import ExportError
from sijcoach.exports.handout import Handout

MADE_ON = dt.date(2026, 11, 22)
SIZES = {"a4": (595, 842), "letter": (612, 792)}
MM = 72 / 25.4


def render(plan, **options) -> bytes:
    return Handout(plan, **({"made_on": MADE_ON, "name": "Alice Example"} | options)).pdf()


def pages_text(pdf: bytes) -> list[str]:
    doc = pypdfium2.PdfDocument(pdf)
    return [" ".join(doc[i].get_textpage().get_text_range().split()) for i in range(len(doc))]


def exercise_names(plan) -> list[str]:
    return list(dict.fromkeys(item.name for day in plan.days for r in day.routines for item in r.items))


@pytest.fixture(scope="module", params=["a4", "letter"])
def printed(request, plan):
    return request.param, render(plan, paper=request.param)


def test_every_page_has_the_paper_size_and_rasterises_to_a_png_with_content(printed):
    paper, pdf = printed
    doc = pypdfium2.PdfDocument(pdf)
    assert 6 <= len(doc) <= 16
    for i in range(len(doc)):
        page = doc[i]
        assert tuple(round(v) for v in page.get_size()) == SIZES[paper]
        image = page.render(scale=0.5).to_pil().convert("L")
        assert image.size == (round(SIZES[paper][0] / 2), round(SIZES[paper][1] / 2))
        assert image.getextrema()[0] < 128, f"page {i + 1} is blank"


def test_the_sections_come_in_order_each_on_its_page(printed, plan):
    _, pdf = printed
    text = pages_text(pdf)
    assert "Your SI joint exercise program" in text[0] and plan.disclaimer in text[0]
    assert any(page.startswith("Your schedule") for page in text[1:3])
    assert text[2].startswith("Your exercises")
    flags = next(i for i, t in enumerate(text) if t.startswith("Warning signs: when to get help"))
    assert text[-1].startswith("Your log sheet") and flags == len(text) - 2
    assert "Staying safe" in " ".join(text[2:flags])


def test_the_contents_give_the_page_each_section_starts_on(printed):
    _, pdf = printed
    text = pages_text(pdf)
    for title in ("Your schedule", "Your exercises", "Your log sheet"):
        listed = int(re.search(rf"{title}[ .]*(\d+)", text[0]).group(1))
        assert text[listed - 1].startswith(title)


def test_every_exercise_of_the_plan_is_in_the_text_once_with_its_steps(printed, plan):
    _, pdf = printed
    text = " ".join(pages_text(pdf))
    names = exercise_names(plan)
    assert len(names) >= 8
    for name in names:
        assert name in text
    assert text.count("Why:") == len(names)
    assert "Lie on your back on a mat, knees bent" in text or "Come onto your hands and knees" in text


def test_the_schedule_lists_every_day_and_the_warning_signs_say_where_to_go(printed, plan):
    _, pdf = printed
    text = " ".join(pages_text(pdf))
    for day in plan.days:
        assert f"{day.date:%a %d %b}" in text
    for level in (TriageLevel.EMERGENCY, TriageLevel.URGENT):
        assert library().actions[level] in text
    assert "in this handout" in text and "plan below" not in text


def test_nothing_is_printed_outside_the_margins(printed):
    paper, pdf = printed
    width, height = SIZES[paper]
    doc = pypdfium2.PdfDocument(pdf)
    for i in range(len(doc)):
        textpage = doc[i].get_textpage()
        for c in range(textpage.count_chars()):
            left, bottom, right, top = textpage.get_charbox(c)
            if right <= left:  # spaces and line ends have no box
                continue
            assert 14 * MM <= left and right <= width - 14 * MM, f"page {i + 1}: a character runs into the side margin"
            assert 6 * MM <= bottom and top <= height - 15 * MM, f"page {i + 1}: a character runs off the page"


def test_every_page_but_the_first_has_the_name_and_its_number_in_the_footer(printed):
    _, pdf = printed
    text = pages_text(pdf)
    for n, page in enumerate(text, 1):
        assert "SI Joint Coach · Alice Example" in page
        if n > 1:
            assert f"Page {n} of {len(text)}" in page


def test_a_very_long_name_stays_inside_the_margins(plan):
    test_nothing_is_printed_outside_the_margins(("a4", render(plan, name="Alexandra" * 30, picture=None)))


def test_the_same_plan_gives_the_same_pdf(plan):
    # The clock stands still: the font subsets WeasyPrint embeds carry the time they were made
    # (fontTools stamps each font's head table), and on a slow machine two renders fall in different
    # seconds. Everything else in the file depends on the plan alone.
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC), tick=False):
        assert render(plan, picture=None) == render(plan, picture=None)


def test_a_picture_function_is_asked_once_per_exercise_and_its_svg_is_placed(plan):
    asked = []

    def picture(slug, side):
        asked.append((slug, side))
        return '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 50 10"><rect width="50" height="10"/></svg>'

    html = Handout(plan, made_on=MADE_ON, picture=picture).html()
    assert len(asked) == len(exercise_names(plan)) == html.count("data:image/svg+xml;base64,")
    assert {side for _, side in asked} <= {None, "left", "right"}
    assert ("inflare-correction", "left") in asked


def test_without_pictures_each_exercise_has_an_empty_framed_slot(plan):
    html = Handout(plan, made_on=MADE_ON, picture=None).html()
    assert html.count("Space for a picture") == len(exercise_names(plan))
    assert "<img" not in html


def test_the_name_is_text_never_markup(plan):
    html = Handout(plan, made_on=MADE_ON, name='<script>x</script> & "Bob"', picture=None).html()
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; &quot;Bob&quot;" in html


def test_a_stopping_warning_sign_gives_a_short_handout_with_the_action_and_no_exercises():
    plan = plan_for(person(red_flags=["chest_pain"]))
    text = " ".join(pages_text(render(plan)))
    assert library().actions[TriageLevel.EMERGENCY] in text
    assert "Your exercises" not in text and "Your log sheet" not in text
    assert "Warning signs: when to get help" in text


def test_years_of_logs_list_only_the_latest_changes_and_keep_the_handout_short(profile):
    start, slugs = dt.date(2021, 11, 1), ("glute-bridge", "pelvic-tilt", "clamshell", "cat-cow", "knee-to-chest-stretch")
    logs = tuple(SessionLog(date=start + dt.timedelta(days=n), pain_before=3, pain_after=2, pain_next_day=2,
                            items=tuple(LoggedItem(exercise=slugs[(n + k) % 5], sets_done=2, reps_done=10, pain=0,
                                                   effort=Effort.EASY) for k in range(3)))
                 for n in range(1826))
    plan = make_plan(profile, logs, start=START, days=14)
    assert len(plan.changes) > 10
    text = pages_text(render(plan, picture=None))
    assert len(text) <= 14
    assert f"{len(plan.changes) - 6} earlier changes to your exercises are not listed here." in text[0]
    assert any(page.startswith("Your schedule") for page in text[1:3])


def test_an_unknown_paper_size_is_refused_naming_the_choices(plan):
    with pytest.raises(ExportError, match="paper: 'a5' is not allowed; use one of a4, letter"):
        render(plan, paper="a5")


def test_each_warning_sign_is_printed_under_its_own_action_and_retired_ones_are_not(plan):
    # A pregnancy sign sends the person to the maternity unit, not to a doctor; a question no longer
    # asked (kept only so that old answers still count) is not printed.
    html = Handout(plan, made_on=MADE_ON, picture=None).html()
    flags_part = html[html.index('<section id="flags">'):]
    blocks = re.findall(r'<div class="flags"><h3>(.*?)</h3><p class="where">(.*?)</p><ul>(.*?)</ul></div>', flags_part)
    lib = library()
    maternity = lib.flags["pregnancy_maternity_sign"]
    (heading, where, items), = [b for b in blocks if "maternity unit" in b[1]]
    assert heading.startswith("Get advice now") and where == maternity.action.replace("'", "&#x27;")
    assert maternity.question in items.replace("&#x27;", "'")
    for h, w, found in blocks:
        if "maternity unit" not in w:
            assert maternity.question not in found.replace("&#x27;", "'")
    printed_questions = " ".join(found for _, _, found in blocks).replace("&#x27;", "'")
    assert [f for f in lib.flags.values() if f.retired]
    assert not [f for f in lib.flags.values() if f.retired and f.question in printed_questions]
    # Every question the check-in asks is printed once.
    asked = [f for f in lib.flags.values() if not f.derived and not f.retired]
    assert all(printed_questions.count(f.question) == 1 for f in asked)


def test_a_note_every_day_has_is_printed_once_and_the_pattern_reads_as_english():
    # A physiotherapist's find: the same 'left out' notes in every day's row made a 23-page handout,
    # and the title page read 'A unstable joint pattern'.
    pregnant = plan_for(person(pregnancy="pregnant", pregnancy_weeks=24, sore_side="left"))
    html = Handout(pregnant, made_on=MADE_ON, picture=None).html()
    every = [n for n in pregnant.days[0].notes if all(n in d.notes for d in pregnant.days[1:])]
    assert every
    for note in every:
        assert html.count(escape_note(note)) == 1, note
    assert "A loose or unstable joint pattern (moving too much)" in html or "A stiff joint pattern" in html
    assert "A unstable" not in html


def test_a_note_on_several_days_is_printed_once_with_its_days():
    # A physiotherapist's find: "Sit to stand, pinned by your coach, waits for a day with strength work."
    # was printed on every day without strength work.
    from sijcoach.engine.adjust import parse_adjustments

    pinned = make_plan(person(), LOGS, start=START, days=14,
                       adjustments=parse_adjustments({"pinned": [{"exercise": "sit-to-stand"}]}))
    waits = "Sit to stand, pinned by your coach, waits for a day with strength work."
    days = [d.date for d in pinned.days if waits in d.notes]
    assert 3 <= len(days) < len(pinned.days)
    html = Handout(pinned, made_on=MADE_ON, picture=None).html()
    assert html.count(escape_note(waits)) == 1
    assert f"{escape_note(waits)} ({', '.join(f'{d:%a %d %b}' for d in days)})" in html


def escape_note(note: str) -> str:
    from html import escape
    return escape(note[:1].upper() + note[1:])
