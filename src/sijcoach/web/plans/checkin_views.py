"""The check-in wizard: one topic a page; Back and Next keep the answers (in the session) until the
last page saves them as one check-in. An emergency or urgent warning sign ends it at once."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from sijcoach.engine.inputs import InputError
from sijcoach.engine.profile import Pregnancy
from sijcoach.engine.guidance import library
from sijcoach.engine.screening import PREGNANCY_FLAGS, flags_action, flags_heading
from sijcoach.web.plans import services
from sijcoach.web.plans.checkin_forms import FIELD_STEP, STEPS
from sijcoach.web.plans.checkin_service import Stopped, check_in, stop_for_warning_signs
from sijcoach.web.plans.models import PsfsActivity
from sijcoach.web.problems import sentences

DRAFT = "checkin_draft"


def _steps(user) -> list[str]:
    steps = list(STEPS)
    if PsfsActivity.objects.filter(user=user).exists():
        steps.remove("activities")  # set up once, at the first check-in; re-rated on Progress
    return steps


@login_required
def start(request):
    """A new check-in starts from the last answers; the warning signs always start unticked, and the pain
    right now unanswered (last month's 4/10 was offered as today's)."""
    last = services.latest_checkin(request.user)
    # As of today, so the days since onset and the weeks of pregnancy are not set back.
    answers = last.to_engine(services.today_for(request.user)).model_dump(mode="json") if last else {}
    answers.pop("red_flags", None)
    answers.pop("pain_now", None)
    request.session[DRAFT] = {"answers": answers, "pages": {}}
    return redirect("checkin_step", step="warning-signs")


def _initial(form_class, draft: dict, step: str) -> dict:
    if step in draft["pages"]:
        return draft["pages"][step]
    if hasattr(form_class, "initial_from"):
        return form_class.initial_from(draft["answers"])
    return {k: v for k, v in draft["answers"].items() if not isinstance(v, dict)}


@login_required
def step(request, step: str):
    steps = _steps(request.user)
    if step not in steps:
        raise Http404("No such check-in page")
    draft = request.session.get(DRAFT)
    if draft is None:
        return redirect("checkin_start")
    form_class = STEPS[step]
    index = steps.index(step)
    # Pages are answered in order, so nobody reaches the end without the warning signs.
    unanswered = next((s for s in steps[:index] if s not in draft["pages"]), None)
    if unanswered is not None:
        return redirect("checkin_step", step=unanswered)
    if request.method == "POST":
        form = form_class(request.POST)
        going_back = request.POST.get("nav") == "back"
        if form.is_valid():
            draft.get("unfinished", {}).pop(step, None)
            draft["pages"][step] = {k: v for k, v in form.cleaned_data.items()}
            if step == "activities":
                draft["psfs"] = form.to_psfs()
            else:
                draft["answers"].update(form.to_answers())
            request.session[DRAFT] = draft
            if step == "warning-signs" and stop_for_warning_signs(request.user, draft["answers"]["red_flags"]):
                del request.session[DRAFT]
                return redirect("checkin_stop")
            if going_back:
                return redirect("checkin_step", step=steps[max(0, index - 1)])
            if index + 1 < len(steps):
                return redirect("checkin_step", step=steps[index + 1])
            return _finish(request, draft, steps)
        if going_back:  # an unfinished page does not hold the person back; what was typed waits on it
            draft.setdefault("unfinished", {})[step] = {
                k: request.POST.getlist(k) for k in request.POST if k not in ("csrfmiddlewaretoken", "nav")}
            request.session[DRAFT] = draft
            return redirect("checkin_step", step=steps[max(0, index - 1)])
        status = 400
    elif step in draft.get("unfinished", {}):
        # Left with Back before it was valid: shown as typed, with what still needs an answer.
        typed = QueryDict(mutable=True)
        for name, values in draft["unfinished"][step].items():
            typed.setlist(name, values)
        form = form_class(typed)
        form.is_valid()
        status = 200
    else:
        form = form_class(initial=_initial(form_class, draft, step))
        status = 200
    return render(request, "plans/checkin_step.html", {
        "form": form, "problems": request.session.pop("checkin_problems", None), "step": step, "number": index + 1, "total": len(steps),
        "back": index > 0, "last": index + 1 == len(steps),
        "coach_findings": _coach_findings(request.user) if step == "findings" else None,
    }, status=status)


def _coach_findings(user) -> str | None:
    """What the person's coach found, in words, when they recorded anything: it takes the place of the
    answers on the findings page while the coaching lasts."""
    version = services.latest_version(user)
    findings = version.to_engine()[1] if version is not None else None
    return findings.words() if findings is not None and findings.recorded() else None


def _finish(request, draft: dict, steps: list[str]):
    try:
        outcome = check_in(request.user, draft["answers"], services.today_for(request.user), psfs=draft.get("psfs"))
    except InputError as exc:
        # The engine has the last word; its complaint is shown on the page that asked the question.
        first = exc.problems[0]
        page = FIELD_STEP.get(first.field.split(".")[0].split("[")[0], "about")
        request.session["checkin_problems"] = sentences(exc)
        return redirect(reverse("checkin_step", kwargs={"step": page if page in steps else steps[0]}))
    del request.session[DRAFT]
    return redirect("checkin_stop" if isinstance(outcome, Stopped) else "today")


@login_required
def stop(request):
    checkin = services.latest_checkin(request.user)
    report = services.open_red_flag(request.user, checkin)
    if report is None:  # none, or answered since by a check-in without it
        return redirect("today")
    flags = [library().flags[f] for f in report.flags if f in library().flags]
    # Said only to someone whose earlier answers exist and do not say pregnant (not on a first check-in).
    not_said = checkin is not None and checkin.to_engine(services.today_for(request.user)).pregnancy != Pregnancy.PREGNANT
    return render(request, "plans/checkin_stop.html", {
        "report": report, "action": flags_action(report.flags), "flags": flags, "heading": flags_heading(report.flags),
        "pregnancy_sign": not_said and bool(PREGNANCY_FLAGS & set(report.flags)),
    })
