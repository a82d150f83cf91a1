"""The one place that decides who may see an object.

Every view and API endpoint that reads a person's data goes through `visible` or `get_visible`, so
the rule lives here and nowhere else: a person sees their own data and nobody else's.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.http import Http404


def can_see(viewer, owner_id: int) -> bool:
    return bool(viewer and viewer.is_authenticated and viewer.pk == owner_id)


def visible(viewer, queryset: QuerySet, owner_field: str = "user") -> QuerySet:
    """The rows of `queryset` that `viewer` may see."""
    if not (viewer and viewer.is_authenticated):
        return queryset.none()
    return queryset.filter(**{owner_field: viewer})


def get_visible(viewer, queryset: QuerySet, owner_field: str = "user", **lookup) -> Model:
    """One row `viewer` may see, or 404: a row that exists but belongs to someone else is not revealed."""
    try:
        return visible(viewer, queryset, owner_field).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404("Not found") from None
