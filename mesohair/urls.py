"""URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from mesohair.assessments.threshold_views import triage_thresholds

urlpatterns = [
    path("", include("mesohair.clinics.urls")),
    path("clinic/triage-thresholds/", triage_thresholds, name="triage_thresholds"),
    path("patients/<int:pk>/assessments/", include("mesohair.assessments.urls")),
    path("patients/", include("mesohair.patients.urls")),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
