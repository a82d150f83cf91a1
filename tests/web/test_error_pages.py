"""Errors a person can meet, in the site's layout (menu, foot, the disclaimer once): 403, an expired
form, 404, 405 and 500; and signing out from a typed or bookmarked /signout/."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
import pytest
from django.urls import reverse
from django.views import defaults

from sijcoach.web import security

LAYOUT = ('<nav aria-label="Main"', '<footer class="foot">', "not a diagnosis")


def in_layout(page: str) -> bool:
    return all(part in page for part in LAYOUT) and page.count("not a diagnosis") == 1


def test_an_unknown_address_answers_404_with_a_page_in_the_layout(alice_client, client, db):
    for web in (client, alice_client):
        r = web.get("/no/such/page/")
        assert r.status_code == 404
        page = r.content.decode()
        assert "There is no page here" in page and in_layout(page)
    assert f'href="{reverse("today")}"' in alice_client.get("/no/such/page/").content.decode()


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/me/plan/", "/api/"])
def test_an_api_address_that_names_nothing_answers_404_in_json(client, db, path):
    # A developer's find: the API's unknown addresses (a trailing slash too) answered the HTML page.
    r = client.get(path)
    assert r.status_code == 404 and r["Content-Type"].startswith("application/json")
    assert r.json()["detail"].startswith(f"No such address in the API: {path}")


def test_a_refused_page_answers_403_in_the_layout(alice, db):
    request = RequestFactory().get("/coach/")
    request.user = alice
    r = defaults.permission_denied(request, PermissionDenied("not yours"))
    page = r.content.decode()
    assert r.status_code == 403 and "You cannot open this page" in page and in_layout(page)


def test_an_expired_form_answers_403_saying_nothing_was_saved(alice, db):
    web = Client(enforce_csrf_checks=True)
    web.force_login(alice)
    r = web.post(reverse("morning"), {"pain_next_day": "3"})
    page = r.content.decode()
    assert r.status_code == 403 and "This form has expired" in page and "Nothing was saved" in page
    assert in_layout(page)


def test_opening_a_button_s_address_as_a_link_answers_405_with_a_page(alice_client, client, db):
    for web, path in ((alice_client, reverse("morning")), (alice_client, reverse("psfs_rate")),
                      (client, reverse("signout_everywhere"))):
        r = web.get(path)
        page = r.content.decode()
        assert r.status_code == 405, path
        assert r["Allow"] == "POST" and "Allowed here: POST." in page and in_layout(page), path


def test_the_api_answers_a_wrong_method_with_a_problem_in_json(alice_client, client):
    # A new user's find: the API answered a plain-text 'Method not allowed' served as HTML.
    for web, method, path, allowed in ((alice_client, "delete", "/api/v1/me/profile", "GET, HEAD, PUT"),
                                       (client, "get", "/api/v1/plan", "POST")):
        r = getattr(web, method)(path)
        assert r.status_code == 405 and r["Content-Type"] == "application/json", path
        assert r.json()["detail"] == [{"field": "(method)", "value": method.upper(), "allowed": allowed,
                                       "message": f"{method.upper()} is not allowed here; use {allowed}"}]
        assert sorted(m.strip() for m in r["Allow"].split(",")) == allowed.split(", ")  # kept, in any order


def test_the_api_answers_head_wherever_it_answers_get_with_the_same_headers_and_no_body(alice_client, db):
    # A developer's find: HEAD on the API answered 405 (django-ninja), where every page answers it.
    client = Client()  # signed out (alice_client is pytest-django's client, signed in)
    for web, path in ((client, "/api/v1/exercises"), (client, "/api/v1/exercises/glute-bridge"),
                      (alice_client, "/api/v1/me/profile"), (alice_client, "/api/v1/me/sessions")):
        got, head = web.get(path), web.head(path)
        assert got.status_code == head.status_code == 200, path
        assert head.content == b"" and got.content, path
        for name in ("Content-Type", "Cache-Control"):
            assert head.get(name) == got.get(name), (path, name)
    assert {"private", "no-store"} <= {part.strip() for part in alice_client.head("/api/v1/me/profile")["Cache-Control"].split(",")}
    assert client.head("/api/v1/me/profile").status_code == 401  # HEAD is no way around signing in
    r = client.head("/api/v1/plan")  # POST only: still refused, naming what is allowed
    assert r.status_code == 405 and r["Allow"] == "POST"


def test_an_unexpected_error_answers_500_in_the_layout(db):
    r = security.server_error(RequestFactory().get("/today/"))  # handler500, outside a database outage
    page = r.content.decode()
    assert r.status_code == 500 and "Something went wrong on our side" in page and in_layout(page)


def test_get_signout_shows_a_button_that_signs_out_and_changes_nothing_itself(alice_client, client, db):
    r = alice_client.get(reverse("signout"))
    page = r.content.decode()
    assert r.status_code == 200 and in_layout(page)
    assert f'<form method="post" action="{reverse("signout")}"' in page and '>Sign out</button>' in page
    assert SESSION_KEY in alice_client.session  # a GET signs nobody out
    r = alice_client.post(reverse("signout"))
    assert r.status_code == 302 and SESSION_KEY not in alice_client.session
    page = client.get(reverse("signout")).content.decode()
    assert "You are signed out" in page and f'href="{reverse("signin")}"' in page
