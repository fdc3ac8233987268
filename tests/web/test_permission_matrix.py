"""Every URL of the application, visited as every role and as an outsider.

The matrix says which permission each URL needs; roles are granted
permissions by the one table in ``mesohair.clinics.roles``. A test fails when
a URL is added without a row here, so no view escapes the matrix.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mesohair.clinics.roles import PERMISSIONS, Role
from tests.factories import PatientFactory
from tests.personas import Personas

# url name -> (permission, kwargs builder, touches a patient?)
PATIENT = "patient"
MATRIX: dict[str, tuple[str | None, str | None]] = {
    "home": (None, None),
    "switch_clinic": ("POST", None),
    "member_list": ("manage_users", None),
    "member_add": ("manage_users", None),
    "member_edit": ("manage_users", "membership"),
    "identifier_types": ("manage_settings", None),
    "triage_thresholds": ("manage_settings", None),
    "access_log": ("view_access_log", None),
    "installation_clinics": ("superuser", None),
    "patients:list": ("view_registry", None),
    "patients:create": ("register_patient", None),
    "patients:detail": ("view_registry", PATIENT),
    "patients:edit": ("register_patient", PATIENT),
    "patients:identifier_add": ("register_patient", PATIENT),
    "patients:intake": ("record_intake", PATIENT),
    "patients:record_add": ("record_intake", "record_kind"),
    "patients:record_edit": ("record_intake", "record"),
    "assessments:new": ("assess", PATIENT),
    "assessments:preview": ("POST", PATIENT),
    "assessments:detail": ("view_clinical", "assessment"),
    "assessments:acknowledge": ("POST", "assessment"),
    "assessments:override": ("assess", "assessment"),
    "assessments:referral": ("view_clinical", "assessment"),
    "assessments:referral_pdf": ("view_clinical", "assessment"),
    "assessments:workup": ("view_clinical", "assessment"),
    "assessments:workup_pdf": ("view_clinical", "assessment"),
    "assessments:leaflet": ("view_clinical", "assessment"),
}
EXTRA_APPS = {"account", "mfa", "admin", "socialaccount", "usersessions", "headless"}


def _our_url_names(patterns: list[Any], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in EXTRA_APPS or "allauth" in str(p.urlconf_name) \
                    or p.namespace == "admin":
                continue
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= _our_url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_it_has_a_matrix_row_for_every_application_url() -> None:
    assert _our_url_names(get_resolver().url_patterns) == set(MATRIX)


def _url(name: str, kind: str | None, personas: Personas, patient: Any) -> str:
    if kind == PATIENT:
        return reverse(name, kwargs={"pk": patient.pk})
    if kind == "record_kind":
        return reverse(name, kwargs={"pk": patient.pk, "kind": "medications"})
    if kind == "record":
        med = patient.medications.create(generic_name="minoxidil")
        return reverse(name, kwargs={"pk": patient.pk, "kind": "medications", "rid": med.pk})
    if kind == "membership":
        return reverse(name, kwargs={"pk": personas.nurse.memberships.get().pk})
    if kind == "assessment":
        from tests.assessments.helpers import assessment_of

        return reverse(name, kwargs={"pk": patient.pk, "aid": assessment_of(patient).pk})
    return reverse(name)


def _expected(permission: str | None, kind: str | None, who: str) -> set[int]:
    if permission is None:
        return {302}  # home redirects to the user's start page
    if permission == "POST":
        return {405}
    if permission == "superuser":
        return {403}
    if who == "outsider":
        # The outsider holds every role in *their* clinic: patient pages are
        # not found (404); clinic-level pages show their own clinic.
        scoped_kinds = {PATIENT, "record_kind", "record", "membership", "assessment"}
        return {404} if kind in scoped_kinds else {200}
    if kind == "membership" and who != Role.CLINIC_ADMIN:
        return {403}
    return {200} if who in PERMISSIONS[permission] else {403}


@pytest.mark.parametrize("who", [*Role.values, "outsider"])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_answers_each_url_for_each_role_as_the_matrix_says(
    personas: Personas, name: str, who: str
) -> None:
    permission, kind = MATRIX[name]
    patient = PatientFactory(clinic=personas.clinic)
    url = _url(name, kind, personas, patient)
    response = personas.client(who).get(url)
    assert response.status_code in _expected(permission, kind, who), (url, who)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_sends_anonymous_visitors_to_sign_in(personas: Personas, name: str) -> None:
    permission, kind = MATRIX[name]
    url = _url(name, kind, personas, PatientFactory(clinic=personas.clinic))
    response = personas.client(None).get(url)
    if permission == "POST":
        assert response.status_code in {302, 405}
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
