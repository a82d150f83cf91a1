"""Security headers on every page, no inline script or style, CSRF on every POST, and the cookies."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import PASSWORD, session_payload
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from sijcoach.web.accounts.models import ApiToken
from sijcoach.web.plans.models import PsfsActivity

TEMPLATES = Path(settings.TEMPLATES[0]["DIRS"][0])
SAMPLE_ARGS = {"token_id": None, "step": "warning-signs", "index": 0, "slug": "bird-dog", "client_id": 0,
               "code": "NOSUCHCODE", "kind": "end", "side": "plain", "digest": "0",
               "lesson": "the-si-joint", "name": "si-joint", "template_id": 0}  # coach mode: Alice is nobody's coach (test_coaching renders them as one)
POST_ONLY = {"signout", "revoke_token", "morning", "psfs_rate", "coach_change", "coach_message", "my_messages",
             "learn_read", "coach_client_templates", "coach_template", "coach_flag_seen"}

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
STYLE_ATTR = re.compile(r"""<[^>]*\sstyle\s*=""", re.I)
HANDLER_ATTR = re.compile(r"""<[^>]*\son[a-z]+\s*=""", re.I)


def page_urls(token_id: int) -> dict[str, str]:
    """Every page in urls.py (not the JSON API), with sample arguments."""
    urls = {}
    for entry in get_resolver().url_patterns:
        if not isinstance(entry, URLPattern) or str(entry.pattern).startswith("api/"):
            continue
        kwargs = {k: (token_id if k == "token_id" else SAMPLE_ARGS[k]) for k in entry.pattern.converters}
        urls[entry.name] = reverse(entry.name, kwargs=kwargs)
    return urls


@pytest.fixture
def token(alice):
    return ApiToken.issue(alice, "laptop")[0]


def responses(alice, token):
    """Every page as a visitor and as Alice sees it, plus a 404 and the session JSON endpoints."""
    visitor, signed_in = Client(), Client()
    signed_in.force_login(alice)
    for name, url in page_urls(token.pk).items():
        for client in (visitor, signed_in):
            yield name, client.get(url)
            if name in POST_ONLY:
                yield name, client.post(url, json.dumps({"exercise": "bird-dog", "pain": 2}),
                                        content_type="application/json")
    yield "missing", signed_in.get("/no/such/page/")
    yield "bad pain question", signed_in.post("/api/v1/me/pain", "{", content_type="application/json")


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


def test_every_response_carries_the_security_headers(alice, token):
    seen = set()
    for name, r in responses(alice, token):
        seen.add(name)
        policy = csp(r)
        assert policy["script-src"] == ["'self'"], name
        assert policy["style-src"] == ["'self'"], name
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"], name
        assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'none'"], name
        assert "unsafe-inline" not in r["Content-Security-Policy"] and "unsafe-eval" not in r["Content-Security-Policy"]
        assert r["X-Frame-Options"] == "DENY", name
        assert r["X-Content-Type-Options"] == "nosniff", name
        assert r["Referrer-Policy"] == "same-origin", name
        assert r["Cross-Origin-Opener-Policy"] == "same-origin", name
        assert "camera=()" in r["Permissions-Policy"], name
    assert {"today", "session", "progress", "export", "missing"} <= seen


def _inline_problems(html: str) -> list[str]:
    problems = []
    for attrs, body in SCRIPT.findall(html):
        is_data = re.search(r"""type\s*=\s*["']application/json["']""", attrs)
        if not is_data and not (re.search(r"\ssrc\s*=", " " + attrs) and not body.strip()):
            problems.append(f"inline script <script{attrs}>{body[:60]}")
    problems += [f"style attribute: {m[:80]}" for m in STYLE_ATTR.findall(html)]
    problems += [f"event handler attribute: {m[:80]}" for m in HANDLER_ATTR.findall(html)]
    if re.search(r"<style\b", html, re.I):
        problems.append("a <style> element")
    if "javascript:" in html.lower():
        problems.append("a javascript: URL")
    return problems


def test_no_template_has_inline_script_or_style():
    files = sorted(TEMPLATES.rglob("*.html"))
    assert len(files) >= 15
    problems = {f.relative_to(TEMPLATES).as_posix(): _inline_problems(f.read_text()) for f in files}
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_only_script_in_a_template_is_a_file_or_json_data():
    scripts = [m for f in TEMPLATES.rglob("*.html") for m in re.findall(r"<script\b[^>]*>", f.read_text())]
    assert scripts and all("src=" in s for s in scripts)
    assert any("json_script" in f.read_text() for f in TEMPLATES.rglob("*.html"))


def test_no_rendered_page_has_inline_script_or_style(alice, token):
    for name, r in responses(alice, token):
        if r.status_code == 200 and r["Content-Type"].startswith("text/html"):
            assert _inline_problems(r.content.decode()) == [], name


def test_the_inline_checker_catches_what_it_should():
    assert _inline_problems('<script>alert(1)</script>')
    assert _inline_problems('<script src="/x.js">alert(1)</script>')
    assert _inline_problems('<p style="color:red">')
    assert _inline_problems('<button onclick="go()">')
    assert not _inline_problems('<script src="/static/x.js" defer></script>')
    assert not _inline_problems('<script id="d" type="application/json">{"a": 1}</script>')


# CSRF

def _forms(html: str) -> list[tuple[str, str]]:
    """(action, form html) of every POST form."""
    found = []
    for form in re.findall(r"<form\b[^>]*>.*?</form>", html, re.S):
        if re.search(r"""method=["']post["']""", form, re.I):
            action = re.search(r"""action=["']([^"']*)["']""", form.split(">", 1)[0])
            found.append((action.group(1) if action else "", form))
    return found


def test_every_post_form_carries_a_csrf_token(alice, token):
    actions = set()
    client = Client()
    client.force_login(alice)
    client.get(reverse("checkin_start"))
    pages = [*page_urls(token.pk).values(), reverse("checkin_step", args=["about"])]
    for url in pages:
        r = client.get(url)
        if r.status_code == 200 and r["Content-Type"].startswith("text/html"):
            for action, form in _forms(r.content.decode()):
                assert 'name="csrfmiddlewaretoken"' in form, (url, action)
                actions.add(action or url)
    for url in (reverse("signin"), reverse("signup")):
        for action, form in _forms(Client().get(url).content.decode()):
            assert 'name="csrfmiddlewaretoken"' in form
            actions.add(action or url)
    assert actions >= {reverse("signout"), reverse("account"), reverse("settings"), reverse("psfs_rate"),
                       reverse("signin"), reverse("signup"), reverse("delete_account"),
                       reverse("revoke_token", args=[token.pk]), reverse("learn_read", args=["the-si-joint"])}


def _post_targets(alice, token) -> list[tuple[str, dict | str]]:
    acts = PsfsActivity.objects.filter(user=alice)
    return [
        (reverse("signout"), {}),
        (reverse("account"), {"action": "token", "name": "sneaky"}),
        (reverse("account"), {"action": "password", "old_password": PASSWORD, "new_password1": "x" * 20,
                              "new_password2": "x" * 20}),
        (reverse("revoke_token", args=[token.pk]), {}),
        (reverse("delete_account"), {"password": PASSWORD}),
        (reverse("checkin_step", args=["warning-signs"]), {"flag_saddle_numbness": "on"}),
        (reverse("morning"), {"pain_next_day": "3"}),
        (reverse("psfs_rate"), {f"score_{a.pk}": "9" for a in acts}),
        (reverse("settings"), {"equipment": ["mat"], "level": "beginner", "minutes_per_day": "10",
                               "strength_days_per_week": "0"}),
        ("/api/v1/me/pain", json.dumps({"exercise": "bird-dog", "pain": 7})),
        ("/api/v1/me/sessions", json.dumps(session_payload())),
        (reverse("learn_read", args=["the-si-joint"]), {}),
    ]


def test_csrf_is_enforced_on_every_post(alice, token):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get(reverse("checkin_start"))  # a draft, so the wizard would accept the page
    for url, data in _post_targets(alice, token):
        if isinstance(data, str):
            r = client.post(url, data, content_type="application/json")
        else:
            r = client.post(url, data)
        assert r.status_code == 403, url
    token.refresh_from_db()
    alice.refresh_from_db()
    assert token.active and alice.check_password(PASSWORD)
    assert alice.checkins.count() == 1 and not alice.sessions.exists() and not alice.red_flag_reports.exists()
    assert ApiToken.objects.filter(user=alice).count() == 1
    assert not alice.lesson_reads.exists()


def test_csrf_is_enforced_on_sign_in_and_sign_up(alice):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("signin"), {"email": alice.email, "password": PASSWORD}).status_code == 403
    assert client.post(reverse("signup"), {"email": "eve@example.org", "password": PASSWORD,
                                           "understood": "on"}).status_code == 403


def test_the_player_can_post_with_the_csrf_cookie_its_page_sets(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get(reverse("session", args=[0])).content.decode()
    data = json.loads(re.search(r'id="session-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    token = client.cookies[data["csrf_cookie"]].value  # the player reads the cookie when it sends
    r = client.post(data["pain_url"], json.dumps({"exercise": "bird-dog", "pain": 2}),
                    content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 200 and r.json()["verdict"] == "carry_on"


def test_signing_out_clears_what_the_browser_keeps_of_the_site(alice_client):
    r = alice_client.post(reverse("signout"))
    assert r.status_code == 302 and r["Clear-Site-Data"] == '"cache", "storage"'


def test_the_service_worker_is_javascript_under_the_csp_with_the_whole_site_as_scope(client, alice):
    client.force_login(alice)
    r = client.get("/sw.js")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/javascript")
    assert "script-src 'self'" in r["Content-Security-Policy"] and "Service-Worker-Allowed" not in r
    text = r.content.decode()
    assert "eval(" not in text and "importScripts" not in text
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", text).group(1))
    assert "/static/sijcoach/player/main.js" in shell
    for address in shell:
        assert client.get(address).status_code == 200, address
    manifest = client.get(reverse("manifest")).json()
    assert (manifest["start_url"], manifest["display"], manifest["scope"]) == ("/today/", "standalone", "/")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert b"".join(client.get(icon["src"]).streaming_content).startswith(b"\x89PNG"), icon


def test_a_form_posts_with_its_own_token(alice):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("signin")).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    r = client.post(reverse("signin"), {"email": alice.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf})
    assert r.status_code == 302


# Cookies and passwords

def test_the_session_cookie_is_http_only_and_same_site_lax(alice):
    client = Client()
    r = client.post(reverse("signin"), {"email": alice.email, "password": PASSWORD})
    assert r.status_code == 302
    cookie = r.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    csrf_cookie = client.get(reverse("signin")).cookies.get(settings.CSRF_COOKIE_NAME) or client.cookies[
        settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["samesite"] == "Lax"


def test_signing_in_gives_a_new_session_id(alice):
    client = Client()
    client.get(reverse("checkin_start"))
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    client.post(reverse("signin"), {"email": alice.email, "password": PASSWORD})
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_a_typed_password_is_never_sent_back(client, alice):
    secret = "my-very-own-wrong-password"
    for url, data in ((reverse("signin"), {"email": alice.email, "password": secret}),
                      (reverse("signup"), {"email": "new@example.org", "password": secret})):
        r = client.post(url, data)
        assert r.status_code == 400 and secret not in r.content.decode()
