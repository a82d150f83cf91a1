from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save


def make_preferences(sender, instance, created, raw=False, **kwargs):
    """Every account has its preferences row from the moment it is made (sign-up, an administrator's
    createsuperuser, tests), so no page or write has to make it later."""
    if created and not raw:
        from sijcoach.web.plans.models import Preferences

        Preferences.objects.get_or_create(user=instance)


class PlansConfig(AppConfig):
    name = "sijcoach.web.plans"
    label = "plans"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_save.connect(make_preferences, sender=settings.AUTH_USER_MODEL, dispatch_uid="plans.make_preferences")
