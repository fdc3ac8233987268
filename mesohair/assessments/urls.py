from django.urls import path

from mesohair.assessments import documents, views

app_name = "assessments"

# Mounted under patients/<int:pk>/assessments/.
urlpatterns = [
    path("new/", views.assessment_new, name="new"),
    path("preview/", views.assessment_preview, name="preview"),
    path("<int:aid>/", views.assessment_detail, name="detail"),
    path("<int:aid>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:aid>/override/", views.override, name="override"),
    path("<int:aid>/referral/", documents.referral, name="referral"),
    path("<int:aid>/referral.pdf", documents.referral_pdf, name="referral_pdf"),
    path("<int:aid>/workup/", documents.workup, name="workup"),
    path("<int:aid>/workup.pdf", documents.workup_pdf, name="workup_pdf"),
    path("<int:aid>/why-see-a-doctor/", documents.leaflet, name="leaflet"),
]
