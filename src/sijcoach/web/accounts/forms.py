from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation

User = get_user_model()


class SignUpForm(forms.Form):
    email = forms.EmailField(label="Email", max_length=254)
    password = forms.CharField(label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text="At least 10 characters, not only numbers, not a common password.")
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
            raise forms.ValidationError("An account with this email already exists: sign in instead.")
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


class TokenForm(forms.Form):
    name = forms.CharField(label="Token name", max_length=80, help_text="What it is for, e.g. “my phone”.")


class DeleteForm(forms.Form):
    password = forms.CharField(label="Your password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
