from django import template

from sijcoach.web.plans import present

register = template.Library()


@register.filter
def words(value) -> str:
    """A coded value in plain words: see_doctor_soon -> see doctor soon."""
    return str(value).replace("_", " ").replace("-", " ")


@register.simple_tag
def picture(slug: str, kind: str = "animated", side=None):
    """{% picture slug "animated"|"still"|"start"|"end" side %}: the exercise's inline SVG, or nothing."""
    return present.picture(slug, kind, side)
