from django import template

register = template.Library()


@register.filter
def words(value) -> str:
    """A coded value in plain words: see_doctor_soon -> see doctor soon."""
    return str(value).replace("_", " ").replace("-", " ")
