"""Every page, seen by Alice and Bob (who have plans), Charlie (only an account), Cora (a coach, with
Alice as her client) and an anonymous visitor: each gets a sensible answer and sees only their own
data (and Cora her client's, and Alice her coach's address; the two of them, their messages).

The page list is checked against urls.py, so a new page without an entry here fails a test."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from conftest import session_payload
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sijcoach.web.accounts.models import ApiToken
from sijcoach.web.coaching import messages as talk
from sijcoach.web.coaching import services as coaching
from sijcoach.web.coaching.models import CoachLink, CoachVersion, Invite, Message
from sijcoach.web.plans import services
from sijcoach.web.plans.models import PsfsActivity, PsfsRating, RedFlagReport, Session

PEOPLE = ("alice", "bob", "charlie", "cora")
NO_DATA = ("charlie", "cora")  # neither has a plan, sessions or activities
# What one person may see of another's: a coach her client's data, a client their coach's address.
SHARED = {("cora", "alice"): {"email", "activity", "message"}, ("alice", "cora"): {"email", "message"}}
TALKING = ("alice", "cora")  # each has written to the other
SIGNIN = reverse("signin") + "?next="


@dataclass(frozen=True)
class Page:
    """What a GET answers: `people` for everyone signed in, `charlie` when he differs, `anon` for a visitor.

    An int is a status; a string is where the page redirects; "signin" is the sign-in page."""

    url: str
    anon: int | str = "signin"
    people: int | str = 200
    charlie: int | str | None = None
    cora: int | str | None = None  # when she differs from Charlie (who has no plan either)
    own: tuple[str, ...] = field(default=())  # what of a person's own data the page shows
    reveals: tuple[str, ...] = ()  # whose email the page shows whoever opens it (an invite, its coach)


PAGES = {
    "home": Page("/", anon=200, people=reverse("today")),
    "signup": Page(reverse("signup"), anon=200),
    "signin": Page(reverse("signin"), anon=200),
    "signout": Page(reverse("signout"), anon=200),  # a page with the sign-out button
    "account": Page(reverse("account"), own=("email", "token")),
    "signout_everywhere": Page(reverse("signout_everywhere"), people=405),
    "revoke_token": Page("/account/tokens/{token}/revoke/", people=405),
    "export": Page(reverse("export"), own=("email", "token", "activity")),
    "delete_account": Page(reverse("delete_account")),
    "checkin_start": Page(reverse("checkin_start"), people=reverse("checkin_step", args=["warning-signs"])),
    "checkin_stop": Page(reverse("checkin_stop"), people=reverse("today")),
    "checkin_step": Page(reverse("checkin_step", args=["about"]), people=reverse("checkin_start")),
    "today": Page(reverse("today")),
    "advice": Page(reverse("advice")),
    "more": Page(reverse("more")),
    "picture": Page("/pictures/bird-dog/end-plain.0.svg", anon=200),  # a drawing: the same for everyone
    "morning": Page(reverse("morning"), people=405),
    "session": Page(reverse("session", args=[0]), charlie=404),
    "session_day": Page(reverse("session_day"), charlie=404),
    "manifest": Page(reverse("manifest"), anon=200),
    "service_worker": Page(reverse("service_worker"), anon=200),
    "progress": Page(reverse("progress"), own=("activity",)),
    "psfs_rate": Page(reverse("psfs_rate"), people=405),
    "history": Page(reverse("history")),
    "library": Page(reverse("library"), anon=200),
    "exercise": Page(reverse("exercise", args=["bird-dog"]), anon=200),
    "settings": Page(reverse("settings")),
    "activities": Page(reverse("activities"), people=405),
    "ping": Page(reverse("ping"), anon=200),
    "coach_clients": Page(reverse("coach_clients"), people=404, cora=200),
    "coach_invite": Page(reverse("coach_invite"), people=404, cora=200),
    "coach_client": Page("/coach/clients/{alice}/", people=404, cora=200),
    "coach_change": Page("/coach/clients/{alice}/change/", people=404, cora=405),
    "coach_client_templates": Page("/coach/clients/{alice}/templates/", people=404, cora=405),
    "coach_templates": Page(reverse("coach_templates"), people=404, cora=200),
    "coach_template": Page("/coach/templates/0/", people=404, cora=405),
    "coach_message": Page("/coach/clients/{alice}/messages/", people=404, cora=405),
    "coach_flag_seen": Page("/coach/clients/{alice}/seen/", people=404, cora=405),
    "coach_end_link": Page("/coach/clients/{alice}/end/", people=404, cora=405),
    "coach_review_pdf": Page("/coach/clients/{alice}/review.pdf", people=404, cora=200),  # a PDF of Alice's data
    "coach_client_record": Page("/coach/clients/{alice}/health-record.json", people=404, cora=200),  # her FHIR file
    "my_coach": Page(reverse("my_coach")),
    "my_messages": Page(reverse("my_messages"), people=405),
    "join_coach": Page("/my-coach/join/{invite}/", reveals=("cora",)),
    "learn": Page(reverse("learn")),
    "learn_lesson": Page(reverse("learn_lesson", args=["the-si-joint"])),
    "learn_read": Page(reverse("learn_read", args=["the-si-joint"]), people=405),
    "learn_picture": Page("/learn/pictures/si-joint.0.svg", anon=200),  # a lesson's diagram: the same for everyone
}


def page_names() -> set[str]:
    """Every named page in urls.py, except the JSON API under /api/ (tested on its own)."""
    names = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) or str(entry.pattern).startswith("api/"):
            continue
        assert isinstance(entry, URLPattern) and entry.name, f"give {entry.pattern} a name"
        names.add(entry.name)
    return names


def test_every_page_has_a_persona_check():
    assert page_names() == set(PAGES)


def markers(who: str) -> dict[str, list[str]]:
    return {"email": [f"{who}@example.org"], "token": [f"{who}-secret-token-name"],
            "activity": [f"{who}-activity-{i}" for i in range(3)] if who not in NO_DATA else [],
            "message": [f"{who}-message-words"] if who in TALKING else []}


@pytest.fixture
def people(alice, bob, charlie, cora) -> dict[str, tuple]:
    """The four personas, each with their own client and data that names them."""
    out = {}
    for who, user in (("alice", alice), ("bob", bob), ("charlie", charlie), ("cora", cora)):
        for i, act in enumerate(PsfsActivity.objects.filter(user=user)):
            act.name = f"{who}-activity-{i}"
            act.save()
        token, _ = ApiToken.issue(user, f"{who}-secret-token-name")
        if who not in NO_DATA:
            services.save_session(user, services.parse_session(session_payload()), services.today_for(user))
        client = Client()
        client.force_login(user)
        out[who] = (user, client, token)
    out["invite"] = coaching.create_invite(cora).code
    talk.send_as_client(alice, "alice-message-words")
    talk.send_as_coach(cora, alice.pk, "cora-message-words")
    return out


def expected(page: Page, who: str | None) -> int | str:
    if who is None:
        return page.anon
    if who == "cora" and page.cora is not None:
        return page.cora
    if who in NO_DATA and page.charlie is not None:
        return page.charlie
    return page.people


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_person_gets_a_sensible_answer_and_only_their_own_data(people, name):
    page = PAGES[name]
    for who in (None, *PEOPLE):
        client = people[who][1] if who else Client()
        token = people[who or "alice"][2]
        url = page.url.format(token=token.pk, alice=people["alice"][0].pk, invite=people["invite"])
        r = client.get(url)
        want = expected(page, who)
        if want == "signin":
            assert r.status_code == 302 and r["Location"] == SIGNIN + url, (name, who)
            continue
        if isinstance(want, str):
            assert r.status_code == 302 and r["Location"] == want, (name, who, r.status_code)
            continue
        assert r.status_code == want, (name, who, r.status_code)
        text = r.content.decode(errors="replace")  # a PDF is bytes; its text is compressed (and Cora's to see)
        for other in PEOPLE:
            if other != who:
                for kind, values in markers(other).items():
                    if kind in SHARED.get((who, other), ()) or (kind == "email" and other in page.reveals):
                        continue
                    for value in values:
                        assert value not in text, f"{name}: {who or 'a visitor'} sees {other}'s {kind}"
        if who is not None and want == 200:
            for kind in page.own:
                for value in markers(who)[kind]:
                    assert value in text, f"{name}: {who} does not see their own {kind}"


@pytest.mark.parametrize("name", ["morning", "psfs_rate", "revoke_token",
                                  "account", "settings", "delete_account", "checkin_step", "coach_invite",
                                  "coach_change", "coach_client_templates", "coach_template", "coach_message",
                                  "coach_flag_seen", "coach_end_link", "my_coach", "my_messages", "join_coach",
                                  "learn_read"])
def test_a_visitor_cannot_post_to_a_private_page(people, name):
    url = PAGES[name].url.format(token=people["alice"][2].pk, alice=people["alice"][0].pk, invite=people["invite"])
    before = stored()
    r = Client().post(url, json.dumps(session_payload()), content_type="application/json")
    assert r.status_code == 302 and r["Location"] == SIGNIN + url
    assert stored() == before


def stored() -> tuple:
    return (Session.objects.count(), PsfsRating.objects.count(), ApiToken.objects.filter(revoked_at=None).count(),
            Invite.objects.count(), CoachLink.objects.filter(ended_at=None).count(), CoachVersion.objects.count(),
            Message.objects.count(), Message.objects.filter(read_at=None).count())


def test_bob_cannot_revoke_alices_token(people):
    alices_token = people["alice"][2]
    r = people["bob"][1].post(f"/account/tokens/{alices_token.pk}/revoke/")
    assert r.status_code == 404
    alices_token.refresh_from_db()
    assert alices_token.active


def test_a_token_id_that_does_not_exist_is_404(people):
    assert people["alice"][1].post("/account/tokens/999999/revoke/").status_code == 404


def test_alices_progress_holds_none_of_bobs_sessions_or_ratings(people):
    alice, client, _ = people["alice"]
    bob = people["bob"][0]
    Session.objects.filter(user=alice).delete()
    PsfsRating.objects.filter(activity__user=alice).delete()
    assert Session.objects.filter(user=bob).exists() and PsfsRating.objects.filter(activity__user=bob).exists()
    p = client.get(reverse("progress")).context["p"]
    assert p.pain_points == [] and p.pillars == [] and p.psfs_points == []
    assert all(day.status != "done" for day in p.calendar)


def test_bobs_finished_session_is_his_alone(people):
    bob, client, _ = people["bob"]
    alice = people["alice"][0]
    before = Session.objects.filter(user=alice).count()
    assert client.post("/api/v1/me/sessions", json.dumps(session_payload()),
                       content_type="application/json").status_code == 201
    assert Session.objects.filter(user=alice).count() == before
    assert Session.objects.filter(user=bob).count() == 2


def test_each_persons_export_holds_only_their_own_sessions(people):
    for who in PEOPLE:
        user, client, _ = people[who]
        data = client.get(reverse("export")).json()
        assert len(data["sessions"]) == Session.objects.filter(user=user).count()
        assert data["account"]["email"] == f"{who}@example.org"
        assert [t["name"] for t in data["api_tokens"]] == [f"{who}-secret-token-name"]


def test_history_shows_each_person_only_their_check_ins(people):
    for who in PEOPLE:
        user, client, _ = people[who]
        r = client.get(reverse("history"))
        mine = [c.created_at for c in user.checkins.all()] + [x.created_at for x in RedFlagReport.objects.filter(user=user)]
        assert sorted(when for when, *_ in r.context["rows"]) == sorted(mine)
