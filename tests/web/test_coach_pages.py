"""The coach's pages read well: unique element ids (each form's fields have their own), exercise names
rather than slugs in the sessions table, and the same week's numbers as the client sees."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import session_payload
from django.test import Client
from django.urls import reverse

from sijcoach.web.plans import progress, services


@pytest.fixture
def cora_client(client, cora):
    client.force_login(cora)
    return client


def ids(page: str) -> Counter:
    return Counter(re.findall(r'\sid="([^"]+)"', page))


def test_the_client_page_has_no_repeated_element_id(cora, alice, cora_client):
    page = cora_client.get(reverse("coach_client", args=[alice.pk])).content.decode()
    repeated = {i: n for i, n in ids(page).items() if n > 1}
    assert not repeated
    # Each label still names its own field.
    for target in re.findall(r'<label for="([^"]+)"', page):
        assert ids(page)[target] == 1, target


def test_a_refused_change_shows_its_form_again_with_the_same_unique_ids(cora, alice, cora_client):
    r = cora_client.post(reverse("coach_message", args=[alice.pk]), {"message": ""})
    assert r.status_code == 400
    page = r.content.decode()
    assert not {i: n for i, n in ids(page).items() if n > 1}
    assert 'id="message-message"' in page and "Message: write a few words" in page


def test_the_sessions_table_names_each_exercise(cora, alice, cora_client):
    on = services.today_for(alice)
    services.save_session(alice, services.parse_session(
        {**session_payload(), "date": on.isoformat(), "routine_kind": "strength"}), on)
    page = cora_client.get(reverse("coach_client", args=[alice.pk])).content.decode()
    table = page[page.index('id="logs-h"'):]
    assert "<li>Bird-dog:" in table and "<li>bird dog:" not in table


def test_the_coach_reads_the_week_as_the_client_does(on_a_monday, cora, alice, cora_client):
    on = services.today_for(alice)
    services.save_session(alice, services.parse_session(
        {**session_payload(), "date": on.isoformat(), "routine_kind": "relief"}), on)
    week = progress.week_completion(alice, on, services.current_plan(alice, on).plan.days)
    words = f"{week.done} of {week.planned}"
    assert week.done == 1 and week.planned >= 2
    assert words in cora_client.get(reverse("coach_clients")).content.decode()
    assert words in cora_client.get(reverse("coach_client", args=[alice.pk])).content.decode()
    web = Client()
    web.force_login(alice)
    assert words in web.get(reverse("today")).content.decode()
    assert words in web.get(reverse("progress")).content.decode()
