"""The coach's templates: saved from a client's page, applied to another client's, and listed (renamed,
deleted) on their own page. Thin views over templates_service; a refused request shows its form again
with the message beside the field."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sijcoach.engine.template_check import Outcome
from sijcoach.web.coaching import templates_service
from sijcoach.web.coaching.forms import TemplateApplyForm, TemplateNameForm
from sijcoach.web.coaching.templates_service import TemplateError
from sijcoach.web.coaching.views import _client_page, coach_only

LEVEL = {Outcome.APPLIED: messages.SUCCESS, Outcome.ALREADY: messages.INFO, Outcome.NOT_APPLIED: messages.WARNING}


@coach_only
@require_POST
def client_templates(request, client_id: int):
    """Save the client's adjustments as a template, or apply one of the coach's templates to them."""
    action = request.POST.get("form", "")
    if action == "template_save":
        form = TemplateNameForm(request.POST, auto_id="template-save-%s")
        saved = _attempt(form, lambda name: templates_service.save_template(request.user, client_id, name))
        if saved is not None:
            messages.success(request, f"Saved as your template “{saved.name}”: apply it to another client "
                                      "from their page.")
            return redirect("coach_client", client_id=client_id)
    elif action == "template_apply":
        form = TemplateApplyForm(request.POST, coach=request.user, auto_id="template-apply-%s")
        if form.is_valid():
            _report(request, templates_service.apply_template(request.user, client_id, form.cleaned_data["template"]))
            return redirect("coach_client", client_id=client_id)
    else:
        raise Http404("No such change")
    return _client_page(request, client_id, (action, form), status=400)


def _attempt(form: TemplateNameForm, call):
    """`call(name)` for a valid form, or None: a refusal is shown beside the field it concerns."""
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data["name"])
    except TemplateError as exc:
        form.add_error(exc.field, str(exc))
        return None


def _report(request, applied: templates_service.Applied) -> None:
    """A summary, then one line per item of the template: applied, already there, or not and why."""
    name, items = applied.template.name, applied.check.items
    if applied.version is None:
        messages.info(request, f"Nothing changed: no item of “{name}” could be added to this client's plan.")
    else:
        messages.success(request, f"Applied {len(applied.check.applied)} of {len(items)} items of “{name}”: "
                                  "your client sees the change on their Today page now.")
    for item in items:
        messages.add_message(request, LEVEL[item.outcome], item.line)


def _list_page(request, bound: tuple[int, TemplateNameForm] | None = None, status: int = 200):
    rows = []
    for t in templates_service.templates(request.user):
        form = bound[1] if bound and bound[0] == t.pk else TemplateNameForm(
            initial={"name": t.name}, auto_id=f"rename-{t.pk}-%s")
        rows.append((t, templates_service.describe(t), form))
    return render(request, "coaching/template_list.html", {"rows": rows}, status=status)


@coach_only
def template_list(request):
    return _list_page(request)


@coach_only
@require_POST
def template(request, template_id: int):
    """Rename or delete one of the coach's templates (another coach's is not found)."""
    action = request.POST.get("action", "")
    if action == "delete":
        name = templates_service.delete_template(request.user, template_id)
        messages.success(request, f"Deleted your template “{name}”. Clients it was applied to keep their changes.")
        return redirect("coach_templates")
    if action != "rename":
        raise Http404("No such change")
    templates_service.get_template(request.user, template_id)
    form = TemplateNameForm(request.POST, auto_id=f"rename-{template_id}-%s")
    renamed = _attempt(form, lambda name: templates_service.rename_template(request.user, template_id, name))
    if renamed is not None:
        messages.success(request, f"Renamed to “{renamed.name}”.")
        return redirect("coach_templates")
    return _list_page(request, (template_id, form), status=400)
