from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "sijcoach.web.coaching"
    label = "coaching"
    default_auto_field = "django.db.models.BigAutoField"
