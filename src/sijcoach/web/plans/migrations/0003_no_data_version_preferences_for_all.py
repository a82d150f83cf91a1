from django.conf import settings
from django.db import migrations


def preferences_for_all(apps, schema_editor):
    """Accounts made before preferences rows came with the account get theirs now."""
    db = schema_editor.connection.alias
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Preferences = apps.get_model("plans", "Preferences")
    missing = User.objects.using(db).filter(preferences__isnull=True).values_list("pk", flat=True)
    Preferences.objects.using(db).bulk_create([Preferences(user_id=pk) for pk in missing])


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0002_preferences_data_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveField(model_name="preferences", name="data_version"),
        migrations.RunPython(preferences_for_all, migrations.RunPython.noop),
    ]
