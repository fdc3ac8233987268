"""Clinic switching, clinic administration and installation administration."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mesohair.clinics import forms as f
from mesohair.clinics.decorators import clinic_permission_required, installation_admin_required
from mesohair.clinics.middleware import SESSION_KEY
from mesohair.clinics.models import Clinic, IdentifierType, Membership
from mesohair.clinics.roles import Role
from mesohair.clinics.scoping import scoped
from mesohair.patients.models import AccessLog


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Start page: the registry for clinic staff, clinics for the installation admin."""
    if getattr(request, "clinic", None) is not None:
        return redirect("patients:list")
    if request.user.is_superuser:
        return redirect("installation_clinics")
    return render(request, "clinics/no_clinic.html", status=403)


@login_required
@require_POST
def switch_clinic(request: HttpRequest) -> HttpResponse:
    """Make another of the user's clinics the active one."""
    form = f.SwitchClinicForm(request.POST)
    ids = {m.clinic_id for m in request.memberships}
    if form.is_valid() and form.cleaned_data["clinic"] in ids:
        request.session[SESSION_KEY] = form.cleaned_data["clinic"]
        messages.success(request, "Switched clinic.")
    else:
        messages.error(request, "You are not a member of that clinic.")
    return redirect("home")


@clinic_permission_required("manage_users")
def member_list(request: HttpRequest) -> HttpResponse:
    """Staff of the active clinic with their roles."""
    members = Membership.objects.filter(clinic=request.clinic).select_related("user")
    return render(request, "clinics/members.html", {"members": members})


@clinic_permission_required("manage_users")
def member_add(request: HttpRequest) -> HttpResponse:
    """Add a staff member (new account, or an existing one from the chain)."""
    form = f.NewStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = form.save(request.clinic)
        messages.success(request, f"{membership.user} can now sign in to {request.clinic}.")
        return redirect("member_list")
    return render(request, "clinics/form.html", {"form": form, "title": "Add a staff member"})


@clinic_permission_required("manage_users")
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a member's roles; an admin cannot drop their own admin role or suspend themselves."""
    membership = get_object_or_404(Membership, pk=pk, clinic=request.clinic)
    form = f.MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        if membership.user == request.user:
            if not form.cleaned_data["is_active"]:
                form.add_error("is_active", "You cannot suspend yourself.")
            if Role.CLINIC_ADMIN not in form.cleaned_data["roles"]:
                form.add_error("roles", "You cannot remove your own clinic admin role.")
        if not form.errors:
            form.save()
            messages.success(request, f"Roles of {membership.user} saved.")
            return redirect("member_list")
    context = {"form": form, "title": f"Roles of {membership.user}"}
    return render(request, "clinics/form.html", context)


@clinic_permission_required("manage_settings")
def identifier_types(request: HttpRequest) -> HttpResponse:
    """The identifier types this clinic records, and a form to add one."""
    instance = IdentifierType(clinic=request.clinic)
    form = f.IdentifierTypeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Identifier type added.")
        return redirect("identifier_types")
    types = IdentifierType.objects.filter(clinic=request.clinic)
    return render(request, "clinics/identifier_types.html", {"form": form, "types": types})


@clinic_permission_required("view_access_log")
def access_log(request: HttpRequest) -> HttpResponse:
    """Who viewed which patient record, newest first (optionally for one patient)."""
    entries = scoped(request, AccessLog).select_related("user", "patient")
    patient_id = request.GET.get("patient")
    if patient_id and patient_id.isdigit():
        entries = entries.filter(patient_id=int(patient_id))
    return render(request, "clinics/access_log.html", {"entries": entries[:500]})


@installation_admin_required
def installation_clinics(request: HttpRequest) -> HttpResponse:
    """Every clinic of this installation, and a form for a new one with its first admin."""
    clinic_form = f.ClinicForm(request.POST or None, prefix="clinic")
    admin_form = f.NewStaffForm(request.POST or None, prefix="admin")
    admin_form.fields["roles"].initial = [Role.CLINIC_ADMIN]
    if request.method == "POST" and clinic_form.is_valid() and admin_form.is_valid():
        with transaction.atomic():
            clinic = clinic_form.save()
            admin_form.cleaned_data["roles"] = sorted(
                set(admin_form.cleaned_data["roles"]) | {Role.CLINIC_ADMIN}
            )
            membership = admin_form.save(clinic)
        messages.success(request, f"{clinic} created; {membership.user} is its admin.")
        return redirect("installation_clinics")
    context = {
        "clinics": Clinic.objects.all(),
        "clinic_form": clinic_form,
        "admin_form": admin_form,
    }
    return render(request, "clinics/installation.html", context)


