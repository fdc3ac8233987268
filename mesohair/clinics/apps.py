from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "mesohair.clinics"
    label = "clinics"
    verbose_name = "Clinics"
