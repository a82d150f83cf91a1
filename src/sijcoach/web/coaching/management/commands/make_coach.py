"""`python -m sijcoach.web make_coach EMAIL [--remove]`: an administrator grants or takes back the
coach role."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sijcoach.web.coaching import services


class Command(BaseCommand):
    help = "Give a person the coach role (they can then invite clients), or take it back with --remove."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--remove", action="store_true", help="take the role back; every client link ends")

    def handle(self, email, remove, **options):
        user = get_user_model().objects.filter(username=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"email: no account has the email {email!r}; the person signs up first")
        if remove:
            ended = services.revoke_coach(user)
            self.stdout.write(f"{user.email} is no longer a coach; {ended} client link(s) ended.")
        else:
            services.grant_coach(user, "administrator")
            self.stdout.write(f"{user.email} is a coach: they can invite clients from /coach/.")
