"""A coach's templates with personas: Cora saves Alice's changes as a template and applies it to Dana,
who is pregnant, so what pregnancy rules out is reported and not applied. Dave, another coach, never
sees Cora's templates; Bob is nobody's client; the access log and the versions follow coach mode."""

from __future__ import annotations

import re

import pytest
from conftest import check_in, make_coach, make_user
from django.contrib.messages import get_messages
from django.urls import reverse

from sijcoach.web.coaching import services as coaching
from sijcoach.web.coaching.models import AccessLog, CoachTemplate, CoachVersion
from sijcoach.web.plans import services
from sijcoach.web.plans.models import PlannedDay

NAME = "Low back basics"


@pytest.fixture
def cora_web(as_user, cora):
    return as_user(cora)


@pytest.fixture
def dave(as_user):
    """Another coach, signed in, and his client Erin."""
    coach = make_coach("dave@example.org")
    erin = make_user("erin@example.org")
    check_in(erin)
    coaching.accept_invite(erin, coaching.create_invite(coach).code)
    return as_user(coach), erin


@pytest.fixture
def dana(cora):
    """Cora's second client, 20 weeks pregnant: lying face down and lying flat on the back are out."""
    user = make_user("dana@example.org")
    check_in(user, pregnancy="pregnant", pregnancy_weeks=20)
    coaching.accept_invite(user, coaching.create_invite(cora).code)
    return user


def change(browser, person, **data):
    return browser.post(reverse("coach_change", args=[person.pk]), data)


def templates_post(browser, person, **data):
    """The coach's earlier messages are shown first, so that the response's messages are its own."""
    browser.get(reverse("coach_templates"))
    return browser.post(reverse("coach_client_templates", args=[person.pk]), data)


@pytest.fixture
def alices_changes(cora_web, alice):
    for data in ({"form": "pin", "action": "pin", "exercise": "clamshell", "note": "knees together"},
                 {"form": "pin", "action": "pin", "exercise": "prone-hip-extension"},
                 {"form": "pin", "action": "exclude", "exercise": "cat-cow", "note": "wrists"},
                 {"form": "dose", "exercise": "glute-bridge", "reps": "5", "hold_s": "10"}):
        assert change(cora_web, alice, **data).status_code == 302, data
    return coaching.client_page  # only the side effects matter


@pytest.fixture
def template(cora_web, alice, alices_changes):
    assert templates_post(cora_web, alice, form="template_save", name=NAME).status_code == 302
    return CoachTemplate.objects.get(name=NAME)


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def plan_slugs(user):
    plan = services.current_plan(user, services.today_for(user)).plan
    return {i.exercise for d in plan.days for r in d.routines for i in r.items}


# ---- saving --------------------------------------------------------------------------------------

def test_a_coach_saves_a_clients_pins_leave_outs_and_doses_with_their_notes(template, cora, alice):
    assert template.coach == cora
    adj = template.to_engine()
    assert [(i.exercise, i.note) for i in adj.pinned] == [("clamshell", "knees together"), ("prone-hip-extension", "")]
    assert [(i.exercise, i.note) for i in adj.excluded] == [("cat-cow", "wrists")]
    assert [(d.exercise, d.reps, d.hold_s) for d in adj.doses] == [("glute-bridge", 5, 10)]
    assert AccessLog.objects.filter(client=alice, what__startswith="template:").count() == 1


@pytest.mark.parametrize("name, words", [
    ("", "Template name: give the template a name."),
    ("   ", "Template name: give the template a name."),
    ("x" * 81, "Template name: at most 80 characters (this one has 81)."),
    ("low BACK basics", "Template name: you have a template called “low BACK basics” already."),
    ("two\tparts", "Template name: letters, digits, spaces and punctuation only"),
])
def test_a_bad_template_name_is_refused_beside_the_field(template, cora_web, alice, name, words):
    r = templates_post(cora_web, alice, form="template_save", name=name)
    assert r.status_code == 400
    html = r.content.decode()
    assert words in html
    assert re.search(r'id="templates".*class="error">Template name: ', html, re.S)
    assert CoachTemplate.objects.count() == 1


def test_a_client_without_changes_gives_no_template_and_the_coach_is_told_why(cora_web, alice):
    r = templates_post(cora_web, alice, form="template_save", name=NAME)
    assert r.status_code == 400 and "Nothing to save: you have not pinned" in r.content.decode()
    assert not CoachTemplate.objects.exists()
    assert AccessLog.objects.filter(client=alice, what__startswith="template:").count() == 1  # the read happened


def test_two_coaches_may_give_their_templates_the_same_name(template, dave):
    dave_web, erin = dave
    change(dave_web, erin, form="pin", action="pin", exercise="clamshell")
    assert templates_post(dave_web, erin, form="template_save", name=NAME).status_code == 302
    assert CoachTemplate.objects.filter(name=NAME).count() == 2


# ---- applying ------------------------------------------------------------------------------------

def test_applying_to_a_pregnant_client_applies_what_suits_her_and_reports_the_rest(template, cora_web, cora, dana,
                                                                                   as_user):
    PlannedDay.objects.filter(user=dana).delete()
    r = templates_post(cora_web, dana, form="template_apply", template=template.pk)
    assert r.status_code == 302 and r["Location"] == reverse("coach_client", args=[dana.pk])
    lines = said(r)
    assert lines[0] == f"Applied 2 of 4 items of “{NAME}”: your client sees the change on their Today page now."
    assert lines[1:3] == ["Applied: left out Cat-cow (note: wrists).", "Applied: pinned Clamshell (note: knees together)."]
    assert lines[3].startswith("Not applied: pin Lying leg lift on your front. Lying leg lift on your front is ruled "
                               "out: it is not advised in pregnancy")
    assert lines[4].startswith("Not applied: set Glute bridge to 5 repetitions, 10 s hold. Glute bridge is ruled out: "
                               "it is done lying flat on the back")
    version = CoachVersion.objects.get(link__client=dana)
    assert (version.kind, version.made_by) == ("template", cora)
    assert version.what == "Changed several exercises at once: left out Cat-cow (note: wrists); pinned Clamshell (note: knees together)."
    adj, _ = version.to_engine()
    assert [i.exercise for i in adj.pinned] == ["clamshell"] and adj.doses == ()
    slugs = plan_slugs(dana)
    assert "clamshell" in slugs and "cat-cow" not in slugs and "prone-hip-extension" not in slugs
    assert PlannedDay.objects.filter(user=dana).exists()  # her planned days were kept anew
    dana_web = as_user(dana)
    for url in (reverse("my_coach"), reverse("today")):
        page = dana_web.get(url).content.decode()
        assert "left out Cat-cow (note: wrists); pinned Clamshell" in page and NAME not in page, url
    assert AccessLog.objects.filter(client=dana, what__startswith="template:").count() == 1


def test_the_report_is_on_the_page_the_coach_lands_on(template, cora_web, dana):
    r = cora_web.post(reverse("coach_client_templates", args=[dana.pk]),
                      {"form": "template_apply", "template": template.pk}, follow=True)
    html = r.content.decode()
    assert r.status_code == 200 and "Applied: pinned Clamshell (note: knees together)." in html
    assert "Not applied: pin Lying leg lift on your front." in html


def test_applying_again_changes_nothing_and_says_so(template, cora_web, dana):
    templates_post(cora_web, dana, form="template_apply", template=template.pk)
    before = list(CoachVersion.objects.filter(link__client=dana).values_list("adjustments", flat=True))
    r = templates_post(cora_web, dana, form="template_apply", template=template.pk)
    lines = said(r)
    assert r.status_code == 302 and lines[0].startswith(f"Nothing changed: no item of “{NAME}” could be added")
    assert "Already in their plan: pinned Clamshell (note: knees together)." in lines
    assert list(CoachVersion.objects.filter(link__client=dana).values_list("adjustments", flat=True)) == before


def test_a_template_applied_to_a_client_who_has_not_checked_in_only_leaves_out(template, cora, cora_web):
    fay = make_user("fay@example.org")
    coaching.accept_invite(fay, coaching.create_invite(cora).code)
    r = templates_post(cora_web, fay, form="template_apply", template=template.pk)
    lines = said(r)
    assert lines[0].startswith(f"Applied 1 of 4 items of “{NAME}”")
    assert sum("has not checked in yet" in line for line in lines) == 3
    adj, _ = CoachVersion.objects.get(link__client=fay).to_engine()
    assert [i.exercise for i in adj.excluded] == ["cat-cow"] and adj.pinned == ()


def test_applying_keeps_the_clients_findings_and_other_changes(template, cora_web, dana):
    assert change(cora_web, dana, form="findings", beighton_score="3").status_code == 302
    # An exercise in Dana's plan (the bird-dog is above her level: a dose for it is refused now).
    assert change(cora_web, dana, form="dose", exercise="quadruped-leg-slide", reps="6").status_code == 302
    templates_post(cora_web, dana, form="template_apply", template=template.pk)
    adj, findings = CoachVersion.objects.filter(link__client=dana).order_by("-id").first().to_engine()
    assert findings.beighton_score == 3
    assert [(d.exercise, d.reps) for d in adj.doses] == [("quadruped-leg-slide", 6)]


def test_a_template_reaches_only_the_coachs_own_active_clients(template, cora_web, alice, bob):
    assert templates_post(cora_web, bob, form="template_apply", template=template.pk).status_code == 404
    assert templates_post(cora_web, bob, form="template_save", name="Bob's").status_code == 404
    coaching.leave_coach(alice)
    assert templates_post(cora_web, alice, form="template_apply", template=template.pk).status_code == 404
    assert not CoachVersion.objects.filter(link__client=bob).exists()
    assert not AccessLog.objects.filter(client=bob).exists()
    assert CoachTemplate.objects.count() == 1


def test_no_template_chosen_is_refused_naming_the_field(template, cora_web, dana):
    r = templates_post(cora_web, dana, form="template_apply", template="")
    assert r.status_code == 400 and "Template: choose one of your templates." in r.content.decode()
    assert not CoachVersion.objects.filter(link__client=dana).exists()


# ---- another coach -------------------------------------------------------------------------------

def test_another_coach_cannot_see_apply_rename_or_delete_a_template(template, dave):
    dave_web, erin = dave
    assert NAME not in dave_web.get(reverse("coach_templates")).content.decode()
    assert NAME not in dave_web.get(reverse("coach_client", args=[erin.pk])).content.decode()
    assert templates_post(dave_web, erin, form="template_apply", template=template.pk).status_code == 404
    url = reverse("coach_template", args=[template.pk])
    assert dave_web.post(url, {"action": "delete"}).status_code == 404
    assert dave_web.post(url, {"action": "rename", "name": "Mine now"}).status_code == 404
    template.refresh_from_db()
    assert template.name == NAME
    assert not CoachVersion.objects.filter(link__client=erin).exists()


def test_a_person_who_is_not_a_coach_sees_no_template_page(template, alice, bob, as_user):
    for person in (alice, bob):
        browser = as_user(person)
        assert browser.get(reverse("coach_templates")).status_code == 404
        assert browser.post(reverse("coach_template", args=[template.pk]), {"action": "delete"}).status_code == 404
        assert templates_post(browser, alice, form="template_apply", template=template.pk).status_code == 404
    assert CoachTemplate.objects.count() == 1


# ---- the list: rename and delete -----------------------------------------------------------------

def test_the_coach_lists_renames_and_deletes_their_templates(template, cora_web, dana):
    html = cora_web.get(reverse("coach_templates")).content.decode()
    assert NAME in html and "Clamshell (knees together)" in html and "Glute bridge: 5 repetitions, 10 s hold" in html
    url = reverse("coach_template", args=[template.pk])
    assert cora_web.post(url, {"action": "rename", "name": "Core start"}).status_code == 302
    template.refresh_from_db()
    assert template.name == "Core start"
    templates_post(cora_web, dana, form="template_apply", template=template.pk)
    cora_web.get(reverse("coach_templates"))  # shows the apply's report
    r = cora_web.post(url, {"action": "delete"})
    assert r.status_code == 302 and said(r) == ["Deleted your template “Core start”. Clients it was applied to keep "
                                                "their changes."]
    assert not CoachTemplate.objects.exists()
    assert CoachVersion.objects.filter(link__client=dana, kind="template").exists()


def test_a_rename_to_a_name_in_use_is_refused_beside_the_field(template, cora_web, alice):
    templates_post(cora_web, alice, form="template_save", name="Second")
    second = CoachTemplate.objects.get(name="Second")
    r = cora_web.post(reverse("coach_template", args=[second.pk]), {"action": "rename", "name": NAME.upper()})
    assert r.status_code == 400
    assert f"Template name: you have a template called “{NAME.upper()}” already." in r.content.decode()
    r = cora_web.post(reverse("coach_template", args=[second.pk]), {"action": "rename", "name": "second"})
    assert r.status_code == 302  # its own name, in other letters


INLINE = re.compile(r"""<[^>]*\s(style|on[a-z]+)\s*=|<script\b(?![^>]*\bsrc=)""", re.I)


def test_template_pages_have_no_inline_script_or_style_and_every_field_is_labelled(template, cora_web, dana):
    pages = [cora_web.get(reverse("coach_templates")), cora_web.get(reverse("coach_client", args=[dana.pk])),
             templates_post(cora_web, dana, form="template_save", name=""),
             cora_web.post(reverse("coach_template", args=[template.pk]), {"action": "rename", "name": ""})]
    for r in pages:
        html = r.content.decode()
        assert r.status_code in (200, 400) and not INLINE.search(html), r.request["PATH_INFO"]
        assert 'id="templates"' in html or "Your templates" in html
        for form in re.findall(r"<form\b[^>]*method=\"post\".*?</form>", html, re.S):
            assert "csrfmiddlewaretoken" in form
        for ident in re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"', html):
            assert f'for="{ident}"' in html, (r.request["PATH_INFO"], ident)


def test_the_coachs_export_holds_their_templates_and_the_clients_does_not(template, cora_web, as_user, alice):
    mine = cora_web.get(reverse("export")).json()["coaching"]["templates"]
    assert [t["name"] for t in mine] == [NAME] and mine[0]["adjustments"]["excluded"][0]["exercise"] == "cat-cow"
    assert as_user(alice).get(reverse("export")).json()["coaching"]["templates"] == []


def test_a_coach_at_the_most_templates_is_told_to_delete_one_first(template, cora_web, alice, monkeypatch):
    from sijcoach.web.coaching import templates_service

    monkeypatch.setattr(templates_service, "TEMPLATES_MAX", 1)
    r = templates_post(cora_web, alice, form="template_save", name="Another")
    assert r.status_code == 400 and "You have 1 templates, the most a coach may keep" in r.content.decode()
    assert CoachTemplate.objects.count() == 1
