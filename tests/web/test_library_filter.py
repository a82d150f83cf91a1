"""The command line, the library page and the API filter the catalog with one function
(engine/catalog.py `filter_catalog`), so the same filters list the same exercises in the same order."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from sijcoach.cli import app
from sijcoach.engine.catalog import catalog, filter_catalog

FILTERS = [
    {},
    {"group": "core"},
    {"group": "back_of_hip", "kind": "strength"},
    {"position": "supine", "level": "beginner"},
    {"equipment": "mat", "kind": "stretch"},
    {"equipment": "resistance_band"},
]


def from_cli(query: dict) -> list[str]:
    args = [part for name, value in query.items() for part in (f"--{name}", value)]
    result = CliRunner().invoke(app, ["exercises", *args, "--json"])
    assert result.exit_code == 0, result.output
    return [ex["slug"] for ex in json.loads(result.stdout)]


def from_page(client, query: dict) -> list[str]:
    r = client.get(reverse("library"), query)
    assert r.status_code == 200
    return re.findall(r'<h2><a href="/exercises/([a-z0-9-]+)/">', r.content.decode())


def from_api(client, query: dict) -> list[str]:
    r = client.get("/api/v1/exercises", query)
    assert r.status_code == 200
    return [ex["slug"] for ex in r.json()]


@pytest.mark.parametrize("query", FILTERS, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "none")
def test_the_cli_the_page_and_the_api_list_the_same_exercises_in_the_same_order(client, db, query):
    expected = [ex.slug for ex in filter_catalog(catalog(), **query)]
    assert expected
    assert from_cli(query) == from_page(client, query) == from_api(client, query) == expected
