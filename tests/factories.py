from datetime import date

import factory

from applications.enums import ApplicationStatus, Industry, LegalForm, ProjectType
from applications.models import Application, Call, Company
from handson.enums import Role
from handson.models import User
from handson.roles import role_group


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.jp")
    display_name = factory.Sequence(lambda n: f"利用者{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery 1")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(role_group(extracted))
        if create:
            self.save()


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        django_get_or_create = ("fiscal_year",)

    fiscal_year = 2026
    title = "2026年度 専門家による海外展開支援"
    opens_on = date(2026, 4, 1)
    closes_on = date(2027, 1, 31)
    planned_count = 300
    decisions_not_before = date(2026, 4, 6)
    support_end_limit = date(2027, 2, 28)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"株式会社テスト製作所{n}")
    name_kana = factory.Sequence(lambda n: f"カブシキガイシャテストセイサクショ{n}")
    legal_form = LegalForm.COMPANY
    postal_code = "1076006"
    prefecture = "13"
    address = "東京都港区赤坂1-12-32"
    representative = "山田 太郎"
    industry = Industry.MANUFACTURING_OTHER
    capital_yen = 10_000_000
    regular_employees = 25


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    company = factory.SubFactory(CompanyFactory)
    applicant = factory.SubFactory(UserFactory, role=Role.APPLICANT)
    status = ApplicationStatus.AWAITING_DOCUMENTS
    contact_name = "佐藤 花子"
    contact_email = factory.LazyAttribute(lambda a: a.applicant.email)
    contact_phone = "03-3582-8333"
    project_type = ProjectType.EXPORT
    target_countries = ["US"]
    product_name = "精密加工部品"


def verified_login(client, user) -> None:
    """Log a staff/committee/expert user in with a confirmed second factor (TOTP)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
        TOTPDevice.objects.create(user=user, name="test", confirmed=True))
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def current_totp(user) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
