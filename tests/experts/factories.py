"""Factories of the experts tests: experts, conflicts, assignments, applications in matching."""

import factory

from applications.enums import ApplicationStatus as S
from experts.models import Assignment, Expert, ExpertConflict
from handson.enums import Role
from tests.factories import ApplicationFactory, CompanyFactory, UserFactory
from tests.screening.factories_screening import complete_application


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    name = factory.Sequence(lambda n: f"専門家 {n:03d}")
    name_kana = factory.Sequence(lambda n: f"センモンカ　{n:03d}")
    email = factory.Sequence(lambda n: f"expert-{n}@example.jp")
    regions = factory.LazyFunction(list)
    countries = factory.LazyFunction(lambda: ["US"])
    industries = factory.LazyFunction(list)
    fields = factory.LazyFunction(list)
    languages = factory.LazyFunction(list)
    capacity = 5


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertConflict

    expert = factory.SubFactory(ExpertFactory)
    company = factory.SubFactory(CompanyFactory)
    note = "元顧問先"


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A current assignment (ended_at None) of an application already past matching."""

    class Meta:
        model = Assignment

    application = factory.SubFactory(ApplicationFactory, status=S.COMMITTEE_REVIEW)
    expert = factory.SubFactory(ExpertFactory)


def expert_user(**kwargs):
    return UserFactory(role=Role.EXPERT, **kwargs)


def matching_application(*, desired_support="米国での販路開拓と代理店探しを支援してほしい。",
                         status=S.MATCHING, **kwargs):
    """A complete application (in `matching`) whose WEB form asks for `desired_support`."""
    return complete_application(status=status, answers={"desired_support": desired_support},
                                **kwargs)
