"""Which lessons a person has marked as read, and on which day (their own day, in their time zone)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class LessonRead(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_reads")
    lesson = models.CharField(max_length=80)  # a lesson's id (knowledge/lessons/<id>.md)
    read_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["read_on", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="lesson_read_once")]
