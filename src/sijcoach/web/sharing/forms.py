from __future__ import annotations

from django import forms

from sijcoach.exports.handout_css import PAGE_SIZES


class HandoutForm(forms.Form):
    paper = forms.ChoiceField(choices=[(p, p.upper() if p == "a4" else p.capitalize()) for p in PAGE_SIZES],
                              initial="a4", required=False, widget=forms.RadioSelect, label="Paper")
    name = forms.CharField(required=False, max_length=60, label="Name in the footer (optional)",
                           help_text="Printed on every page, for you or your physiotherapist.")

    def clean_paper(self):
        return self.cleaned_data["paper"] or "a4"

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if any(ord(c) < 32 for c in name):
            raise forms.ValidationError("Use letters, numbers and punctuation only.")
        return name


class FhirForm(forms.Form):
    """What the health-record file may say about the person: nothing but an opaque id by default."""

    share_name = forms.BooleanField(required=False, label="Include my name (or email address)")
    share_birth_year = forms.BooleanField(required=False, label="Include my year of birth (from my age)")
    share_sex = forms.BooleanField(required=False, label="Include my sex")
