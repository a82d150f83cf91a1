from django import template

register = template.Library()


@register.filter
def count_of(counts: dict, key) -> int:
    """{{ unread|count_of:r.client_id }}: a count from a mapping by key, 0 when absent."""
    return counts.get(key, 0) if counts else 0


@register.filter
def replaced_findings(versions) -> set[int]:
    """The ids of the findings in `versions` (newest first) that later findings replaced: all but the
    newest. A client read an upslip found earlier beside the inflare that replaced it."""
    findings = [v.pk for v in versions if v.kind == "findings"]
    return set(findings[1:])
