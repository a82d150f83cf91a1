"""Coach mode: the coach role, invites, the link between a coach and a client, the coach's changes to
the client's plan (kept as versions, never edited) and the log of every coach read of a client's data.

A version keeps the engine's adjustments and findings as validated JSON, like a check-in keeps its
profile: every stored value passed the engine's parsing, so `to_engine` cannot fail on old rows.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sijcoach.engine.adjust import Adjustments, Findings

User = settings.AUTH_USER_MODEL
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read out and typed
CODE_LENGTH = 10


class CoachRole(models.Model):
    """The person may invite clients. Granted by an administrator (make_coach) or at sign-up."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="coach_role")
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.CharField(max_length=20)  # "administrator" or "sign-up"


class Invite(models.Model):
    """A code (and the link made from it) that lets one person become the coach's client, once."""

    coach = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coach_invites")
    code = models.CharField(max_length=CODE_LENGTH, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    @staticmethod
    def new_code() -> str:
        return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))

    def open(self, now) -> bool:
        return self.used_at is None and now < self.expires_at


class CoachLink(models.Model):
    """A client's coach, from acceptance until the client (or the coach) ends it. At most one active
    link per client; ended links stay for the record but give no access."""

    coach = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coached_links")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coach_links")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["client"], condition=Q(ended_at__isnull=True), name="one_coach_per_client"),
        ]


class CoachVersion(models.Model):
    """The coach's adjustments and findings after one change, with what changed, who and when.

    The newest version of the active link is what the client's plan follows; a note is a version too,
    so the client reads notes and changes in one list."""

    class Kind(models.TextChoices):
        PIN = "pin", "pinned an exercise"
        EXCLUDE = "exclude", "left out an exercise"
        RELEASE = "release", "gave an exercise back to the plan"
        DOSE = "dose", "set a dose"
        CLEAR_DOSE = "clear_dose", "gave a dose back to the plan"
        FINDINGS = "findings", "recorded findings"
        NOTE = "note", "wrote a note"

    link = models.ForeignKey(CoachLink, on_delete=models.CASCADE, related_name="versions")
    made_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    what = models.TextField()  # in plain words, for the client
    note = models.TextField(blank=True, default="")
    adjustments = models.JSONField()
    findings = models.JSONField()

    class Meta:
        ordering = ["-made_at", "-id"]

    def to_engine(self) -> tuple[Adjustments, Findings]:
        # strict=False: stored JSON holds plain strings for the engine's enumerations.
        return (Adjustments.model_validate(self.adjustments, strict=False),
                Findings.model_validate(self.findings, strict=False))


class AccessLog(models.Model):
    """One read of a client's data by their coach. Kept when the coach's account goes (by email)."""

    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coach_reads")
    coach = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    coach_email = models.EmailField()
    at = models.DateTimeField(default=timezone.now)
    what = models.CharField(max_length=120)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client", "-at"])]


class FlagSeen(models.Model):
    """The coach marked one of a client's flags as seen: by whom, when, and the newest data the flag
    stood on then (`basis`: a warning-sign report, a check-in or a session). Newer data gives the
    flag another basis, so it shows as new again; the row is kept until then."""

    coach = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="flags_seen")
    flag = models.CharField(max_length=20)
    basis = models.CharField(max_length=60)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["coach", "client", "flag"], name="flag_seen_unique")]
