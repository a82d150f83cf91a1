from django import template

from sijcoach.exports.words import dose_and_side
from sijcoach.web.plans import present

register = template.Library()


@register.filter
def words(value) -> str:
    """A coded value in plain words: see_doctor_soon -> see doctor soon."""
    return str(value).replace("_", " ").replace("-", " ")


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
