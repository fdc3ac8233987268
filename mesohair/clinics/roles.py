"""Staff roles within a clinic and what each may do (design.md §4)."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    NURSE = "nurse", "Nurse"
    FRONT_DESK = "front_desk", "Front desk"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"


ALL_ROLES = frozenset(Role)
CLINICAL_ROLES = frozenset({Role.CLINICIAN, Role.NURSE})

# Permission name -> roles granted it. The one table the whole app consults;
# rules.py turns it into django-rules permissions checked against a clinic.
PERMISSIONS: dict[str, frozenset[Role]] = {
    # The registry (names, contacts, identifiers) is needed by every role.
    "view_registry": ALL_ROLES,
    "register_patient": ALL_ROLES,
    # Clinical notes are for the people who treat: front desk and admins
    # work with the registry only (design.md §4).
    "view_clinical": CLINICAL_ROLES,
    "record_intake": CLINICAL_ROLES,
    "assess": frozenset({Role.CLINICIAN}),
    "manage_users": frozenset({Role.CLINIC_ADMIN}),
    "manage_settings": frozenset({Role.CLINIC_ADMIN}),
    "view_access_log": frozenset({Role.CLINIC_ADMIN}),
}
