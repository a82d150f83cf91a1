"""Personal API tokens and failed sign-in records. People are Django's own User (email as username)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "sij_"
TOKEN_DAYS = (7, 30, 90, 365)  # the lifetimes a person can choose for a token
DEFAULT_TOKEN_DAYS = 90


def digest(key: str) -> str:
    """How a secret (token, calendar address) is stored: its SHA-256, never the secret itself."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A token a person makes for scripts and apps; only its hash is stored, so it is shown once.

    It works until it expires (its lifetime is chosen when it is made), is revoked, or its owner's
    password changes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)  # the first characters, so the person can tell tokens apart
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @classmethod
    def issue(cls, user, name: str, days: int = DEFAULT_TOKEN_DAYS) -> tuple[ApiToken, str]:
        key = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = timezone.now()
        token = cls.objects.create(user=user, name=name, digest=digest(key), hint=key[:10], created_at=now,
                                   expires_at=now + dt.timedelta(days=days))
        return token, key

    @classmethod
    def find(cls, key: str) -> ApiToken | None:
        """The token whose secret is `key` (with its owner), whatever its state, or None."""
        if not key or not key.startswith(TOKEN_PREFIX) or len(key) > 100:
            return None
        return cls.objects.select_related("user__preferences").filter(digest=digest(key)).first()

    @classmethod
    def user_for(cls, key: str):
        """The active user owning `key` through a token that still works, or None."""
        token = cls.find(key)
        return token.use() if token is not None and token.active else None

    def use(self):
        """The token's owner if they may still sign in (None otherwise), noting when it was last used."""
        if not self.user.is_active:
            return None
        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() > 60:
            # At most one write a minute per token, so API reads stay reads.
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)
        return self.user

    @classmethod
    def end_all(cls, user) -> int:
        """Every working token of `user` stops (a password change: whoever had the old one loses them)."""
        return cls.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def active(self) -> bool:
        return self.revoked_at is None and not self.expired


class SignInCounter(models.Model):
    """Failed password checks in a row for one account name or one network address (see throttle.py).

    One row per name or address, changed under a row lock, so parallel tries are counted one by one."""

    class Kind(models.TextChoices):
        ACCOUNT = "account"
        ADDRESS = "address"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    key = models.CharField(max_length=254)  # the account's email, or the address
    failures = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField(default=timezone.now, db_index=True)
    wait_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_counter_per_name_or_address")]


class SignInSession(AbstractBaseSession):
    """Django's database session with the signed-in person's id in its own column (kept in step by
    sessions.SessionStore), so the account page can list a person's sessions and end them all."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")

    @classmethod
    def get_session_store_class(cls):
        from sijcoach.web.accounts.sessions import SessionStore

        return SessionStore
