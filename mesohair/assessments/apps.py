from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "mesohair.assessments"
    label = "assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        # Register the assessment timeline source.
        from mesohair.assessments import timeline_sources  # noqa: F401
