"""Time zones: the list a person chooses from (sign-up and settings), and the zone a name stands for."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django import forms
from django.conf import settings

# In the tz database but not a place a person lives in: the machine's own zone file and placeholders.
_NOT_PLACES = {"Factory", "localtime", "posixrules"}


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA name this machine knows, the old spellings browsers still report (Asia/Calcutta)
    among them, so the browser's own zone is always in the list."""
    return tuple(sorted(available_timezones() - _NOT_PLACES))


def zone_named(name: str) -> ZoneInfo:
    """The zone of a stored name; the server's (settings.TIME_ZONE) when it is empty or unknown."""
    for candidate in (name, settings.TIME_ZONE, "UTC"):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


class TimeZoneField(forms.ChoiceField):
    """A list of the zones, empty meaning the server's. `preset` marks it for static/sijcoach/timezone.js,
    which chooses the browser's zone while nothing is chosen (no script: the server's zone)."""

    def __init__(self, *, preset: bool = False, **kwargs):
        kwargs.setdefault("label", "Time zone")
        kwargs.setdefault("required", False)
        attrs = {"autocomplete": "off"} | ({"data-browser-zone": ""} if preset else {})
        super().__init__(
            choices=self._choices, widget=forms.Select(attrs=attrs),
            error_messages={"invalid_choice": "Time zone: not one of the listed time zones; choose one from the "
                                              "list, such as Europe/London or America/New_York."},
            **kwargs)

    @staticmethod
    def _choices():
        return [("", f"Not set: the server's ({settings.TIME_ZONE})")] + [
            (name, name.replace("_", " ")) for name in zone_names()]
