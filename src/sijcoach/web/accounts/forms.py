from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import PasswordChangeForm

from sijcoach.web.accounts import throttle
from sijcoach.web.accounts.models import DEFAULT_TOKEN_DAYS, TOKEN_DAYS
from sijcoach.web.timezones import TimeZoneField

User = get_user_model()


class SignUpForm(forms.Form):
    TAKEN = "An account with this email already exists: sign in instead."

    email = forms.EmailField(label="Email", max_length=254)
    password = forms.CharField(label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text="At least 10 characters, not only numbers, not a common password.")
    # Preset from the device's own zone (static/sijcoach/timezone.js); "today" and reminders follow it.
    time_zone = TimeZoneField(preset=True, help_text="Your day and your reminders follow it. Settings can change it.")
    understood = forms.BooleanField(
        label="I understand SI Joint Coach is not a diagnosis and does not replace a health professional.")
    coach = forms.BooleanField(label="I am a coach or physiotherapist: let me invite clients", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.COACH_SIGNUP:  # the site offers the coach role at sign-up only when it says so
            del self.fields["coach"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(username=email).exists():
            raise forms.ValidationError(self.TAKEN)
        return email

    def clean(self):
        data = super().clean()
        if "password" in data and "email" in data:
            try:
                password_validation.validate_password(data["password"], User(username=data["email"], email=data["email"]))
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class SignInForm(forms.Form):
    email = forms.CharField(label="Email", max_length=254)
    password = forms.CharField(label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CountedPasswordChangeForm(PasswordChangeForm):
    """Django's form, with the old password's check counted by the sign-in limits (throttle.py)."""

    def __init__(self, user, address: str, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.address = address

    def clean_old_password(self):
        attempt = throttle.begin(self.user.username, self.address)
        if not attempt.allowed:
            raise forms.ValidationError(attempt.message, code="throttled")
        old_password = super().clean_old_password()
        attempt.succeeded()
        return old_password


class TokenForm(forms.Form):
    name = forms.CharField(label="Token name", max_length=80, help_text="What it is for, e.g. “my phone”.")
    days = forms.TypedChoiceField(
        label="Works for", coerce=int, initial=DEFAULT_TOKEN_DAYS, required=False, empty_value=DEFAULT_TOKEN_DAYS,
        choices=[(d, f"{d} days" if d < 365 else "a year") for d in TOKEN_DAYS],
        help_text="Then it stops, and you make a new one. Changing your password stops every token at once.")


class DeleteForm(forms.Form):
    password = forms.CharField(label="Your password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
