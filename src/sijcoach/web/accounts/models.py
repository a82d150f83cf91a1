"""Personal API tokens and failed sign-in records. People are Django's own User (email as username)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "sij_"


def digest(key: str) -> str:
    """How a secret (token, calendar address) is stored: its SHA-256, never the secret itself."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A token a person makes for scripts and apps; only its hash is stored, so it is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)  # the first characters, so the person can tell tokens apart
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        key = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, digest=digest(key), hint=key[:10])
        return token, key

    @classmethod
    def user_for(cls, key: str):
        """The active user owning `key`, or None."""
        if not key or not key.startswith(TOKEN_PREFIX) or len(key) > 100:
            return None
        from sijcoach.web.accounts.backends import Backend

        token = cls.objects.select_related("user__preferences").filter(digest=digest(key)).first()
        if token is None or token.revoked_at is not None:
            return None
        user = token.user
        if not Backend().user_can_authenticate(user):
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            # At most one write a minute per token, so API reads stay reads.
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return user

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class SignInFailure(models.Model):
    """One failed sign-in; recent ones lock the account name (and the address) for a while."""

    username = models.CharField(max_length=254, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)


class SignInSession(AbstractBaseSession):
    """Django's database session with the signed-in person's id in its own column (kept in step by
    sessions.SessionStore), so the account page can list a person's sessions and end them all."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")

    @classmethod
    def get_session_store_class(cls):
        from sijcoach.web.accounts.sessions import SessionStore

        return SessionStore
