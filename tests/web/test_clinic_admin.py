"""Installation admins create clinics; clinic admins manage staff and settings;
users of several clinics switch between them."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from mesohair.accounts.models import User
from mesohair.clinics.models import Clinic, IdentifierType, Membership
from tests.factories import PatientFactory
from tests.personas import ADMIN_TOTP_SECRET, Personas, post_form


def _installation_admin(personas: Personas) -> User:
    from allauth.mfa.totp.internal.auth import TOTP

    root = User.objects.create_superuser("root@test.example", "root-password-123")
    TOTP.activate(root, ADMIN_TOTP_SECRET)
    return root


def _root_client(personas: Personas) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(_installation_admin(personas))
    return client


def test_it_lets_the_installation_admin_create_a_clinic_with_its_first_admin(
    personas: Personas,
) -> None:
    client = _root_client(personas)
    response = post_form(client, reverse("installation_clinics"), {
        "clinic-name": "Seaside Clinic", "clinic-time_zone": "Europe/Lisbon",
        "admin-email": "Boss@Seaside.example", "admin-password": "a-long-initial-pass",
        "admin-roles": ["clinician"],
    })
    assert response.status_code == 302
    membership = Membership.objects.get(clinic__name="Seaside Clinic")
    assert membership.user.email == "boss@seaside.example"
    assert set(membership.roles) == {"clinician", "clinic_admin"}


def test_it_refuses_an_unknown_time_zone(personas: Personas) -> None:
    client = _root_client(personas)
    response = post_form(client, reverse("installation_clinics"), {
        "clinic-name": "Nowhere", "clinic-time_zone": "Mars/Olympus",
        "admin-email": "x@example.org", "admin-password": "a-long-initial-pass",
        "admin-roles": ["clinic_admin"],
    })
    assert "not a known time zone" in response.content.decode()
    assert not Clinic.objects.filter(name="Nowhere").exists()


def test_it_lets_a_clinic_admin_add_staff_with_roles(personas: Personas) -> None:
    response = post_form(personas.client("clinic_admin"), reverse("member_add"), {
        "email": "new.nurse@test.example", "first_name": "New", "last_name": "Nurse",
        "password": "another-long-pass", "roles": ["nurse"],
    })
    assert response.status_code == 302
    member = Membership.objects.get(user__email="new.nurse@test.example")
    assert member.clinic == personas.clinic and member.roles == ["nurse"]


def test_it_adds_an_existing_account_from_another_clinic_without_a_password(
    personas: Personas,
) -> None:
    response = post_form(personas.client("clinic_admin"), reverse("member_add"), {
        "email": "outsider@other.example", "roles": ["clinician"],
    })
    assert response.status_code == 302
    assert personas.outsider.memberships.count() == 2


def test_it_refuses_a_weak_initial_password(personas: Personas) -> None:
    response = post_form(personas.client("clinic_admin"), reverse("member_add"), {
        "email": "weak@test.example", "password": "short", "roles": ["nurse"],
    })
    assert "too short" in response.content.decode()
    assert not User.objects.filter(email="weak@test.example").exists()


def test_it_changes_a_members_roles(personas: Personas) -> None:
    membership = personas.nurse.memberships.get()
    post_form(personas.client("clinic_admin"), reverse("member_edit", args=[membership.pk]),
              {"roles": ["nurse", "front_desk"], "is_active": "on"})
    membership.refresh_from_db()
    assert membership.roles == ["nurse", "front_desk"]


def test_it_stops_an_admin_removing_their_own_admin_role(personas: Personas) -> None:
    membership = personas.clinic_admin.memberships.get()
    response = post_form(personas.client("clinic_admin"),
                         reverse("member_edit", args=[membership.pk]),
                         {"roles": ["nurse"], "is_active": "on"})
    assert "cannot remove your own" in response.content.decode()


def test_it_stops_an_admin_suspending_themselves_with_the_reason_beside_active(
    personas: Personas,
) -> None:
    membership = personas.clinic_admin.memberships.get()
    response = post_form(personas.client("clinic_admin"),
                         reverse("member_edit", args=[membership.pk]),
                         {"roles": ["clinic_admin"]})
    assert response.context["form"].errors == {"is_active": ["You cannot suspend yourself."]}
    membership.refresh_from_db()
    assert membership.is_active


def test_it_suspends_a_member_who_then_has_no_clinic(personas: Personas) -> None:
    membership = personas.front_desk.memberships.get()
    post_form(personas.client("clinic_admin"), reverse("member_edit", args=[membership.pk]),
              {"roles": ["front_desk"]})
    response = personas.client("front_desk").get(reverse("patients:list"))
    assert response.status_code == 403


def test_it_adds_an_identifier_type_with_a_pattern(personas: Personas) -> None:
    post_form(personas.client("clinic_admin"), reverse("identifier_types"),
              {"name": "Insurance no.", "pattern": "[A-Z]{3}[0-9]{6}", "example": "ABC123456"})
    assert IdentifierType.objects.filter(clinic=personas.clinic, name="Insurance no.").exists()


def test_it_refuses_an_identifier_pattern_that_does_not_compile(personas: Personas) -> None:
    response = post_form(personas.client("clinic_admin"), reverse("identifier_types"),
                         {"name": "Broken", "pattern": "[A-Z", "example": ""})
    assert "Not a valid pattern" in response.content.decode()


def test_it_switches_the_active_clinic_and_its_data(personas: Personas) -> None:
    user = personas.clinician
    Membership.objects.create(user=user, clinic=personas.other_clinic, roles=["clinician"])
    theirs = PatientFactory(clinic=personas.other_clinic)
    client = personas.client("clinician")
    post_form(client, reverse("switch_clinic"), {"clinic": personas.clinic.pk},
              page=reverse("patients:list"))
    assert client.get(reverse("patients:detail", args=[theirs.pk])).status_code == 404
    post_form(client, reverse("switch_clinic"), {"clinic": personas.other_clinic.pk},
              page=reverse("patients:list"))
    assert client.get(reverse("patients:detail", args=[theirs.pk])).status_code == 200


def test_it_refuses_to_switch_to_a_clinic_the_user_is_not_in(personas: Personas) -> None:
    client = personas.client("clinician")
    response = post_form(client, reverse("switch_clinic"), {"clinic": personas.other_clinic.pk},
                         page=reverse("patients:list"))
    assert response.status_code == 302
    assert client.get(reverse("patients:list")).context["clinic"] == personas.clinic
