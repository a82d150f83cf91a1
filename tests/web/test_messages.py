"""Messages between a client and their coach, with personas: Cora coaches Alice; Dave is another coach,
who coaches Bob; Charlie has only an account. Who reads and writes what (through the pages), the
history a client keeps and a coach loses, the access log, reading marked by a POST only, the unread
counts, the hourly email notice (sent through Django's SMTP backend to a real SMTP server), and the
migration that turned the coach's notes into the first messages."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys

import pytest
from conftest import make_coach, session_payload
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sijcoach.engine.inputs import InputError
from sijcoach.web.coaching import messages as talk
from sijcoach.web.coaching import services as coaching
from sijcoach.web.coaching.models import AccessLog, CoachVersion, Message, MessageNotice
from sijcoach.web.plans import services
from sijcoach.web.reminders.services import set_email_reminders
from test_kill import server_env  # noqa: F401  (a fixture: this run's database, migrated, for real processes)
from test_reminders import BASE_URL, body, inbox, smtp  # noqa: F401  (fixtures: a real SMTP server)

SIGNIN = reverse("signin") + "?next="


@pytest.fixture
def dave(db, bob):
    return make_coach("dave@example.org", bob)


def coach_writes(browser, client, text="How did the bridge feel?", **extra):
    return browser.post(reverse("coach_message", args=[client.pk]), {"message": text, **extra})


def client_writes(browser, text="It pulled a little on the left.", **extra):
    return browser.post(reverse("my_messages"), {"message": text, **extra})


def mark_read(browser, url, upto):
    return browser.post(url, {"action": "read", "seen": str(upto)})


def conversation(browser, url) -> str:
    page = browser.get(url).content.decode()
    start = page.index('id="messages"')
    return page[start:page.index("</section>", start)]


def coach_page(client):
    return reverse("coach_client", args=[client.pk])


def a_session(user):
    return services.save_session(user, services.parse_session(session_payload()), services.today_for(user))


# ---- the exchange --------------------------------------------------------------------------------

def test_client_and_coach_exchange_messages_each_on_their_own_page(cora, alice, as_user):
    cora_web, alice_web = as_user(cora), as_user(alice)
    assert coach_writes(cora_web, alice, "How did the bridge feel?")["Location"] == coach_page(alice) + "#messages"
    assert "How did the bridge feel?" in conversation(alice_web, reverse("my_coach"))
    assert client_writes(alice_web, "It pulled a little.")["Location"] == reverse("my_coach") + "#messages"
    seen = conversation(cora_web, coach_page(alice))
    assert seen.index("How did the bridge feel?") < seen.index("It pulled a little.")  # oldest first
    assert [(m.from_coach, m.text) for m in Message.objects.all()] == [
        (True, "How did the bridge feel?"), (False, "It pulled a little.")]


def test_a_message_may_point_at_one_of_the_clients_sessions_or_at_an_exercise(cora, alice, as_user):
    session = a_session(alice)
    assert coach_writes(as_user(cora), alice, "Was this one easier?", session=str(session.pk),
                        exercise="glute-bridge").status_code == 302
    message = Message.objects.get()
    assert (message.session, message.exercise) == (session, "glute-bridge")
    text = conversation(as_user(alice), reverse("my_coach"))
    assert f"About the session of {session.date:%a} {session.date.day} {session.date:%b}" in text
    assert 'href="/exercises/glute-bridge/"' in text and "Glute bridge" in text


def test_the_exercise_list_starts_with_the_exercises_of_the_clients_recent_sessions(cora, alice, as_user):
    # A physiotherapist's find: "About an exercise" listed the whole library, A to Z, for every client.
    def exercise_field(page: str) -> str:
        field = page[page.index('id="message-exercise"'):]  # the coach's page has a pin form's too
        return field[:field.index("</select>")]

    def groups(page: str) -> list[str]:
        return re.findall(r'<optgroup label="([^"]+)">', exercise_field(page))

    assert groups(as_user(cora).get(coach_page(alice)).content.decode()) == []  # nothing done yet: A to Z
    a_session(alice)
    done = {item["exercise"] for item in session_payload()["items"]}
    for web, url in ((as_user(cora), coach_page(alice)), (as_user(alice), reverse("my_coach"))):
        page = web.get(url).content.decode()
        field = exercise_field(page)
        assert groups(page) == ["In recent sessions", "The rest of the library"]
        first = field[:field.index("The rest of the library")]
        assert set(re.findall(r'<option value="([a-z0-9-]+)"', first)) == done, url
    assert coach_writes(as_user(cora), alice, "And this one?", exercise="bird-dog").status_code == 302  # any of them


def test_a_session_of_someone_else_or_an_unknown_exercise_is_refused_naming_the_field(cora, alice, bob, as_user):
    bobs = a_session(bob)
    r = coach_writes(as_user(cora), alice, "Look at this", session=str(bobs.pk), exercise="moon-walk")
    assert r.status_code == 400
    page = r.content.decode()
    assert "Session: choose one of the sessions in the list, or none." in page
    assert "Exercise: choose one of the library&#x27;s exercises in the list, or none." in page
    assert "Look at this</textarea>" in page  # what was typed is kept
    assert not Message.objects.exists()
    # The service checks it too, for any other caller.
    with pytest.raises(InputError) as refused:
        talk.send_as_coach(cora, alice.pk, "Look at this", session_id=bobs.pk, exercise="moon-walk")
    assert [p.field for p in refused.value.problems] == ["session", "exercise"]
    assert not Message.objects.exists()


def test_a_message_too_long_is_refused_with_the_limit_and_its_length_and_kept_to_shorten(cora, alice, as_user):
    long = "word " * 300  # 1,499 characters once the last space is trimmed
    r = client_writes(as_user(alice), long)
    assert r.status_code == 400
    page = r.content.decode()
    assert "Message: at most 1000 characters; this one has 1499." in page
    assert long.strip() in page and page.count('id="message-message"') == 1
    assert not Message.objects.exists()
    r = client_writes(as_user(alice), "   ")
    assert r.status_code == 400 and "Message: write a few words (up to 1000 characters)." in r.content.decode()


def test_every_message_post_needs_the_csrf_token(cora, alice):
    for user, url, data in ((cora, reverse("coach_message", args=[alice.pk]), {"message": "forged"}),
                            (alice, reverse("my_messages"), {"message": "forged"})):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        assert browser.post(url, data).status_code == 403
    talk.send_as_coach(cora, alice.pk, "unread")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.post(reverse("my_messages"), {"action": "read", "seen": "999"}).status_code == 403
    assert not Message.objects.filter(text="forged").exists() and Message.objects.get().read_at is None


def test_a_note_written_before_messages_shows_once_as_a_message_not_as_a_change(cora, alice, as_user):
    link = coaching.active_link(alice)
    version = CoachVersion.objects.create(link=link, made_by=cora, kind="note", what="Note.", note="Rest on Sunday.",
                                          adjustments={"pinned": [], "excluded": [], "doses": []}, findings={})
    Message.objects.create(link=link, from_coach=True, text=version.note, sent_at=version.made_at,
                           read_at=version.made_at)
    for browser, url in ((as_user(alice), reverse("my_coach")), (as_user(alice), reverse("today")),
                         (as_user(cora), coach_page(alice))):
        page = browser.get(url).content.decode()
        assert page.count("Rest on Sunday.") == (0 if url == reverse("today") else 1), url
    assert "Send note" not in as_user(cora).get(coach_page(alice)).content.decode()


# ---- who reads and writes what -------------------------------------------------------------------

def test_nobody_reads_or_writes_another_pairs_messages(cora, dave, alice, bob, charlie, as_user):
    talk.send_as_coach(cora, alice.pk, "cora-to-alice")
    talk.send_as_client(alice, "alice-to-cora")
    talk.send_as_coach(dave, bob.pk, "dave-to-bob")
    pair = Message.objects.filter(link__client=alice)
    before = list(pair.values_list("id", "text", "read_at"))
    for outsider, client in ((dave, alice), (cora, bob), (alice, bob), (charlie, alice)):
        browser = as_user(outsider)
        assert browser.get(coach_page(client)).status_code == 404, (outsider, client)
        assert coach_writes(browser, client, "sneaky").status_code == 404, (outsider, client)
        assert mark_read(browser, reverse("coach_message", args=[client.pk]), 10**6).status_code == 404
    for person, others in ((alice, ("dave-to-bob",)), (bob, ("cora-to-alice", "alice-to-cora")),
                           (charlie, ("cora-to-alice", "dave-to-bob"))):
        text = as_user(person).get(reverse("my_coach")).content.decode()
        assert not any(o in text for o in others), person
    # Bob's "Mark as read" reaches his own messages only.
    mark_read(as_user(bob), reverse("my_messages"), 10**6)
    assert Message.objects.get(text="cora-to-alice").read_at is None
    assert Message.objects.get(text="dave-to-bob").read_at is not None
    # A visitor is sent to sign in and changes nothing.
    visitor = Client()
    for url in (reverse("my_messages"), reverse("coach_message", args=[alice.pk])):
        r = visitor.post(url, {"message": "hello"})
        assert r.status_code == 302 and r["Location"] == SIGNIN + url
    assert Message.objects.filter(text__in=["sneaky", "hello"]).count() == 0
    assert list(pair.values_list("id", "text", "read_at")) == before  # Cora and Alice's, untouched


def test_a_client_who_leaves_keeps_the_history_and_the_coach_loses_it(cora, alice, as_user):
    cora_web, alice_web = as_user(cora), as_user(alice)
    talk.send_as_coach(cora, alice.pk, "Keep going")
    talk.send_as_client(alice, "Thanks")
    alice_web.post(reverse("my_coach"), {"action": "leave"})
    text = conversation(alice_web, reverse("my_coach"))
    assert "Keep going" in text and "Thanks" in text and "you cannot reply" in text
    assert 'id="message-form"' not in text
    r = client_writes(alice_web, "Are you there?")
    assert r.status_code == 302 and not Message.objects.filter(text="Are you there?").exists()
    assert "You have no coach to write to" in alice_web.get(r["Location"]).content.decode()
    gone = cora_web.get(coach_page(alice))  # says the link ended, and shows none of it
    assert gone.status_code == 410 and "Keep going" not in gone.content.decode() and "Thanks" not in gone.content.decode()
    assert coach_writes(cora_web, alice, "Come back").status_code == 404
    assert mark_read(cora_web, reverse("coach_message", args=[alice.pk]), 10**6).status_code == 404
    assert Message.objects.get(text="Thanks").read_at is None
    assert cora_web.get(reverse("export")).json()["coaching"]["messages"] == []
    assert len(alice_web.get(reverse("export")).json()["coaching"]["messages"]) == 2
    # Back with the same coach on a new invite: she sees only what is written from now on.
    coaching.accept_invite(alice, coaching.create_invite(cora).code)
    talk.send_as_client(alice, "I am back")
    text = conversation(cora_web, coach_page(alice))
    assert "I am back" in text and "Keep going" not in text and "Thanks" not in text
    assert "Keep going" in conversation(alice_web, reverse("my_coach"))


def test_each_coach_read_of_the_messages_is_in_the_clients_access_log(cora, alice, bob, as_user):
    talk.send_as_client(alice, "Hello")
    cora_web = as_user(cora)
    for _ in range(2):
        cora_web.get(coach_page(alice))
    reads = [r.what for r in AccessLog.objects.filter(client=alice, what__startswith="messages:").order_by("id")]
    assert reads == ["messages: the conversation with you (1 message)"] * 2
    assert AccessLog.objects.filter(client=alice, what__startswith="messages:", coach_email=cora.email).count() == 2
    assert not AccessLog.objects.filter(client=bob).exists()
    assert "messages: the conversation with you" in as_user(alice).get(reverse("my_coach")).content.decode()
    coach_writes(cora_web, alice, "")  # a refused message shows the page, and so reads the messages again
    assert AccessLog.objects.filter(client=alice, what__startswith="messages:").count() == 3


# ---- read and unread -----------------------------------------------------------------------------

def test_opening_a_page_marks_nothing_read_the_mark_as_read_button_does(cora, alice, as_user):
    first = talk.send_as_coach(cora, alice.pk, "one")
    alice_web = as_user(alice)
    text = conversation(alice_web, reverse("my_coach"))
    assert "1 new" in text and "Mark as read" in text
    assert Message.objects.get().read_at is None  # a GET writes nothing
    late = talk.send_as_coach(cora, alice.pk, "two, after the page was shown")
    r = mark_read(alice_web, reverse("my_messages"), first.pk)
    assert r["Location"] == reverse("my_coach") + "#messages"
    assert Message.objects.get(pk=first.pk).read_at is not None
    assert Message.objects.get(pk=late.pk).read_at is None  # not on the page that was read
    cora_text = conversation(as_user(cora), coach_page(alice))
    assert re.search(r"You · read \d+ \w+ \d\d:\d\d</p>\s*<blockquote class=\"message-text\">one", cora_text)


def test_a_reply_marks_the_other_sides_messages_read_and_not_ones_own(cora, alice, as_user):
    one = talk.send_as_client(alice, "one")
    coach_writes(as_user(cora), alice, "reply", seen=str(one.pk))
    assert Message.objects.get(pk=one.pk).read_at is not None
    assert Message.objects.get(text="reply").read_at is None


def test_today_counts_the_coachs_new_messages_and_links_to_them(cora, alice, as_user):
    alice_web = as_user(alice)
    assert "new message" not in alice_web.get(reverse("today")).content.decode()
    talk.send_as_coach(cora, alice.pk, "one")
    last = talk.send_as_coach(cora, alice.pk, "two")
    talk.send_as_client(alice, "mine are not counted")
    page = alice_web.get(reverse("today")).content.decode()
    assert '<a href="/my-coach/#messages">2 new messages from your coach</a>' in page
    mark_read(alice_web, reverse("my_messages"), last.pk)
    assert "new message" not in alice_web.get(reverse("today")).content.decode()


def test_the_client_list_counts_each_clients_new_messages_in_one_query(cora, alice, bob, charlie, as_user,
                                                                         django_assert_num_queries):
    for person in (bob, charlie):
        coaching.accept_invite(person, coaching.create_invite(cora).code)
    talk.send_as_client(alice, "a1")
    talk.send_as_client(alice, "a2")
    talk.send_as_client(charlie, "c1")
    talk.send_as_coach(cora, bob.pk, "to bob: not the coach's to read")
    with django_assert_num_queries(1):
        counts = talk.unread_by_client(cora)
    assert counts == {alice.pk: 2, charlie.pk: 1}
    page = as_user(cora).get(reverse("coach_clients")).content.decode()
    assert f'<a href="/coach/clients/{alice.pk}/#messages">2 new messages</a>' in page
    assert f'<a href="/coach/clients/{charlie.pk}/#messages">1 new message</a>' in page
    assert f'/coach/clients/{bob.pk}/#messages' not in page


# ---- the JSON API (the client's side) ------------------------------------------------------------

def api(user):
    from sijcoach.web.accounts.models import ApiToken

    _, key = ApiToken.issue(user, "phone")
    browser = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    browser.send = lambda path, data: browser.post(path, json.dumps(data), content_type="application/json")
    return browser


def test_the_api_gives_a_client_their_messages_and_lets_them_write_and_mark_read(cora, alice):
    first = talk.send_as_coach(cora, alice.pk, "Any pain after the walk?")
    session = a_session(alice)
    phone = api(alice)
    r = phone.send("/api/v1/me/messages", {"message": "A little.\nIt eased.", "session_id": session.pk,
                                           "exercise": "bird-dog"})
    assert r.status_code == 201
    assert {k: r.json()[k] for k in ("sender", "coach", "text", "session_id", "exercise")} == {
        "sender": "you", "coach": "cora@example.org", "text": "A little.\nIt eased.", "session_id": session.pk,
        "exercise": "bird-dog"}
    data = phone.get("/api/v1/me/messages").json()
    assert (data["coach"], data["unread"], data["newest_id"]) == ("cora@example.org", 1, r.json()["id"])
    assert [(m["sender"], m["text"]) for m in data["messages"]] == [
        ("coach", "Any pain after the walk?"), ("you", "A little.\nIt eased.")]
    assert phone.send("/api/v1/me/messages/read", {"upto": first.pk}).json() == {"marked": 1}
    assert phone.get("/api/v1/me/messages").json()["unread"] == 0


def test_the_api_refuses_a_bad_message_naming_each_field_as_sent(cora, alice, bob):
    bobs = a_session(bob)
    phone = api(alice)
    r = phone.send("/api/v1/me/messages", {"message": "x" * 1001, "exercise": "moon-walk"})
    assert r.status_code == 422 and [p["field"] for p in r.json()["detail"]] == ["message", "exercise"]
    r = phone.send("/api/v1/me/messages", {"message": "look", "session_id": bobs.pk})
    assert r.status_code == 422
    assert [(p["field"], p["allowed"]) for p in r.json()["detail"]] == [
        ("session_id", "one of the client's own sessions, or none")]
    assert phone.send("/api/v1/me/messages", {"message": "  "}).json()["detail"][0]["allowed"] == "1 to 1000 characters"
    # A developer's find: "" and 1,001 characters answered pydantic's own words ("String should have...").
    for text in ("", "x" * 1001):
        assert phone.send("/api/v1/me/messages", {"message": text}).json()["detail"][0]["allowed"] == "1 to 1000 characters"
    assert not Message.objects.exists()


def test_the_api_keeps_each_pair_to_itself(cora, dave, alice, bob, charlie):
    talk.send_as_coach(cora, alice.pk, "cora-to-alice")
    talk.send_as_coach(dave, bob.pk, "dave-to-bob")
    assert [m["text"] for m in api(bob).get("/api/v1/me/messages").json()["messages"]] == ["dave-to-bob"]
    assert api(charlie).get("/api/v1/me/messages").json() == {"coach": None, "unread": 0, "newest_id": 0,
                                                              "messages": []}
    r = api(charlie).send("/api/v1/me/messages", {"message": "hello?"})
    assert r.status_code == 404 and "no coach" in r.json()["detail"]
    assert api(bob).send("/api/v1/me/messages/read", {"upto": 10**6}).json() == {"marked": 1}
    assert Message.objects.get(text="cora-to-alice").read_at is None
    assert Client().get("/api/v1/me/messages").status_code == 401
    coaching.leave_coach(alice)
    assert [m["text"] for m in api(alice).get("/api/v1/me/messages").json()["messages"]] == ["cora-to-alice"]
    assert api(alice).send("/api/v1/me/messages", {"message": "still?"}).status_code == 404


# ---- the email notice ----------------------------------------------------------------------------

def test_a_new_message_sends_the_recipient_one_notice_an_hour_with_a_link_and_no_sign_in(inbox, cora, alice):
    set_email_reminders(alice, True)
    talk.send_as_coach(cora, alice.pk, "Private words about your back")
    (notice,) = inbox.received
    assert notice["To"] == "alice@example.org" and notice["Subject"] == "A new message from your coach"
    text = body(notice)
    assert f"Read and reply: {BASE_URL}/my-coach/#messages" in text
    assert "cora@example.org" in text and "Private words" not in text  # the words stay in the app
    links = re.findall(r"https?://\S+", text)
    assert all(u.startswith(BASE_URL) for u in links)
    assert not [u for u in links if "signin" in u or "token" in u or "session" in u]
    assert "/reminders/stop/" in notice["List-Unsubscribe"]
    second = talk.send_as_coach(cora, alice.pk, "And one more thing")
    assert len(inbox.received) == 1  # within the hour: no second notice
    later = second.sent_at + dt.timedelta(minutes=61)
    assert talk.send_notices(later).sent == 1  # the hour is over and it is still unread
    assert inbox.received[1]["Subject"] == "2 new messages from your coach"
    assert talk.send_notices(later + dt.timedelta(hours=3)).sent == 0  # nothing newer since
    assert MessageNotice.objects.get(pk=alice.pk).sent_at == later


def test_no_notice_for_someone_without_the_email_reminder_or_for_a_message_already_read(inbox, cora, alice):
    talk.send_as_client(alice, "Cora has no email reminder")
    first = talk.send_as_coach(cora, alice.pk, "Alice has none either")
    assert inbox.received == []
    set_email_reminders(alice, True)
    talk.mark_read_by_client(alice, first.pk)
    assert talk.send_notices(timezone.now() + dt.timedelta(hours=2)).sent == 0


def test_a_coach_is_told_which_clients_wrote_with_a_link_to_each(inbox, cora, alice, bob):
    coaching.accept_invite(bob, coaching.create_invite(cora).code)
    talk.send_as_client(alice, "hi")
    talk.send_as_client(bob, "hello")
    talk.send_as_client(bob, "again")
    set_email_reminders(cora, True)
    assert talk.send_notices().sent == 1
    (notice,) = inbox.received
    assert notice["Subject"] == "3 new messages from your clients"
    text = body(notice).replace("\r\n", "\n")
    assert f"Your client alice@example.org wrote to you: 1 new message.\nRead and reply: " \
           f"{BASE_URL}/coach/clients/{alice.pk}/#messages" in text
    assert "Your client bob@example.org wrote to you: 2 new messages." in text


def test_two_senders_at_once_claim_the_hour_once(inbox, cora, alice):
    set_email_reminders(alice, True)
    MessageNotice.objects.create(pk=alice.pk, sent_at=timezone.now() - dt.timedelta(hours=2))
    Message.objects.create(link=coaching.active_link(alice), from_coach=True, text="hi")
    now = timezone.now()
    seen_by_one, seen_by_other = talk.due_notices(now), talk.due_notices(now)
    assert [d.user_id for d in seen_by_one] == [d.user_id for d in seen_by_other] == [alice.pk]
    assert talk.claim(seen_by_one[0], now) and not talk.claim(seen_by_other[0], now)


def test_a_notice_the_mail_server_refused_gives_its_hour_back_and_the_message_is_kept(inbox, settings, cora, alice,
                                                                                        as_user):
    from live_app import free_port

    set_email_reminders(alice, True)
    working, settings.EMAIL_PORT = settings.EMAIL_PORT, free_port()  # nothing listens there
    r = coach_writes(as_user(cora), alice, "Saved all the same")
    assert r.status_code == 302 and Message.objects.filter(text="Saved all the same").exists()
    assert MessageNotice.objects.get(pk=alice.pk).sent_at is None
    settings.EMAIL_PORT = working
    call_command("send_reminders")  # its round sends the notices that are due
    assert [m["Subject"] for m in inbox.received] == ["A new message from your coach"]


def test_messages_sent_at_once_by_several_processes_send_one_notice(server_env, smtp):  # noqa: F811
    """Four real processes on one database, each sending Alice a message from Cora at the same time,
    against a slow mail server: Alice gets one notice."""
    inbox_, port = smtp
    inbox_.delay_s = 1.0
    env = {**server_env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "SIJCOACH_BASE_URL": BASE_URL}
    setup = (
        "from django.contrib.auth import get_user_model\n"
        "from sijcoach.web.coaching import services as coaching\n"
        "from sijcoach.web.reminders.services import set_email_reminders\n"
        "make = get_user_model().objects.create_user\n"
        "alice, cora = make('alice@example.org', 'alice@example.org', 'x' * 12), make('cora@example.org', "
        "'cora@example.org', 'x' * 12)\n"
        "coaching.grant_coach(cora, 'administrator')\n"
        "coaching.accept_invite(alice, coaching.create_invite(cora).code)\n"
        "set_email_reminders(alice, True)\n")
    subprocess.run([sys.executable, "-m", "sijcoach.web", "shell", "-c", setup], env=env, check=True, timeout=120)
    send = ("from django.contrib.auth import get_user_model\n"
            "from sijcoach.web.coaching import messages\n"
            "users = get_user_model().objects\n"
            "messages.send_as_coach(users.get(email='cora@example.org'), users.get(email='alice@example.org').pk, "
            "'at once')\n")
    senders = [subprocess.Popen([sys.executable, "-m", "sijcoach.web", "shell", "-c", send], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    outputs = [s.communicate(timeout=120) for s in senders]
    assert [s.returncode for s in senders] == [0] * 4, outputs
    count = subprocess.run([sys.executable, "-m", "sijcoach.web", "shell", "-c", (
        "from sijcoach.web.coaching.models import Message; print(Message.objects.filter(text='at once').count())")],
        env=env, check=True, timeout=120, capture_output=True, text=True).stdout
    assert count.split()[-1] == "4"
    assert [m["To"] for m in inbox_.received] == ["alice@example.org"]


# ---- the coach's notes became the first messages -------------------------------------------------

def test_the_migration_turns_each_coach_note_into_a_message_and_keeps_the_note(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate([("coaching", "0001_initial")])
    old = executor.loader.project_state([("coaching", "0001_initial")]).apps
    User = old.get_model("auth", "User")
    coach = User.objects.create(username="cora@example.org", email="cora@example.org")
    client = User.objects.create(username="alice@example.org", email="alice@example.org")
    link = old.get_model("coaching", "CoachLink").objects.create(coach=coach, client=client)
    Version = old.get_model("coaching", "CoachVersion")
    written = timezone.now() - dt.timedelta(days=3)
    empty = {"pinned": [], "excluded": [], "doses": []}
    Version.objects.create(link=link, made_by=coach, made_at=written, kind="note", what="Note.",
                           note="Walk every day.", adjustments=empty, findings={})
    Version.objects.create(link=link, made_by=coach, kind="pin", what="Pinned Clamshell.", note="not a message",
                           adjustments=empty, findings={})
    executor = MigrationExecutor(connection)  # the graph read again, as `migrate` does
    executor.migrate(executor.loader.graph.leaf_nodes())
    (message,) = Message.objects.all()
    assert (message.link_id, message.from_coach, message.text) == (link.pk, True, "Walk every day.")
    assert message.sent_at == written and message.read_at == written  # shown on Today since: not new
    assert CoachVersion.objects.filter(kind="note").count() == 1
