"""The Learn pages, marking a lesson read, and the lesson Today offers in the first two weeks."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from conftest import PASSWORD, check_in, make_user
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sijcoach.engine.lessons import lesson_by_id, lessons
from sijcoach.web.learn import services
from sijcoach.web.learn.models import LessonRead

SIGNIN = reverse("signin") + "?next="
FORTNIGHT = services.LEARN_DAYS


def lesson_url(lesson_id: str) -> str:
    return reverse("learn_lesson", args=[lesson_id])


def read_url(lesson_id: str) -> str:
    return reverse("learn_read", args=[lesson_id])


def test_the_learn_page_lists_every_lesson_and_marks_the_ones_read(alice_client, alice):
    services.mark_read(alice, lesson_by_id("heat-and-ice"), dt.date(2026, 3, 4))
    r = alice_client.get(reverse("learn"))
    assert r.status_code == 200
    page = r.content.decode()
    for lesson in lessons():
        assert lesson_url(lesson.id) in page, lesson.id
    assert "1 of 10 read" in page and "Read on 4 March" in page
    assert page.count("Not read yet") == len(lessons()) - 1
    assert 'href="/more/" aria-current="page"' in page  # the menu's More place, which links to it


def test_a_lesson_page_shows_its_text_picture_sources_and_a_mark_read_button(alice_client):
    lesson = lesson_by_id("the-si-joint")
    page = alice_client.get(lesson_url(lesson.id)).content.decode()
    assert "<h1>The SI joint</h1>" in page and "<h2>Where it is</h2>" in page
    assert "European guidelines for the diagnosis and treatment of pelvic girdle pain" in page
    assert f'action="{read_url(lesson.id)}"' in page and 'name="csrfmiddlewaretoken"' in page
    picture = re.search(r'<img src="(/learn/pictures/si-joint\.[0-9a-f]+\.svg)" alt="([^"]+)"', page)
    assert picture and "sacrum" in picture.group(2)
    r = Client().get(picture.group(1))  # public, like the exercise drawings
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml" and b"<svg" in r.content
    assert "immutable" in r["Cache-Control"]


def test_every_lesson_page_renders_with_its_picture(alice_client):
    for lesson in lessons():
        page = alice_client.get(lesson_url(lesson.id)).content.decode()
        assert f"<h1>{lesson.title}</h1>" in page, lesson.id
        if lesson.picture:
            src = re.search(r'<figure class="lesson-picture"><img src="([^"]+)"', page).group(1)
            assert alice_client.get(src).status_code == 200, lesson.id


def test_every_link_in_a_lesson_leads_to_a_page_of_the_app(alice_client):
    links = {href for lesson in lessons() for href in re.findall(r'href="([^"]+)"', str(services.render(lesson)))}
    assert links and all(href.startswith("/") for href in links), links
    assert {href: alice_client.get(href).status_code for href in links} == {href: 200 for href in links}


def test_only_the_lessons_own_diagrams_are_served():
    assert Client().get("/learn/pictures/si-joint.0.svg")["Cache-Control"] == "public, max-age=3600"
    assert Client().get("/learn/pictures/secret.0.svg").status_code == 404
    assert Client().get("/learn/no-such-lesson/").status_code == 302  # sign in first, then 404


def test_raw_html_in_a_lesson_is_shown_as_text_never_as_markup():
    lesson = lesson_by_id("heat-and-ice").model_copy(update={"body": '<script>alert(1)</script>\n\n[x](javascript:alert(1))'})
    html = str(services.render(lesson))
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "href" not in html  # markdown-it drops a javascript: link, leaving its text


def test_marking_a_lesson_read_stores_the_day_and_is_idempotent(alice_client, alice):
    r = alice_client.post(read_url("heat-and-ice"))
    assert r.status_code == 302 and r["Location"] == lesson_url("heat-and-ice")
    alice_client.post(read_url("heat-and-ice"))
    reads = LessonRead.objects.filter(user=alice)
    assert [(x.lesson, x.read_on) for x in reads] == [("heat-and-ice", timezone.localdate())]
    page = alice_client.get(lesson_url("heat-and-ice")).content.decode()
    assert "Read on" in page and read_url("heat-and-ice") not in page


def test_marking_read_is_a_post_for_a_known_lesson_only(alice_client, alice):
    assert alice_client.get(read_url("heat-and-ice")).status_code == 405
    assert alice_client.post(read_url("no-such-lesson")).status_code == 404
    assert not LessonRead.objects.filter(user=alice).exists()


def test_marking_read_goes_back_to_a_page_of_this_site_only(alice_client):
    r = alice_client.post(read_url("heat-and-ice"), {"next": reverse("today")})
    assert r["Location"] == reverse("today")
    r = alice_client.post(read_url("in-a-flare"), {"next": "https://evil.example/"})
    assert r["Location"] == lesson_url("in-a-flare")


def test_bob_marking_a_lesson_marks_it_for_bob_alone(alice, bob):
    as_bob = Client()
    as_bob.force_login(bob)
    as_bob.post(read_url("heat-and-ice"))
    assert list(LessonRead.objects.values_list("user__email", "lesson")) == [("bob@example.org", "heat-and-ice")]
    as_alice = Client()
    as_alice.force_login(alice)
    assert "0 of 10 read" in as_alice.get(reverse("learn")).content.decode()


def test_a_visitor_is_sent_to_sign_in_and_cannot_mark_anything(db):
    for url in (reverse("learn"), lesson_url("heat-and-ice")):
        r = Client().get(url)
        assert r.status_code == 302 and r["Location"] == SIGNIN + url
    r = Client().post(read_url("heat-and-ice"))
    assert r.status_code == 302 and r["Location"] == SIGNIN + read_url("heat-and-ice")
    assert not LessonRead.objects.exists()


def test_marking_read_needs_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(read_url("heat-and-ice")).status_code == 403
    page = client.get(lesson_url("heat-and-ice")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(read_url("heat-and-ice"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert LessonRead.objects.filter(user=alice, lesson="heat-and-ice").exists()


def test_the_export_holds_the_lessons_read(alice_client, alice):
    alice_client.post(read_url("heat-and-ice"))
    data = alice_client.get(reverse("export")).json()
    assert data["lessons_read"] == [{"lesson": "heat-and-ice", "read_on": timezone.localdate().isoformat()}]


# The first two weeks ---------------------------------------------------------------------------------

START = dt.date(2026, 3, 2)


def fortnight(user, reads_every_day: bool = True) -> list[str | None]:
    """The lesson Today offers on each of the first 16 days; the person reads it the same day."""
    offered = []
    for i in range(FORTNIGHT + 2):
        on = START + dt.timedelta(days=i)
        today = services.lesson_for_today(user, on)
        offered.append(today.lesson.id if today else None)
        if today:
            assert today.day == i + 1
            if reads_every_day:
                services.mark_read(user, today.lesson, on)
                assert services.lesson_for_today(user, on).lesson == today.lesson  # one lesson a day
    return offered


def test_over_a_fortnight_each_day_offers_one_new_lesson_then_none(db):
    stiff = make_user("stan@example.org")
    check_in(stiff, START, history=["sedentary"], sex="male")
    offered = fortnight(stiff)
    course = [lesson.id for lesson in services.course(stiff, START)]
    assert offered[:len(course)] == course  # each unread lesson once, in the person's order
    assert len(course) == 9 and "pregnancy-and-the-pelvis" not in course
    assert offered[len(course):FORTNIGHT] == course[:FORTNIGHT - len(course)]  # then the first read, again
    assert offered[FORTNIGHT:] == [None, None]  # the programme's third week: no lesson on Today
    assert services.lesson_for_today(stiff, START - dt.timedelta(days=1)) is None


def test_a_lesson_left_unread_is_offered_again_the_next_day(db):
    person = make_user("una@example.org")
    check_in(person, START)
    offered = fortnight(person, reads_every_day=False)
    assert len(set(offered[:FORTNIGHT])) == 1 and offered[0] is not None


def test_a_pregnant_person_is_offered_the_pregnancy_lesson_on_day_one(db):
    person = make_user("pia@example.org")
    check_in(person, START, pregnancy="pregnant", pregnancy_weeks=22, history=[])
    offered = fortnight(person)
    assert offered[0] == "pregnancy-and-the-pelvis"
    assert offered[1] == "three-muscle-groups"  # planned for stability: the loose-joint lesson next
    assert len(set(offered[:len(lessons())])) == len(lessons())


def test_a_new_check_in_does_not_restart_the_fortnight(db):
    person = make_user("nina@example.org")
    check_in(person, START)
    check_in(person, START + dt.timedelta(days=10), pregnancy="pregnant", pregnancy_weeks=10)
    assert services.lesson_for_today(person, START + dt.timedelta(days=13)).lesson.id == "pregnancy-and-the-pelvis"
    assert services.lesson_for_today(person, START + dt.timedelta(days=14)) is None


def test_someone_who_has_not_checked_in_is_offered_no_lesson_on_today(charlie):
    assert services.lesson_for_today(charlie, START) is None


def test_today_shows_the_days_lesson_and_reading_it_returns_to_today(db):
    person = make_user("tess@example.org")
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        check_in(person)
        client = Client()
        client.post(reverse("signin"), {"email": person.email, "password": PASSWORD})
        page = client.get(reverse("today")).content.decode()
        first = services.lesson_for_today(person, timezone.localdate()).lesson
        assert "Today's lesson" in page and "day 1 of 14" in page and lesson_url(first.id) in page
        r = client.post(read_url(first.id), {"next": reverse("today")})
        assert r["Location"] == reverse("today")
        page = client.get(reverse("today")).content.decode()
        assert lesson_url(first.id) in page and "Read." in page
    with time_machine.travel(dt.datetime(2026, 3, 16, 9, tzinfo=dt.UTC), tick=False):
        assert "Today's lesson" not in client.get(reverse("today")).content.decode()
