"""Messages between a client and their coach, and when the last email notice of them went.

The coach's notes (versions of kind "note") become the first messages, from the coach, on the same
link and at the same time; they were shown to the client on Today from the moment they were written,
so they count as read then. The note versions themselves are kept.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def notes_to_messages(apps, schema_editor):
    CoachVersion = apps.get_model("coaching", "CoachVersion")
    Message = apps.get_model("coaching", "Message")
    notes = CoachVersion.objects.filter(kind="note").exclude(note="").order_by("made_at", "id")
    Message.objects.bulk_create(
        [Message(link_id=v.link_id, from_coach=True, sent_at=v.made_at, text=v.note, read_at=v.made_at)
         for v in notes.iterator()], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('coaching', '0002_coachtemplate'),
        ('plans', '0004_session_idempotency'),
    ]

    operations = [
        migrations.CreateModel(
            name='MessageNotice',
            fields=[
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='message_notice', serialize=False, to=settings.AUTH_USER_MODEL)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.CreateModel(
            name='Message',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_coach', models.BooleanField()),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('text', models.TextField()),
                ('exercise', models.CharField(blank=True, default='', max_length=80)),
                ('read_at', models.DateTimeField(blank=True, null=True)),
                ('link', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='coaching.coachlink')),
                ('session', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='plans.session')),
            ],
            options={
                'ordering': ['sent_at', 'id'],
                'indexes': [models.Index(fields=['link', 'sent_at'], name='coaching_me_link_id_f17754_idx'), models.Index(condition=models.Q(('read_at__isnull', True)), fields=['link', 'from_coach'], name='message_unread_idx')],
            },
        ),
        migrations.RunPython(notes_to_messages, migrations.RunPython.noop),
    ]
