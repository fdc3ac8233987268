from django.urls import path

from mesohair.clinics import views

urlpatterns = [
    path("", views.home, name="home"),
    path("clinic/switch/", views.switch_clinic, name="switch_clinic"),
    path("clinic/members/", views.member_list, name="member_list"),
    path("clinic/members/add/", views.member_add, name="member_add"),
    path("clinic/members/<int:pk>/", views.member_edit, name="member_edit"),
    path("clinic/identifier-types/", views.identifier_types, name="identifier_types"),
    path("clinic/access-log/", views.access_log, name="access_log"),
    path("installation/clinics/", views.installation_clinics, name="installation_clinics"),
]
