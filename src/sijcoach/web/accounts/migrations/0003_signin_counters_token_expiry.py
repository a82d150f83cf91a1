"""Sign-in limits count failures in one row per account name or address (not a row per failure), and
API tokens get an expiry: tokens made before it get the default 90 days from when they were made."""

import datetime as dt

import django.utils.timezone
from django.db import migrations, models

DEFAULT_TOKEN_DAYS = 90


def expire_old_tokens(apps, schema_editor):
    tokens = apps.get_model("accounts", "ApiToken").objects.using(schema_editor.connection.alias)
    for token in tokens.filter(expires_at__isnull=True):
        token.expires_at = token.created_at + dt.timedelta(days=DEFAULT_TOKEN_DAYS)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_signin_sessions"),
    ]

    operations = [
        migrations.DeleteModel(name="SignInFailure"),
        migrations.CreateModel(
            name="SignInCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("account", "Account"), ("address", "Address")], max_length=8)),
                ("key", models.CharField(max_length=254)),
                ("failures", models.PositiveIntegerField(default=0)),
                ("last_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("wait_until", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("kind", "key"), name="one_counter_per_name_or_address")],
            },
        ),
        migrations.AddField(model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)),
        migrations.RunPython(expire_old_tokens, migrations.RunPython.noop),
        migrations.AlterField(model_name="apitoken", name="expires_at", field=models.DateTimeField()),
    ]
