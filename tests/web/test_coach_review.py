"""The coach's review tools: flags marked seen (and back with new data), four weeks of adherence counted
as the client's own pages count them, the client page's sections, and the review summary PDF."""

from __future__ import annotations

import datetime as dt
import re
from html import escape

import pytest
from conftest import check_in, make_coach, make_user, session_payload
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sijcoach.web.coaching import review
from sijcoach.web.coaching import services as coaching
from sijcoach.web.coaching.models import AccessLog, FlagSeen
from sijcoach.web.plans import progress, services
from sijcoach.web.plans.models import PlannedDay
from test_security_review import held  # the handouts' lock file, held as another worker would


@pytest.fixture
def cora_client(client, cora):
    client.force_login(cora)
    return client


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def rows(web) -> list:
    return web.get(reverse("coach_clients")).context["rows"]


def flag(row, code):
    return next(f for f in row.flag_states if f.code == code)


def mark(web, person, code, basis, back="list"):
    return web.post(reverse("coach_flag_seen", args=[person.pk]), {"flag": code, "basis": basis, "back": back})


def section(page: str, name: str) -> str:
    """The HTML of one section of the client page, from its opening tag to the next section's."""
    start = page.index(f'<section class="card" id="{name}"')
    end = page.find("<section", start + 1)
    return page[start:end if end != -1 else len(page)]


# ---- flags marked seen -------------------------------------------------------------------------------

def test_a_flag_marked_seen_records_who_and_when_and_goes_below_new_ones(cora, alice, bob, cora_client):
    coaching.accept_invite(bob, coaching.create_invite(cora).code)
    services.report_red_flags(alice, ["saddle_numbness"], "emergency")
    services.save_session(bob, services.parse_session(session_payload(joint_went_out=True)), services.today_for(bob))
    assert [r.email for r in rows(cora_client)][0] == "alice@example.org"  # a warning sign weighs most
    red = flag(rows(cora_client)[0], "red_flag")
    r = mark(cora_client, alice, "red_flag", red.basis)
    assert r.status_code == 302 and r["Location"] == reverse("coach_clients") + f"#client-{alice.pk}"
    seen = FlagSeen.objects.get(client=alice, flag="red_flag")
    assert seen.coach == cora and seen.basis == red.basis and seen.seen_at is not None
    shown = cora_client.get(reverse("coach_clients"))
    listed, page = shown.context["rows"], shown.content.decode()
    assert [r.email for r in listed] == ["bob@example.org", "alice@example.org"]  # Bob's is new
    assert flag(listed[1], "red_flag").seen_at == seen.seen_at
    assert "seen by you" in page and "Marked seen: Warning signs reported" in page


def test_a_seen_flag_comes_back_when_new_data_arrives(cora, alice, cora_client):
    services.report_red_flags(alice, ["saddle_numbness"], "emergency")
    mark(cora_client, alice, "red_flag", flag(rows(cora_client)[0], "red_flag").basis)
    assert flag(rows(cora_client)[0], "red_flag").seen_at is not None
    services.report_red_flags(alice, ["fever"], "urgent")  # a new report after the coach's look
    again = flag(rows(cora_client)[0], "red_flag")
    assert again.seen_at is None and rows(cora_client)[0].new_flags


def test_a_seen_joint_out_flag_comes_back_with_a_new_session_where_it_went_out(cora, alice, cora_client):
    on = services.today_for(alice)
    services.save_session(alice, services.parse_session(session_payload(joint_went_out=True)), on)
    mark(cora_client, alice, "joint_out", flag(rows(cora_client)[0], "joint_out").basis)
    services.save_session(alice, services.parse_session(session_payload()), on)  # nothing new about the joint
    assert flag(rows(cora_client)[0], "joint_out").seen_at is not None
    services.save_session(alice, services.parse_session(session_payload(joint_went_out=True)), on)
    assert flag(rows(cora_client)[0], "joint_out").seen_at is None


def test_a_flag_is_not_marked_seen_when_newer_data_came_since_the_page_was_shown(cora, alice, cora_client):
    services.report_red_flags(alice, ["saddle_numbness"], "emergency")
    shown = flag(rows(cora_client)[0], "red_flag").basis
    services.report_red_flags(alice, ["fever"], "urgent")
    r = mark(cora_client, alice, "red_flag", shown, back="client")
    assert r["Location"] == reverse("coach_client", args=[alice.pk]) + "#summary"
    assert not FlagSeen.objects.exists()
    page = cora_client.get(r["Location"]).content.decode()
    assert "New data came in since your page was shown" in section(page, "summary")


def test_an_unknown_flag_or_one_not_raised_is_refused_in_words(cora, alice, cora_client):
    mark(cora_client, alice, "red_flag", "report:1")
    mark(cora_client, alice, "no_such_flag", "x")
    assert not FlagSeen.objects.exists()
    page = cora_client.get(reverse("coach_clients")).content.decode()
    assert "This flag is no longer raised" in page and "No such flag" in page


def test_nobody_but_the_clients_coach_marks_a_flag(cora, alice, bob):
    services.report_red_flags(alice, ["saddle_numbness"], "emergency")
    other = make_coach("otto@example.org")
    for person in (other, bob):
        web = Client()
        web.force_login(person)
        assert mark(web, alice, "red_flag", "report:1").status_code == 404
    assert not FlagSeen.objects.exists()


def test_marking_a_flag_seen_is_in_the_clients_access_log(cora, alice, cora_client):
    services.report_red_flags(alice, ["saddle_numbness"], "emergency")
    mark(cora_client, alice, "red_flag", flag(rows(cora_client)[0], "red_flag").basis)
    assert AccessLog.objects.filter(client=alice, coach=cora, what__startswith="marked seen").count() == 1


# ---- adherence -----------------------------------------------------------------------------------------

def keep_past_days(user, on: dt.date, days: int) -> None:
    """Planned days as the plan kept them on earlier days (each write keeps the coming week)."""
    checkin = services.latest_checkin(user)
    PlannedDay.objects.bulk_create([
        PlannedDay(user=user, date=on - dt.timedelta(days=n), checkin=checkin,
                   routines=[{"kind": "relief", "title": "Relief", "minutes": 5},
                             {"kind": "strength", "title": "Strength", "minutes": 10}])
        for n in range(1, days + 1)], ignore_conflicts=True)


def test_the_coach_reads_four_weeks_as_the_clients_own_progress_and_today(cora, alice, cora_client):
    on = services.today_for(alice)
    keep_past_days(alice, on, 27)
    for n in (1, 2, 3, 5, 8, 9, 15, 22, 26):  # done on some days, one routine or two
        day = on - dt.timedelta(days=n)
        services.save_session(alice, services.parse_session(session_payload(date=day.isoformat(), routine_kind="relief")), on)
        if n % 2:
            services.save_session(alice, services.parse_session(
                session_payload(date=day.isoformat(), routine_kind="strength")), on)
    services.save_session(alice, services.parse_session(session_payload(date=on.isoformat(), routine_kind="relief")), on)
    (row,) = rows(cora_client)
    web = Client()
    web.force_login(alice)
    own = web.get(reverse("progress"), {"weeks": 4}).context["p"]
    today = web.get(reverse("today")).context["week_done"]
    assert (row.adherence.to_date.done, row.adherence.to_date.planned) == (own.done, own.planned)
    assert (row.done_week, row.planned_week) == (today.done, today.planned) == (own.week.done, own.week.planned)
    assert len(row.adherence.weeks) == 4 and own.done >= 10  # the weeks hold real numbers
    assert sum(w.done for w in row.adherence.weeks) == own.done
    assert f"<strong>{own.done} of {own.planned}</strong> planned up to today" in cora_client.get(reverse("coach_clients")).content.decode()
    assert f"<strong>{own.done}</strong> of {own.planned} routines" in web.get(reverse("progress"), {"weeks": 4}).content.decode()


def test_a_day_with_everything_skipped_is_not_done_for_coach_or_client(cora, alice, cora_client):
    on = services.today_for(alice)
    skipped = [{**session_payload()["items"][0], "skipped": True, "sets_done": 0, "reps_done": 0}]
    services.save_session(alice, services.parse_session(session_payload(items=skipped, routine_kind="relief")), on)
    (row,) = rows(cora_client)
    assert row.done_week == 0 == progress.week_completion(alice, on).done


def counted(days, until: dt.date) -> int:
    return sum(len({r.kind.value for r in d.routines} & progress.COUNTED_KINDS) for d in days if d.date <= until)


def test_days_not_kept_yet_are_taken_from_todays_plan_on_the_clients_pages(alice):
    """Nothing written for a week: the client's Today still counts the days ahead from today's plan."""
    on = services.today_for(alice)
    days = services.current_plan(alice, on).plan.days
    PlannedDay.objects.filter(user=alice).delete()
    week = progress.week_completion(alice, on, days)
    assert week.planned == counted(days, progress.this_week(on)[1]) > 0


def test_a_kept_day_counts_as_it_was_kept_for_coach_and_client_alike(cora, alice, cora_client):
    on = services.today_for(alice)
    days = services.current_plan(alice, on).plan.days
    PlannedDay.objects.filter(user=alice, date=on).update(routines=[{"kind": "relief", "title": "Relief", "minutes": 5}])
    week = progress.week_completion(alice, on, days)
    assert week.planned == counted(days, progress.this_week(on)[1]) - counted(days[:1], on) + 1
    assert rows(cora_client)[0].planned_week == week.planned


@pytest.mark.django_db
def test_the_client_list_reads_a_fixed_number_of_queries_whatever_the_number_of_clients(cora, alice, cora_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert cora_client.get(reverse("coach_clients")).status_code == 200
        return len(queries)

    services.save_session(alice, services.parse_session(session_payload()), services.today_for(alice))
    count()  # the first request of a session reads a few things once
    one = count()
    for n in range(4):
        person = make_user(f"client{n}@example.org")
        check_in(person)
        services.save_session(person, services.parse_session(session_payload()), services.today_for(person))
        coaching.accept_invite(person, coaching.create_invite(cora).code)
    assert count() == one


# ---- the client page in sections -------------------------------------------------------------------------

def test_the_client_page_has_its_sections_with_anchors(cora, alice, cora_client):
    page = cora_client.get(reverse("coach_client", args=[alice.pk])).content.decode()
    for name in ("summary", "plan", "changes", "progress", "sessions", "checkins", "access"):
        assert f'id="{name}"' in page and f'href="#{name}"' in page, name
    assert "client page: check-ins" in section(page, "access")  # this very read


def test_a_refused_change_returns_to_its_section_with_the_error_at_its_top(cora, alice, cora_client):
    page = cora_client.get(reverse("coach_client", args=[alice.pk])).content.decode()
    assert f'action="{reverse("coach_change", args=[alice.pk])}#changes"' in page  # the browser lands there
    r = cora_client.post(reverse("coach_change", args=[alice.pk]) + "#changes",
                         {"form": "dose", "exercise": "bird-dog", "sets": "99"})
    assert r.status_code == 400
    changes = section(r.content.decode(), "changes")
    top = changes[:changes.index('id="pin-form"')]  # before the first form of the section
    assert "Not saved." in top and "Sets: " in top
    assert "Not saved." not in section(r.content.decode(), "summary")


def test_a_saved_change_returns_to_its_section_saying_so(cora, alice, cora_client):
    r = cora_client.post(reverse("coach_change", args=[alice.pk]), {"form": "pin", "action": "pin", "exercise": "clamshell",
                                                                     "note": "Knees together."})
    assert r.status_code == 302 and r["Location"] == reverse("coach_client", args=[alice.pk]) + "#changes"
    page = cora_client.get(r["Location"]).content.decode()
    assert "Saved: your client sees it" in section(page, "changes")
    assert "Saved: your client sees it" not in page[:page.index('id="summary"')]  # not at the top, out of sight


# ---- the review summary ----------------------------------------------------------------------------------

def test_the_review_summary_holds_pain_function_adherence_changes_and_warning_signs(cora, alice, cora_client):
    on = services.today_for(alice)
    services.save_session(alice, services.parse_session(session_payload(pain_before=6)), on - dt.timedelta(days=3))
    services.save_session(alice, services.parse_session(session_payload(pain_before=3)), on)
    coaching.change(cora, alice.pk, "pin", exercise="clamshell", note="Keep the knees together.")
    services.report_red_flags(alice, ["fever"], "urgent")
    html = review.review_html(review.review_for(cora, alice.pk))
    assert "Review summary: alice@example.org" in html and "It is not a diagnosis" in html
    assert "meaningful improvement on the first rating: 2 points or 30% lower" in html
    assert "Activities rated" in html and "putting on socks" in html
    assert "Week of" in html and "routines planned up to today done" in html
    assert "What the app changed" in html and "Keep the knees together." in html
    # A physiotherapist's find: the coach's pin was listed as the app's change too, and the adherence
    # table began with empty weeks from before the client started (her first session, three days ago).
    app_part = html[html.index("What the app changed"):html.index("What the coach changed")]
    assert "clamshell" not in app_part.lower()
    first, monday = progress.this_week(on - dt.timedelta(days=3))[0], progress.this_week(on)[0]
    # Another: "Covers 30 Nov 2026 to 13 Dec 2026", printed 7 Dec; it ends today.
    assert re.search(rf"Covers \d\d \w\w\w \d{{4}} to {on:%d %b %Y}\.", html)
    weeks = re.findall(r"Week of (\d\d \w\w\w)", html)
    assert weeks == [f"{first:%d %b}", f"{monday:%d %b}"][-((monday - first).days // 7 + 1):]
    assert "Warning signs reported" in html and "fever" in html
    assert "<script" not in html


def test_the_review_summary_is_a_pdf_for_the_coach_only_and_its_read_is_logged(cora, alice, bob, cora_client, data_dir):
    r = cora_client.get(reverse("coach_review_pdf", args=[alice.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert r["Cache-Control"].startswith("private, no-store")
    assert AccessLog.objects.filter(client=alice, coach=cora, what__startswith="review summary").count() == 1
    for person in (alice, bob):
        web = Client()
        web.force_login(person)
        assert web.get(reverse("coach_review_pdf", args=[alice.pk])).status_code == 404


def test_while_the_summary_is_being_made_the_coach_is_told_to_come_back(cora, alice, cora_client, data_dir):
    with held(data_dir / "handouts" / str(alice.pk) / "making.lock"):
        r = cora_client.get(reverse("coach_review_pdf", args=[alice.pk]))
    assert r.status_code == 429 and r["Retry-After"] == "5"
    assert "The review summary is being made" in section(r.content.decode(), "summary")
    assert re.search(rb"%PDF", cora_client.get(reverse("coach_review_pdf", args=[alice.pk])).content[:8])


def test_the_list_shows_a_page_of_clients_most_in_need_first_and_logs_only_those_shown(
        cora, alice, bob, charlie, cora_client, monkeypatch):
    monkeypatch.setattr(coaching, "LIST_PAGE", 2)
    for person in (bob, charlie):
        coaching.accept_invite(person, coaching.create_invite(cora).code)
    services.report_red_flags(charlie, ["saddle_numbness"], "emergency")
    first = cora_client.get(reverse("coach_clients"))
    assert [r.email for r in first.context["rows"]][0] == "charlie@example.org"
    assert "Clients 1 to 2 of 3" in first.content.decode() and 'href="?page=2"' in first.content.decode()
    AccessLog.objects.all().delete()
    second = cora_client.get(reverse("coach_clients"), {"page": 2})
    (shown,) = second.context["rows"]
    assert list(AccessLog.objects.values_list("client__email", flat=True)) == [shown.email]
    assert cora_client.get(reverse("coach_clients"), {"page": "x"}).context["listed"].page == 1
    assert cora_client.get(reverse("coach_clients"), {"page": 99}).context["listed"].page == 2


def test_the_review_summary_shows_the_plan_as_it_stands_with_the_coachs_dose(cora, alice):
    # A physiotherapist's find: the summary for a review appointment had everything but the plan itself.
    before = services.current_plan(alice, services.today_for(alice)).plan
    strength = next(i for d in before.days for r in d.routines if r.kind == "strength" for i in r.items)
    coaching.change(cora, alice.pk, "dose", exercise=strength.exercise, dose={"sets": 2, "reps": 12})
    current = services.current_plan(alice, services.today_for(alice)).plan
    html = review.review_html(review.review_for(cora, alice.pk))
    part = html[html.index("<h2>Their plan now</h2>"):html.index("<h2>Pain over time</h2>")]
    assert f"The {len(current.days)} days from {current.start:%a %d %b}" in part
    items = {(r.title, i.name) for d in current.days for r in d.routines for i in r.items}
    assert items and all(escape(name) in part for _, name in items)
    assert f"{escape(strength.name)}: 2 sets × 12" in part and "(set by your coach)" in part
    relief = next(r for r in current.days[0].routines if r.kind == "relief")
    on_every_day = [i.name for i in relief.items if all(
        any(i.name == j.name for r in d.routines if r.title == relief.title for j in r.items) for d in current.days)]
    assert on_every_day and all(re.search(rf"{re.escape(escape(n))}[^<]*</td><td>every day", part) for n in on_every_day)

    services.report_red_flags(alice, ["fever_or_unwell"], "urgent")
    html = review.review_html(review.review_for(cora, alice.pk))
    part = html[html.index("<h2>Their plan now</h2>"):html.index("<h2>Pain over time</h2>")]
    assert "Their plan is stopped by warning signs until they check in again." in part and "<table>" not in part


def test_the_review_summary_says_when_the_app_advised_seeing_a_professional(cora, alice):
    # A physiotherapist's find: the joint out three times in four weeks, and the summary read "None open".
    on = services.today_for(alice)
    html = review.review_html(review.review_for(cora, alice.pk))
    assert "The app advised seeing a professional" not in html
    for days_ago in (9, 5, 1):
        services.save_session(alice, services.parse_session(session_payload(joint_went_out=True)),
                              on - dt.timedelta(days=days_ago))
    html = review.review_html(review.review_for(cora, alice.pk))
    box = html[html.index("The app advised seeing a professional"):html.index("<h2>Their plan now</h2>")]
    assert "The joint went out 3 times in four weeks" in box


def test_weeks_before_the_client_began_read_as_a_dash_not_zero_of_zero(cora, alice, cora_client):
    # A physiotherapist's find: a client of one week read "0/0 · 0/0 · 0/0 · 0/14".
    (row,) = rows(cora_client)
    by_week = row.adherence.by_week.split(" · ")
    assert by_week[:-1] == ["-"] * (len(by_week) - 1) and re.fullmatch(r"\d+/\d+", by_week[-1])
    page = cora_client.get(reverse("coach_clients")).content.decode()
    assert f'<span class="adherence">{row.adherence.by_week}</span>' in page and "-: nothing planned" in page
