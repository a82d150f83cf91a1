from django import template

from sijcoach.engine import guidance
from sijcoach.engine.catalog import catalog
from sijcoach.exports.words import dose_and_side
from sijcoach.web.plans import labels, present
from sijcoach.web.plans.fields import PAIN_HINT, PainScale

register = template.Library()


@register.filter
def words(value) -> str:
    """A coded value in plain words: see_doctor_soon -> see doctor soon."""
    return str(value).replace("_", " ").replace("-", " ")


@register.filter
def own_notes(notes, day) -> list[str]:
    """{{ week_notes|own_notes:d }}: the day's notes not said once above its week (exports.words.DayNotes)."""
    return notes.own(day)


@register.filter
def change_kind(kind) -> str:
    """What kind of change to the plan, in words (labels.CHANGE_KIND)."""
    return labels.CHANGE_KIND[kind]


@register.filter
def since_onset(days) -> str:
    """How long the pain has lasted, as a person says it: 5 days, 3 weeks, 4 months, 6 years."""
    days = int(days)
    for size, unit in ((365, "year"), (30, "month"), (7, "week"), (1, "day")):
        if days >= 2 * size or size == 1:
            n = days // size
            return f"{n} {unit}{'' if n == 1 else 's'}"
    return f"{days} days"


@register.filter
def topic_heading(topic) -> str:
    """An advice topic's heading: heat_ice -> Heat and ice."""
    return guidance.topic_heading(str(topic))


@register.filter
def dose(item) -> str:
    """A plan item's dose and side, worded as everywhere else (exports.words)."""
    return dose_and_side(item)


@register.simple_tag
def picture(slug: str, kind: str = "animated", side=None):
    """{% picture slug "animated"|"still"|"start"|"end" side %}: the exercise's inline SVG, or nothing."""
    return present.picture(slug, kind, side)


@register.simple_tag
def picture_file(slug: str, kind: str = "animated", side=None):
    """{% picture_file slug kind side as pic %}: the drawing as a cacheable file (pic.url, pic.width,
    pic.height), or None where the exercise has no pose data."""
    return present.picture_file(slug, kind, side)


# The menu's four places; a page not named here is under "More" for a signed-in person.
MENU_PLACES = {"today": "today", "morning": "today", "session": "today",
               "progress": "progress", "psfs_rate": "progress", "library": "exercises", "exercise": "exercises",
               "signin": "signin", "signup": "signup", "home": None}


@register.simple_tag(takes_context=True)
def menu_place(context) -> str | None:
    """{% menu_place as place %}: which of the menu's places the page is in, to mark it current."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:  # an error page rendered without the request
        return None
    return MENU_PLACES.get(match.url_name, "more")


@register.filter
def exercise_name(slug: str) -> str:
    """An exercise's name from its slug (a slug the catalog no longer has, in plain words)."""
    cat = catalog()
    return cat[slug].name if slug in cat else words(slug)


@register.inclusion_tag("pain_question.html")
def pain_question(name: str, legend: str, value=None):
    """{% pain_question "pain_next_day" "How does your back feel this morning?" %}: the 0-10 buttons of
    every pain question, for a form written in a template (a Django form uses PainField)."""
    return {"legend": legend, "hint": PAIN_HINT, "hint_id": f"id_{name}_hint", "errors": (),
            "scale": PainScale().render(name, value, attrs={"id": f"id_{name}", "required": True})}
