"""The Learn pages: all lessons, one lesson, marking it read, and a lesson's diagram."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from sijcoach.engine import lessons as engine
from sijcoach.web.learn import services
from sijcoach.web.plans import services as plans
from sijcoach.web.plans.pictures import svg_file


def _lesson_or_404(lesson_id: str) -> engine.Lesson:
    lesson = engine.lesson_by_id(lesson_id)
    if lesson is None:
        raise Http404("No such lesson")
    return lesson


@login_required
def learn(request):
    on = plans.today_for(request.user)
    mine = services.course(request.user, on)
    others = [lesson for lesson in engine.lessons() if lesson not in mine]
    read = services.read_lessons(request.user)
    rows = [{"lesson": lesson, "read_on": read.get(lesson.id), "minutes": services.minutes_to_read(lesson)}
            for lesson in mine + others]
    return render(request, "learn/list.html", {"rows": rows, "read_count": len(read), "total": len(rows)})


@login_required
def lesson(request, lesson: str):
    found = _lesson_or_404(lesson)
    read_on = services.read_lessons(request.user).get(found.id)
    return render(request, "learn/lesson.html", {
        "lesson": found, "html": services.render(found), "sources": services.source_titles(found),
        "read_on": read_on, "minutes": services.minutes_to_read(found),
        "diagram": services.diagram(found.diagram.removesuffix(".svg")) if found.diagram else None,
    })


@login_required
@require_POST
def mark_read(request, lesson: str):
    found = _lesson_or_404(lesson)
    services.mark_read(request.user, found, plans.today_for(request.user))
    messages.success(request, f"“{found.title}” is marked as read.")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure()):
        return redirect(back)
    return redirect("learn_lesson", lesson=found.id)


@require_safe
def picture(request: HttpRequest, name: str, digest: str) -> HttpResponse:
    """A lesson's diagram, public like the exercise drawings; kept for a year at its current hash."""
    found = services.diagram(name)
    if found is None:
        raise Http404("No such picture")
    return svg_file(found.svg, fresh=digest == found.digest)
