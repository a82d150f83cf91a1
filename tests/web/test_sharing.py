"""Print and share: the handout PDF, the calendar (file and secret address) and the FHIR record,
from the pages and the API; a stopped address answers 404; nobody gets another person's."""

from __future__ import annotations

import re
import datetime as dt
import json

import pypdfium2
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from sijcoach.web.accounts.models import ApiToken
from sijcoach.web.plans import services
from sijcoach.web.plans.models import CheckIn, Preferences
from sijcoach.web.sharing.models import CalendarFeed
from web.conftest import session_payload


def pdf_text(body: bytes) -> str:
    doc = pypdfium2.PdfDocument(body)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def events(body: bytes) -> list:
    return [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]


def new_feed_url(client) -> str:
    r = client.post(reverse("new_feed"))
    assert r.status_code == 200
    return r.context["new_feed_url"]


def test_the_share_page_offers_all_three(alice_client, alice):
    page = alice_client.get(reverse("share")).content.decode()
    for text in ("Printable handout", "Calendar", "Health record (FHIR)", "not a diagnosis"):
        assert text in page


def test_alice_downloads_her_handout_with_her_plans_exercises(alice_client, alice):
    r = alice_client.get(reverse("handout"), {"paper": "letter", "name": "Alice A."})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "attachment" in r["Content-Disposition"]
    doc = pypdfium2.PdfDocument(r.content)
    assert tuple(round(x) for x in doc[0].get_size()) == (612, 792)
    text = pdf_text(r.content)
    plan = services.current_plan(alice, services.today_for(alice)).plan
    names = {it.name for d in plan.days for rt in d.routines for it in rt.items}
    assert names and all(n in " ".join(text.split()) for n in names)
    assert "Alice A." in text


@pytest.mark.parametrize("query, field", [({"paper": "a3"}, "Paper"), ({"name": "x\x07y"}, "Name")])
def test_a_bad_handout_choice_is_refused_naming_the_field(alice_client, alice, query, field):
    r = alice_client.get(reverse("handout"), query)
    assert r.status_code == 400 and r["Content-Type"].startswith("text/html")
    assert field in r.content.decode()


def test_charlie_without_a_check_in_is_sent_to_check_in(client, charlie):
    client.force_login(charlie)
    for name in ("handout", "calendar_download", "fhir"):
        r = client.get(reverse(name), follow=True)
        assert "Check in first" in r.content.decode()


def test_the_calendar_has_an_event_per_routine_with_alarms_at_the_reminder_time(alice_client, alice):
    Preferences.objects.filter(user=alice).update(reminder_time="07:30", time_zone="Europe/Paris")
    r = alice_client.get(reverse("calendar_download"))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    plan = services.current_plan(alice, services.today_for(alice), 28).plan
    evs = events(r.content)
    assert len(evs) == sum(len(d.routines) for d in plan.days)
    first = min(evs, key=lambda e: e.decoded("dtstart"))
    assert first.decoded("dtstart").strftime("%H:%M") == "07:30"
    assert str(first.decoded("dtstart").tzinfo) == "Europe/Paris"
    days = {e.decoded("dtstart").date() for e in evs}
    assert sum(len(e.walk("VALARM")) for e in evs) == len(days) == len(plan.days)  # one alarm a day


def test_a_subscribed_address_works_without_signing_in_and_stops_when_revoked(alice_client, alice):
    url = new_feed_url(alice_client)
    path = url.split("testserver", 1)[1]
    anonymous = Client()
    r = anonymous.get(path)
    assert r.status_code == 200 and events(r.content)
    alice_client.post(reverse("stop_feeds"))
    assert anonymous.get(path).status_code == 404


def test_a_new_address_replaces_the_old_one(alice_client, alice):
    old = new_feed_url(alice_client).split("testserver", 1)[1]
    new = new_feed_url(alice_client).split("testserver", 1)[1]
    assert Client().get(old).status_code == 404 and Client().get(new).status_code == 200
    assert CalendarFeed.objects.filter(user=alice, revoked_at__isnull=True).count() == 1


def test_a_made_up_address_is_404(db):
    assert Client().get("/calendar/not-a-real-secret.ics").status_code == 404


def test_the_address_is_shown_once_and_only_its_hash_is_kept(alice_client, alice):
    url = new_feed_url(alice_client)
    key = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert not CalendarFeed.objects.filter(digest=key).exists()
    assert key not in alice_client.get(reverse("share")).content.decode()


def test_bobs_address_shows_bobs_plan_not_alices(alice_client, alice, bob):
    bobs = Client()
    bobs.force_login(bob)
    path = new_feed_url(bobs).split("testserver", 1)[1]
    body = Client().get(path).content
    bob_plan = services.current_plan(bob, services.today_for(bob), 28).plan
    assert len(events(body)) == sum(len(d.routines) for d in bob_plan.days)
    assert all("bob" not in str(e.get("uid")) for e in events(body))


def test_the_fhir_record_shares_only_what_alice_chose(alice_client, alice):
    services.save_session(alice, services.parse_session(session_payload()), services.today_for(alice))
    bare = json.loads(alice_client.get(reverse("fhir")).content)
    patient = next(e["resource"] for e in bare["entry"] if e["resource"]["resourceType"] == "Patient")
    assert set(patient) <= {"resourceType", "id", "meta"}
    assert "alice" not in json.dumps(bare)
    shared = json.loads(alice_client.get(reverse("fhir"), {"share_name": "on", "share_sex": "on"}).content)
    patient = next(e["resource"] for e in shared["entry"] if e["resource"]["resourceType"] == "Patient")
    assert patient["gender"] == "female" and "alice@example.org" in json.dumps(patient["name"])
    pains = [e["resource"] for e in shared["entry"] if e["resource"]["resourceType"] == "Observation"
             and e["resource"]["code"]["coding"][0].get("code") == "72514-3"]
    by_time = {}
    for p in pains:
        by_time.setdefault(p["component"][0]["valueCodeableConcept"]["coding"][0]["code"], []).append(p["valueInteger"])
    assert by_time == {"before-session": [3], "after-session": [2], "check-in": [services.latest_checkin(alice).profile["pain_now"]]}


def _check_in_pains(record: bytes) -> list[tuple[str, int]]:
    pains = [e["resource"] for e in json.loads(record)["entry"] if e["resource"]["resourceType"] == "Observation"
             and e["resource"]["code"]["coding"][0].get("code") == "72514-3"]
    return [(p["effectiveDateTime"], p["valueInteger"]) for p in pains
            if p["component"][0]["valueCodeableConcept"]["coding"][0]["code"] == "check-in"]


def test_the_fhir_record_holds_the_pain_of_every_check_in_the_person_answered(alice_client, alice):
    # A physiotherapist's find: the record had the sessions' pain but not the check-in's, the baseline.
    first = services.latest_checkin(alice)
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=10)  # (within the sign-in's 14 idle days)
    with time_machine.travel(later, tick=False):
        services.save_checkin(alice, {**first.profile, "pain_now": 2}, services.today_for(alice))
        services.save_checkin(alice, {**first.profile, "pain_now": 1}, services.today_for(alice),
                              source=CheckIn.Source.SETTINGS)  # a copy made by a change of settings: not a rating
        record = alice_client.get(reverse("fhir")).content
        assert _check_in_pains(record) == [(first.answered_on.isoformat(), first.profile["pain_now"]),
                                           (services.today_for(alice).isoformat(), 2)]


def test_the_fhir_screening_is_dated_when_the_warning_signs_were_answered(alice_client, alice):
    # A physiotherapist's find: answers given on 22 Nov read as screened at the moment of the download.
    checkin = services.latest_checkin(alice)
    with time_machine.travel(dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=5), tick=False):
        def authored() -> dt.datetime:
            record = json.loads(alice_client.get(reverse("fhir")).content)
            (screening,) = [e["resource"] for e in record["entry"]
                            if e["resource"]["resourceType"] == "QuestionnaireResponse"]
            return dt.datetime.fromisoformat(screening["authored"])
        assert authored() == checkin.created_at.replace(microsecond=0)
        report = services.report_red_flags(alice, ["pregnancy_maternity_sign"], "urgent")
        assert authored() == report.created_at.replace(microsecond=0) > checkin.created_at


def test_the_fhir_record_says_yes_to_a_warning_sign_reported_since_the_check_in(alice_client, alice):
    # The check-in's answers said no; the sign reported since stops the plan and must not be exported as no.
    services.report_red_flags(alice, ["pregnancy_maternity_sign"], "urgent")
    record = json.loads(alice_client.get(reverse("fhir")).content)
    resources = {e["resource"]["resourceType"]: e["resource"] for e in record["entry"]}
    answers = {item["linkId"]: item["answer"][0]["valueBoolean"] for item in resources["QuestionnaireResponse"]["item"]}
    assert answers["pregnancy_maternity_sign"] is True and answers["saddle_numbness"] is False
    assert "pregnancy_warning_sign" not in answers  # retired: no longer asked, and not in these answers
    care_plan = resources["CarePlan"]
    assert care_plan["status"] == "on-hold" and "activity" not in care_plan
    assert any("maternity unit" in note["text"] for note in care_plan["note"])
    services.save_checkin(alice, {**services.latest_checkin(alice).profile, "red_flags": []}, services.today_for(alice))
    record = json.loads(alice_client.get(reverse("fhir")).content)
    resources = {e["resource"]["resourceType"]: e["resource"] for e in record["entry"]}
    assert resources["CarePlan"]["status"] == "active" and resources["CarePlan"]["activity"]


def test_the_api_gives_the_same_files_with_a_token(alice):
    _, key = ApiToken.issue(alice, "script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    pdf = api.get("/api/v1/me/handout", {"paper": "a4"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    ics = api.get("/api/v1/me/calendar")
    assert ics.status_code == 200 and events(ics.content)
    record = api.get("/api/v1/me/fhir")
    assert record.status_code == 200 and json.loads(record.content)["resourceType"] == "Bundle"


def test_the_api_refuses_a_bad_paper_naming_it(alice):
    _, key = ApiToken.issue(alice, "script")
    r = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/me/handout", {"paper": "a3"})
    assert r.status_code == 422 and "paper" in r.content.decode()
    # What is allowed, in the API's words (a developer's find: "Input should be 'a4' or 'letter'").
    assert r.json()["detail"][0]["allowed"] == "one of a4, letter"


def test_the_api_exports_need_a_token(db):
    for path in ("/api/v1/me/handout", "/api/v1/me/calendar", "/api/v1/me/fhir"):
        assert Client().get(path).status_code == 401


def test_a_warning_sign_reported_after_the_check_in_stops_the_handout(alice_client, alice):
    services.report_red_flags(alice, ["saddle_numbness"], "emergency")
    text = pdf_text(alice_client.get(reverse("handout")).content)
    plan = services.current_plan(alice, services.today_for(alice)).plan
    first = plan.days[0].routines[0].items[0].name
    assert first not in text


def test_the_api_document_says_what_each_fhir_share_option_puts_in_the_record(client, db):
    # A developer's find: share_name had no description, and it puts the account's email in Patient.name.
    params = {p["name"]: p for p in client.get("/api/openapi.json").json()["paths"]["/api/v1/me/fhir"]["get"]["parameters"]}
    assert "email address" in params["share_name"]["description"]
    assert all(params[name].get("description") for name in ("share_name", "share_birth_year", "share_sex"))


def test_the_health_records_code_systems_do_not_change_with_the_address_asked(alice_client, settings):
    # A developer's find: /me/fhir named its code systems after the Host header (127.0.0.1, localhost...),
    # and the command line after a third address: three code systems for the same codes.
    def systems(host: str) -> set[str]:
        r = alice_client.get(reverse("fhir"), HTTP_HOST=host)
        assert r.status_code == 200, r.status_code
        return set(re.findall(r'"system": "([^"]*/fhir/CodeSystem/[^"]*)"', r.content.decode()))

    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    assert systems("127.0.0.1") == systems("localhost")
    assert all(s.startswith("https://sijcoach.example/fhir/") for s in systems("localhost"))
    settings.BASE_URL = "https://coach.example.org"
    assert all(s.startswith("https://coach.example.org/fhir/") for s in systems("localhost"))
