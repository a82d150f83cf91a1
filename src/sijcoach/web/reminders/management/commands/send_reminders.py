"""`python -m sijcoach.web send_reminders`: send the daily reminder emails that are due now.

Safe to run as often as you like, from cron or a systemd timer, and on several servers at once: each
person's day is claimed in the database before their message goes out (reminders/services.py).
Each round also sends the notices of new coach messages that are due (coaching/messages.py: at most
one an hour per person, for a message still unread when its hour came).
`--every 60` keeps running and sends every minute (`make run` starts it so); Ctrl-C or SIGTERM lets
the current round finish, then stops.
"""

from __future__ import annotations

import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from sijcoach.web.coaching.messages import send_notices
from sijcoach.web.reminders import services

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send the daily reminder emails that are due now (at most one a day per person)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, metavar="SECONDS",
                            help="keep running, sending what is due every SECONDS (at least 10)")

    def handle(self, *args, every: int | None = None, verbosity: int = 1, **options):
        if not settings.BASE_URL:
            raise CommandError("SIJCOACH_BASE_URL is not set: the reminders link to the site, so set it to its "
                               "address, e.g. SIJCOACH_BASE_URL=https://coach.example.org")
        if every is None:
            if self.round(verbosity).failed:
                raise CommandError("Some reminders were not sent (the log says why); the next run tries them again.")
            return
        if every < 10:
            raise CommandError(f"--every: {every} is too often; give 10 seconds or more, e.g. --every 60")
        stop = threading.Event()
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: stop.set())
        while not stop.is_set():
            close_old_connections()  # a long-running process: no connection outlives its settings' age
            try:
                self.round(verbosity)
            except DatabaseError:  # the database is away for a while: try again next round
                log.exception("No reminders were sent this round")
            stop.wait(every)

    def round(self, verbosity: int) -> services.Outcome:
        outcome = services.send_due()
        if outcome.sent or verbosity > 1:
            self.stdout.write(f"{outcome.sent} reminder{'s' if outcome.sent != 1 else ''} sent.")
        if outcome.failed:
            self.stderr.write(f"{outcome.failed} reminder{'s' if outcome.failed != 1 else ''} not sent; "
                              "the next run tries again.")
        notices = send_notices()
        if notices.sent or notices.failed or verbosity > 1:
            self.stdout.write(f"{notices.sent} message notice{'s' if notices.sent != 1 else ''} sent"
                              f"{f', {notices.failed} not sent (the next run tries again)' if notices.failed else ''}.")
        return outcome
