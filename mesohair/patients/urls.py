from django.urls import path

from mesohair.patients import views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_create, name="create"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
    path("<int:pk>/identifiers/add/", views.identifier_add, name="identifier_add"),
    path("<int:pk>/intake/", views.intake_edit, name="intake"),
    path("<int:pk>/<slug:kind>/add/", views.record_edit, name="record_add"),
    path("<int:pk>/<slug:kind>/<int:rid>/", views.record_edit, name="record_edit"),
]
