"""The sources the engine's rules cite are named once (engine/sources.py) and exist in the knowledge base."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sijcoach.engine.catalog import catalog
from sijcoach.engine.sources import SourceId

SRC = Path(__file__).resolve().parents[1] / "src" / "sijcoach"


@pytest.mark.parametrize("source", list(SourceId))
def test_every_source_the_rules_cite_is_in_the_knowledge_base(source):
    assert catalog().source_title(source)


def test_no_module_spells_a_source_id_of_its_own():
    ids = set(catalog().sources)
    spelled = {}
    for path in SRC.rglob("*.py"):
        if path == SRC / "engine" / "sources.py":
            continue
        found = ids & set(re.findall(r"[\"']([a-z0-9-]+)[\"']", path.read_text()))
        if found:
            spelled[path.relative_to(SRC).as_posix()] = sorted(found)
    assert spelled == {}
