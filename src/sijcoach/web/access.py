"""The one place that decides who may see an object.

Every view and API endpoint that reads a person's data goes through `visible` or `get_visible`, so
the rule lives here and nowhere else: a person sees their own data and nobody else's, except that a
coach sees the data of a client who accepted their invite, for as long as the client stays (coach mode
reaches a client only through `client_link`, and writes each read to the client's access log).
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.http import Http404


def can_see(viewer, owner_id: int) -> bool:
    if not (viewer and viewer.is_authenticated):
        return False
    return viewer.pk == owner_id or _coaching(viewer, owner_id).exists()


def _coaching(viewer, client_id):
    from sijcoach.web.coaching.models import CoachLink

    return CoachLink.objects.filter(coach_id=viewer.pk, client_id=client_id, ended_at=None,
                                    coach__coach_role__isnull=False)


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


def client_link(viewer, client_id: int):
    """The active link by which `viewer` coaches `client_id`, or 404: a person who is not (or no longer)
    their client is not revealed."""
    if not (viewer and viewer.is_authenticated):
        raise Http404("Not found")
    link = _coaching(viewer, client_id).select_related("client").first()
    if link is None:
        raise Http404("Not found")
    return link
