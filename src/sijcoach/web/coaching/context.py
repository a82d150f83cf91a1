"""`is_coach` for every template (the "Clients" link), asked only when a template uses it."""

from sijcoach.web.coaching import services


def coach(request):
    user = getattr(request, "user", None)
    return {"is_coach": lambda: user is not None and services.is_coach(user)}
