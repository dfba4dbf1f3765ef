"""Factories of the DURING-support tests: a case in support with its current expert, set up
directly (the lifecycle and the matching are not the subject here)."""

from dataclasses import dataclass
from datetime import date

import factory

from applications.enums import ApplicationStatus as S
from applications.models import Application
from experts.models import Assignment, Expert
from handson.enums import Role
from handson.models import User
from support.models import SupportCase
from tests.factories import ApplicationFactory, UserFactory

TODAY = date(2026, 7, 1)
PERIOD_START = date(2026, 5, 10)
PERIOD_END = date(2027, 2, 28)
SECRET = "代表者が専門家の助言に反して値引きを約束した件（社内限り）"


class DuringExpertFactory(factory.django.DjangoModelFactory):
    """An expert with a login (group expert, linked `user.expert_profile`)."""

    class Meta:
        model = Expert

    user = factory.SubFactory(UserFactory, role=Role.EXPERT)
    name = factory.Sequence(lambda n: f"同行 専門家{n}")
    name_kana = factory.Sequence(lambda n: f"ドウコウセンモンカ{n}")
    email = factory.Sequence(lambda n: f"during-expert{n}@example.jp")
    countries = factory.LazyFunction(lambda: ["US"])
    capacity = 5


def staff_user(**kwargs) -> User:
    return UserFactory(role=Role.STAFF, **kwargs)


@dataclass
class Setup:
    case: SupportCase
    application: Application
    expert: Expert

    @property
    def owner(self) -> User:
        return self.application.applicant


def in_support_case(*, status: str = S.IN_SUPPORT, period_start: date | None = PERIOD_START,
                    period_end: date | None = PERIOD_END, expert: Expert | None = None,
                    **application_kwargs) -> Setup:
    application = ApplicationFactory(status=status, **application_kwargs)
    case = SupportCase.objects.create(
        application=application, consent_received_on=date(2026, 5, 1),
        kickoff_on=period_start, agreed_support="米国の代理店候補の開拓と商談準備",
        period_start=period_start, period_end=period_end,
        internal_note="社内限りのメモ")
    expert = expert or DuringExpertFactory()
    Assignment.objects.create(application=application, expert=expert)
    return Setup(case=case, application=application, expert=expert)
