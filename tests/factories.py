"""factory-boy factories for patient records."""

from __future__ import annotations

import datetime as dt

import factory

from mesohair.patients import models as m


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Patient

    family_name = factory.Sequence(lambda n: f"Family{n}")
    given_names = factory.Sequence(lambda n: f"Given{n}")
    date_of_birth = dt.date(1985, 5, 17)
    sex_at_birth = "female"
    preferred_language = "en"


class IntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Intake

    patient = factory.SubFactory(PatientFactory)
    onset_age = 30
    course = "gradual"
