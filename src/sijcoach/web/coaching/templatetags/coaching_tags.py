from django import template

register = template.Library()


@register.filter
def count_of(counts: dict, key) -> int:
    """{{ unread|count_of:r.client_id }}: a count from a mapping by key, 0 when absent."""
    return counts.get(key, 0) if counts else 0
