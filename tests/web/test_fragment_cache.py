"""Template fragments kept in CACHES["template_fragments"] ({% cache %}: Today's exercise cards, the
player's pain scales, Today's morning question) are shared by everyone shown the same thing, so each
must be keyed by everything it shows. Checked for every {% cache %} in the app's templates: its block
is rendered with the variables of Today's and the player's pages while the names it reads are
recorded, and each name of the pages it reads without setting it is one of the block's keys (whole
values: `c`, never `c.item`, so that nothing under a name escapes the key). And a
card whose plan item differs only by a coach's cue shows that cue, and only that one."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.template import Context
from django.template.loader import get_template
from django.templatetags.cache import CacheNode

from sijcoach.web import settings as web_settings
from sijcoach.web.plans import present
from sijcoach.web.plans.fields import PAIN_LEVELS

TEMPLATES = Path(web_settings.BASE_DIR) / "templates"


class Recording(Context):
    """A context that notes the names templates look up (a variable's first part), and the names set
    while rendering (a loop's variable, a tag's `as` name), which are the block's own."""

    def __init__(self, values):
        super().__init__(values)
        self.read, self.own = set(), set()

    def __getitem__(self, key):
        if key not in self.own:
            self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        if key not in self.own:
            self.read.add(key)
        return super().__contains__(key)

    def __setitem__(self, key, value):
        self.own.add(key)
        super().__setitem__(key, value)

    def update(self, other_dict):
        self.own.update(other_dict)
        return super().update(other_dict)

    def new(self, values=None):
        # An inclusion tag renders its own template from the values it was given, not from the page.
        return Context(values, autoescape=self.autoescape)


def cached_blocks() -> dict:
    """Each template that has a {% cache %}: (the compiled template, its cache nodes)."""
    names = [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html") if "{% cache " in p.read_text()]
    compiled = {name: get_template(name).template for name in names}
    return {name: (t, t.nodelist.get_nodes_by_type(CacheNode)) for name, t in compiled.items()}


def page_values(response) -> dict:
    values: dict = {}
    for context in response.context:
        values.update(context.flatten())
    values.pop("forloop", None)  # a loop's own, left over from rendering the page; the for tag reads it
    return values


def test_every_cached_fragment_is_keyed_by_all_it_reads_from_the_page(on_a_monday, alice_client):
    today = alice_client.get("/today/")
    player = alice_client.get("/session/today/")
    assert today.status_code == player.status_code == 200
    card = today.context["routines"][0]["cards"][0]
    pages = {**page_values(today), **page_values(player), "c": card,
             # what the player's {% include "plans/_pain_scale.html" with ... %} passes
             "name": "pain_after", "legend": "Pain now", "hint": "Required.", "cls": "pl-pain-now", "scale": PAIN_LEVELS}
    assert {"user", "request", "csrf_token", "plan", "routines", "on"} <= set(pages)  # a signed-in page's own names

    blocks = cached_blocks()
    assert set(blocks) == {"plans/_card.html", "plans/_pain_scale.html", "plans/today.html"}
    for name, (template, nodes) in blocks.items():
        assert nodes, name
        for node in nodes:
            # Keyed by whole values (c, not c.item): the names read are then checked exactly.
            assert all(len(v.var.lookups) == 1 and not v.filters for v in node.vary_on), (name, node.fragment_name)
            keys = {v.var.lookups[0] for v in node.vary_on}
            context = Recording(pages)
            with context.bind_template(template):
                html = node.nodelist.render(context)
            assert html.strip(), (name, node.fragment_name)
            read = context.read & set(pages)
            assert read <= keys, f"{name}: {{% cache {node.fragment_name} %}} reads {sorted(read - keys)} without keying by it"


def test_a_card_differing_only_by_a_coachs_cue_shows_its_own_cue(on_a_monday, alice_client):
    item = alice_client.get("/today/").context["routines"][0]["cards"][0]["item"]
    card = get_template("plans/_card.html")
    plain, cued, other = (present.item_card(dataclasses.replace(item, cue=cue))
                          for cue in (None, "Knees over your toes", "Breathe out as you lift"))
    html = {name: card.render({"c": c}) for name, c in (("plain", plain), ("cued", cued), ("other", other))}
    assert "Your coach:" not in html["plain"]
    assert "Knees over your toes" in html["cued"] and "Breathe out" not in html["cued"]
    assert "Breathe out as you lift" in html["other"] and "Knees over" not in html["other"]
    # Each card is kept under its own key, and the next one shown for the same item comes from there.
    fragments = caches["template_fragments"]
    for name, c in (("plain", plain), ("cued", cued), ("other", other)):
        assert fragments.get(make_template_fragment_key("card", [c])) == html[name].rstrip("\n")  # the file's last newline
    fragments.set(make_template_fragment_key("card", [cued]), "kept")
    assert card.render({"c": present.item_card(dataclasses.replace(item, cue="Knees over your toes"))}) == "kept\n"
