"""Who is signed in: Django's model backend, reading the person with their preferences row (their
time zone decides "today" on every page) and their coach role (the menu's "Clients" link) in the same
statement."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class Backend(ModelBackend):
    def get_user(self, user_id):
        # As ModelBackend.get_user (get(): first() would add an ordering to a one-row lookup), from a
        # queryset made once, as every request asks.
        try:
            user = _PEOPLE.get(pk=user_id)
        except _PEOPLE.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


_PEOPLE = get_user_model()._default_manager.select_related("preferences", "coach_role")
