"""Messages on the pages: the form, the coach's and the client's POSTs (send, "Mark as read"), and
what the client page and "Your coach" show. The conversations are read by their pages' GETs, which
write nothing but the access-log row of a coach's read; marking read is always a POST."""

from __future__ import annotations

from django import forms
from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sijcoach.engine.inputs import InputError
from sijcoach.engine.vocab import day_words
from sijcoach.web.coaching import messages as talk
from sijcoach.web.coaching import services
from sijcoach.web.coaching.forms import JoinForm, exercise_choices
from sijcoach.web.coaching.views import coach_only
from sijcoach.web.problems import sentences

AUTO_ID = "message-%s"  # the client page shows several forms: each field's id names its form


class MessageForm(forms.Form):
    message = forms.CharField(
        label="Your message", max_length=talk.MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": f"Message: write a few words (up to {talk.MESSAGE_MAX} characters).",
            "max_length": "Message: at most %(limit_value)d characters; this one has %(show_value)d. Shorten it, "
                          "or send it in two.",
        })
    session = forms.TypedChoiceField(
        label="About one of the sessions (optional)", coerce=int, empty_value=None, required=False,
        error_messages={"invalid_choice": "Session: choose one of the sessions in the list, or none."})
    exercise = forms.ChoiceField(
        label="About an exercise (optional)", required=False,
        error_messages={"invalid_choice": "Exercise: choose one of the library's exercises in the list, or none."})

    def __init__(self, *args, client_id: int, **kwargs):
        super().__init__(*args, auto_id=AUTO_ID, **kwargs)
        sessions = talk.recent_sessions(client_id)
        self.fields["session"].choices = [("", "None")] + [
            (s.pk, f"{day_words(s.date)}: {s.routine_title}") for s in sessions]
        # The exercises of those sessions first, then the rest of the library (a message may be about
        # one the client has not done yet).
        done, library = talk.exercises_done(sessions), exercise_choices()
        mine = [(slug, name) for slug, name in library if slug in done]
        rest = [(slug, name) for slug, name in library if slug not in done]
        self.fields["exercise"].choices = [("", "None")] + (
            [("In recent sessions", mine), ("The rest of the library", rest)] if mine else rest)


def _seen(request) -> int:
    """The newest message the page showed: marking read goes no further."""
    try:
        return max(0, int(request.POST.get("seen", "")))
    except ValueError:
        return 0


def _send(form: MessageForm, send) -> bool:
    """Send the form's message with `send`; False with the problems on the form when refused."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        send(data["message"], data["session"], data["exercise"])
    except InputError as exc:
        for sentence in sentences(exc):
            form.add_error(None, sentence)
        return False
    return True


# The coach's side (the client page's Messages section) -------------------------------------------

def coach_context(coach, client_id: int, form: MessageForm | None = None) -> dict:
    """The client page's messages; the read is written to the client's access log."""
    return {"conversation": talk.for_coach(coach, client_id),
            "message_form": form or MessageForm(client_id=client_id), "reader_is_coach": True,
            "message_action": reverse("coach_message", args=[client_id])}


@coach_only
@require_POST
def coach_message(request, client_id: int):
    back = reverse("coach_client", args=[client_id]) + "#messages"
    if request.POST.get("action") == "read":
        talk.mark_read_by_coach(request.user, client_id, _seen(request))
        return redirect(back)
    form = MessageForm(request.POST, client_id=client_id)
    if _send(form, lambda text, session, exercise: talk.send_as_coach(
            request.user, client_id, text, session, exercise, seen=_seen(request))):
        notices.success(request, "Sent: your client sees it on their Today page and on Your coach.")
        return redirect(back)
    from sijcoach.web.coaching.views import _client_page  # the page that shows the form

    return _client_page(request, client_id, ("message", form), status=400)


# The client's side ("Your coach") -----------------------------------------------------------------

def client_context(client, form: MessageForm | None = None) -> dict:
    conversation = talk.for_client(client)
    return {"conversation": conversation, "reader_is_coach": False, "message_action": reverse("my_messages"),
            "message_form": (form or MessageForm(client_id=client.pk)) if conversation.link else None}


@login_required
@require_POST
def my_messages(request):
    back = reverse("my_coach") + "#messages"
    if request.POST.get("action") == "read":
        talk.mark_read_by_client(request.user, _seen(request))
        return redirect(back)
    form = MessageForm(request.POST, client_id=request.user.pk)
    try:
        if services.active_link(request.user) is None:
            raise talk.NoCoach(talk.NO_COACH)
        sent = _send(form, lambda text, session, exercise: talk.send_as_client(
            request.user, text, session, exercise, seen=_seen(request)))
    except talk.NoCoach as exc:  # (the link may end between the two)
        notices.error(request, str(exc))
        return redirect(back)
    if sent:
        notices.success(request, "Sent: your coach sees it on your page in their client list.")
        return redirect(back)
    return render(request, "coaching/my_coach.html", {
        "view": services.for_client(request.user, versions=200, history=True), "form": JoinForm(),
        **client_context(request.user, form)}, status=400)
