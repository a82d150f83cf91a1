"""Limiting sign-in attempts: per account name, and (four times looser) per network address."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from sijcoach.web.accounts.models import SignInFailure


def _since():
    return timezone.now() - dt.timedelta(seconds=settings.SIGNIN_WINDOW_S)


def address_of(request) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]


def locked(username: str, address: str) -> bool:
    recent = SignInFailure.objects.filter(at__gte=_since())
    limit = settings.SIGNIN_MAX_FAILURES
    return (
        recent.filter(username=username.lower()).count() >= limit
        or recent.filter(address=address).count() >= limit * 4
    )


def record_failure(username: str, address: str) -> None:
    SignInFailure.objects.create(username=username.lower()[:254], address=address)
    # Old rows are no longer needed to decide anything.
    SignInFailure.objects.filter(at__lt=_since() - dt.timedelta(days=1)).delete()


def clear(username: str) -> None:
    SignInFailure.objects.filter(username=username.lower()).delete()
