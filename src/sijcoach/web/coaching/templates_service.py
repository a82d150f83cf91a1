"""A coach's templates: a client's pins, leave-outs and doses (with their notes) saved under a name, and
applied to another of the coach's clients after the engine checked each item against that client.

A template belongs to its coach: every lookup filters by the coach, so another coach's template is
"not found". Reaching a client goes through `access.client_link`, and reading a client's adjustments
or situation is written to that client's access log, as everywhere in coach mode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import Http404

from sijcoach.engine.adjust import Adjustments, Findings
from sijcoach.engine.template_check import TemplateCheck, check_template
from sijcoach.web import access
from sijcoach.web.coaching import services as coach_services
from sijcoach.web.coaching.models import AccessLog, CoachLink, CoachTemplate, CoachVersion
from sijcoach.web.plans import services

TEMPLATES_MAX = 100
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class TemplateError(Exception):
    """A request about templates that cannot be done; `field` is the form field it concerns."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _log_read(coach, client, what: str) -> None:
    AccessLog.objects.create(client=client, coach=coach, coach_email=coach.email, what=what)


def templates(coach):
    return CoachTemplate.objects.filter(coach=coach)


def get_template(coach, template_id: int) -> CoachTemplate:
    """One of the coach's templates, or 404: another coach's template is not revealed."""
    found = templates(coach).filter(pk=template_id).first()
    if found is None:
        raise Http404("No such template")
    return found


def name_problem(coach, name: str, keep: CoachTemplate | None = None) -> str | None:
    """Why `name` cannot name one of the coach's templates (None: it can). `keep`: the template being
    renamed, which may keep its own name."""
    if not name:
        return "Template name: give the template a name."
    if len(name) > CoachTemplate.NAME_MAX:
        return f"Template name: at most {CoachTemplate.NAME_MAX} characters (this one has {len(name)})."
    if CONTROL.search(name):
        return "Template name: letters, digits, spaces and punctuation only (no line breaks or tabs)."
    same = templates(coach).filter(name__iexact=name)
    if keep is not None:
        same = same.exclude(pk=keep.pk)
    if same.exists():
        return f"Template name: you have a template called “{name}” already. Choose another name."
    return None


def _current(link) -> tuple[Adjustments, Findings]:
    version = link.versions.order_by("-id").first()
    return version.to_engine() if version else (Adjustments(), Findings())


def save_template(coach, client_id: int, name: str) -> CoachTemplate:
    """The client's current pins, leave-outs and doses, with their notes, as a new template. The read
    is logged even when nothing is saved."""
    link = access.client_link(coach, client_id)
    name = name.strip()
    problem = name_problem(coach, name)
    if problem:
        raise TemplateError("name", problem)
    if templates(coach).count() >= TEMPLATES_MAX:
        raise TemplateError("name", f"You have {TEMPLATES_MAX} templates, the most a coach may keep: "
                                    "delete one you no longer use first.")
    adj, _ = _current(link)
    _log_read(coach, link.client, "template: the coach's changes to the plan, read to save them as a template")
    if not (adj.pinned or adj.excluded or adj.doses):
        raise TemplateError("name", "Nothing to save: you have not pinned, left out or set a dose of any exercise "
                                    "for this client yet.")
    kept = Adjustments(pinned=adj.pinned, excluded=adj.excluded, doses=adj.doses)  # the items, nothing else
    try:
        with transaction.atomic():  # two saves at once: the constraint decides
            return CoachTemplate.objects.create(coach=coach, name=name, adjustments=kept.model_dump(mode="json"))
    except IntegrityError:
        raise TemplateError("name", f"Template name: you have a template called “{name}” already.") from None


@transaction.atomic
def rename_template(coach, template_id: int, name: str) -> CoachTemplate:
    template = get_template(coach, template_id)
    name = name.strip()
    problem = name_problem(coach, name, keep=template)
    if problem:
        raise TemplateError("name", problem)
    template.name = name
    try:
        with transaction.atomic():
            template.save(update_fields=["name"])
    except IntegrityError:
        raise TemplateError("name", f"Template name: you have a template called “{name}” already.") from None
    return template


@transaction.atomic
def delete_template(coach, template_id: int) -> str:
    template = get_template(coach, template_id)
    template.delete()
    return template.name


@dataclass(frozen=True)
class Applied:
    template: CoachTemplate
    check: TemplateCheck
    version: CoachVersion | None  # None: nothing applicable, nothing changed


@transaction.atomic
def apply_template(coach, client_id: int, template_id: int) -> Applied:
    """The template's items that suit the client become one new version of their adjustments; the
    others are reported with the reason. Nothing applicable: no version, the plan stays as it was."""
    link = access.client_link(coach, client_id)
    template = get_template(coach, template_id)
    CoachLink.objects.select_for_update().filter(pk=link.pk).first()  # one change at a time builds on the last
    client = link.client
    on = services.today_for(client)
    adj, findings = _current(link)
    checkin = services.latest_checkin(client)
    profile = findings.apply(checkin.to_engine()) if checkin else None  # as given: the engine moves them on
    check = check_template(profile, services.recent_logs(client, on), on, adj, template.to_engine())
    _log_read(coach, client, "template: check-in and sessions, read to check a template against them")
    if not check.applied:
        return Applied(template, check, None)
    version = CoachVersion.objects.create(
        link=link, made_by=coach, kind=CoachVersion.Kind.TEMPLATE, what=check.what(),
        adjustments=check.adjustments.model_dump(mode="json"), findings=findings.model_dump(mode="json"))
    services.remember_planned_days(client)
    return Applied(template, check, version)


def describe(template: CoachTemplate) -> list[tuple[str, str]]:
    """The template's items in plain words, for the coach's list: pinned, left out, doses."""
    return coach_services.describe(template.to_engine(), Findings())[:3]
