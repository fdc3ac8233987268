"""Forms for installation and clinic administration."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from mesohair.clinics.models import Clinic, IdentifierType, Membership
from mesohair.clinics.roles import Role

User = get_user_model()


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Role.choices, widget=forms.CheckboxSelectMultiple, **kwargs)


class NewStaffForm(forms.Form):
    """A staff member: an existing account joins, or a new one is created."""

    email = forms.EmailField(label="E-mail")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=True), required=False,
        help_text="Initial password for a new account (at least 10 characters). "
        "Leave empty when the person already has an account.",
    )
    roles = RolesField()

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        email = data.get("email")
        if email and not User.objects.filter(email=email).exists():
            password = data.get("password")
            if not password:
                self.add_error("password", "A new account needs an initial password.")
            else:
                try:
                    validate_password(password, User(email=email))
                except ValidationError as exc:
                    self.add_error("password", exc)
        return data

    def save(self, clinic: Clinic) -> Membership:
        """Create or reuse the account, then its membership of ``clinic``."""
        data = self.cleaned_data
        user = User.objects.filter(email=data["email"]).first()
        if user is None:
            user = User.objects.create_user(
                data["email"], data["password"],
                first_name=data["first_name"], last_name=data["last_name"],
            )
        membership, _ = Membership.objects.update_or_create(
            user=user, clinic=clinic, defaults={"roles": data["roles"], "is_active": True}
        )
        return membership


class MembershipForm(forms.ModelForm):
    """Change a member's roles or suspend them."""

    roles = RolesField()

    class Meta:
        model = Membership
        fields = ["roles", "is_active"]
        labels = {"is_active": "Active (may sign in to this clinic)"}


class ClinicForm(forms.ModelForm):
    class Meta:
        model = Clinic
        fields = ["name", "time_zone"]


class IdentifierTypeForm(forms.ModelForm):
    class Meta:
        model = IdentifierType
        fields = ["name", "pattern", "example"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        pattern, example = data.get("pattern"), data.get("example")
        if pattern and example and self.instance.clinic_id:
            probe = IdentifierType(name=data.get("name", ""), pattern=pattern)
            if probe.format_error(example):
                self.add_error("example", "The example does not match the pattern.")
        return data


class SwitchClinicForm(forms.Form):
    clinic = forms.IntegerField(widget=forms.HiddenInput)
