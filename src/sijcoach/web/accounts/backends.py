"""Who is signed in: Django's model backend, reading the person with their preferences row (their
time zone decides "today" on every page) and their coach role (the menu's "Clients" link) in the same
statement."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class Backend(ModelBackend):
    def get_user(self, user_id):
        user = get_user_model().objects.select_related("preferences", "coach_role").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
