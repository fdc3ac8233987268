from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "mesohair.patients"
    label = "patients"
    verbose_name = "Patients"

    def ready(self) -> None:
        # Register the registry and intake timeline sources.
        from mesohair.patients import timeline_sources  # noqa: F401
