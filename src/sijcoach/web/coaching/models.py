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
from django.db.models.functions import Lower
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
        TEMPLATE = "template", "applied a template"

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


class CoachTemplate(models.Model):
    """A coach's named set of pins, leave-outs and doses (with their notes), saved from one client's
    adjustments to apply to others. Only its coach sees it; no findings, which belong to one person."""

    NAME_MAX = 80

    coach = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coach_templates")
    name = models.CharField(max_length=NAME_MAX)
    adjustments = models.JSONField()  # validated by the engine's parse_adjustments when saved
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "coach", name="one_template_name_per_coach"),
        ]

    def to_engine(self) -> Adjustments:
        return Adjustments.model_validate(self.adjustments, strict=False)


class AccessLog(models.Model):
    """One read of a client's data by their coach. Kept when the coach's account goes (by email)."""

    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coach_reads", db_index=False)  # the (client, at) index below serves it
    coach = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    coach_email = models.EmailField()
    at = models.DateTimeField(default=timezone.now)
    what = models.CharField(max_length=120)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client", "-at"])]


class Message(models.Model):
    """One short message between a client and their coach, on their link (so a past coach's messages
    stay with the client, and a coach sees only those of a link that is still active). It may point at
    one of the client's sessions or at an exercise of the catalog. `read_at` is set by the reader's
    own POST (the "Mark as read" button, or a reply), never by opening a page."""

    link = models.ForeignKey(CoachLink, on_delete=models.CASCADE, related_name="messages")
    from_coach = models.BooleanField()  # the sender is the link's coach, else its client
    sent_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()
    session = models.ForeignKey("plans.Session", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    exercise = models.CharField(max_length=80, blank=True, default="")  # a catalog slug, checked when sent
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [
            models.Index(fields=["link", "sent_at"]),
            # The unread counts (Today, the client list, the email notices) look only at unread rows.
            models.Index(fields=["link", "from_coach"], condition=Q(read_at__isnull=True), name="message_unread_idx"),
        ]


class MessageNotice(models.Model):
    """When the last email notice of new messages went to a person: claimed with one conditional
    UPDATE before the mail goes, so two messages arriving at once still send one notice an hour."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="message_notice")
    sent_at = models.DateTimeField(null=True, blank=True)


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
