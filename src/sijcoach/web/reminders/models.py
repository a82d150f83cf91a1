"""A person's daily email reminder: whether they want it, and the day the last one was claimed for.

The day is claimed in the database before a message is sent (services.claim), so however many
senders run at once, a person gets at most one reminder a day.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sijcoach.web.plans.models import RedFlagReport


class EmailReminder(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="email_reminder")
    enabled = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)  # turned on or off (settings, unsubscribe link)
    # The person's own date (in their time zone) of the last reminder claimed, and when it went out.
    last_day = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The warning-sign report the person was last told about: that notice goes once, then the
    # reminders wait for a new check-in.
    red_flag_told = models.ForeignKey(RedFlagReport, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta:
        # The sender looks every minute for those not yet reminded today.
        indexes = [models.Index(fields=["last_day"], condition=Q(enabled=True), name="reminder_due_idx")]
