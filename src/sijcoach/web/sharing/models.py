"""Calendar feed addresses: a secret in the URL lets a calendar app read the person's plan without
signing in. Only its hash is stored, so the address is shown once; a new one replaces the old."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from sijcoach.web.accounts.models import digest


class CalendarFeed(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=8)  # the first characters, so the person can tell addresses apart
    created_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @classmethod
    def issue(cls, user) -> tuple[CalendarFeed, str]:
        """A new address for `user`; any address they had stops working."""
        cls.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        key = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, digest=digest(key), hint=key[:6]), key

    @classmethod
    def active_for(cls, key: str) -> CalendarFeed | None:
        if not key or len(key) > 100:
            return None
        return (cls.objects.select_related("user", "user__preferences")
                .filter(digest=digest(key), revoked_at__isnull=True, user__is_active=True).first())
