from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sijcoach.web.sharing"
    label = "sharing"
    default_auto_field = "django.db.models.BigAutoField"
