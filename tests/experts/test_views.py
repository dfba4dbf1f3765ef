"""The experts pages: permission matrix, registry forms, profile, matching and replacement."""

from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from experts.models import Assignment, Expert, ExpertConflict
from handson.enums import Role
from handson.models import AuditLog, OutboundMail
from screening.models import Interview, Notice, NoticeKind
from tests.experts.factories import (
    AssignmentFactory,
    ConflictFactory,
    ExpertFactory,
    expert_user,
    matching_application,
)
from tests.factories import ApplicationFactory, UserFactory, verified_login

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 11, 20, 9, 0))


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world():
    own_user, other_user = expert_user(), expert_user()
    expert = ExpertFactory(name="対象 専門家", user=own_user)
    other = ExpertFactory(name="別の 専門家", user=other_user)
    application = matching_application()
    supported = ApplicationFactory(status=S.IN_SUPPORT)
    Assignment.objects.create(application=supported, expert=other)
    conflict = ConflictFactory(expert=expert)
    return {"expert": expert, "other": other, "application": application,
            "supported": supported, "conflict": conflict,
            "users": {"expert_own": own_user, "expert_other": other_user}}


def user_for(who, world):
    if who in world["users"]:
        return world["users"][who]
    return {
        "applicant": lambda: world["application"].applicant,
        "staff": lambda: UserFactory(role=Role.STAFF),
        "committee": lambda: UserFactory(role=Role.COMMITTEE),
        "expert_unlinked": lambda: expert_user(),
        "admin": lambda: UserFactory(is_superuser=True, is_staff=True),
    }[who]()


ROLES = ["anonymous", "applicant", "staff", "committee", "expert_own", "expert_other",
         "expert_unlinked", "admin"]
# name, method, url args, status for staff and admin
STAFF_URLS = [
    ("experts:list", "get", lambda w: [], 200),
    ("experts:create", "get", lambda w: [], 200),
    ("experts:create", "post", lambda w: [], 400),  # an empty form
    ("experts:detail", "get", lambda w: [w["expert"].pk], 200),
    ("experts:edit", "get", lambda w: [w["expert"].pk], 200),
    ("experts:edit", "post", lambda w: [w["expert"].pk], 400),
    ("experts:deactivate", "post", lambda w: [w["expert"].pk], 302),
    ("experts:conflict_add", "post", lambda w: [w["expert"].pk], 400),
    ("experts:conflict_remove", "post", lambda w: [w["expert"].pk, w["conflict"].pk], 302),
    ("experts:assignment_replace", "get", lambda w: [w["supported"].public_id], 200),
    ("experts:assignment_replace", "post", lambda w: [w["supported"].public_id], 400),
    ("screening:matching", "get", lambda w: [w["application"].public_id], 200),
    ("screening:matching", "post", lambda w: [w["application"].public_id], 400),
    ("screening:matching_no_expert", "post", lambda w: [w["application"].public_id], 400),
]


def state(world):
    expert = Expert.objects.get(pk=world["expert"].pk)
    return (expert.is_active, expert.name, Expert.objects.count(),
            ExpertConflict.objects.count(),
            list(Assignment.objects.values_list("pk", "expert_id", "ended_at").order_by("pk")),
            world["application"].__class__.objects.get(pk=world["application"].pk).status)


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(("name", "method", "args", "staff_status"), STAFF_URLS)
def test_staff_pages_matrix(client, world, who, name, method, args, staff_status):
    if who != "anonymous":
        verified_login(client, user_for(who, world))
    before = state(world)
    response = getattr(client, method)(reverse(name, args=args(world)))
    expected = {"anonymous": 302, "staff": staff_status, "admin": staff_status}.get(who, 404)
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("handson:login"))
    changed = who in ("staff", "admin") and name in ("experts:deactivate",
                                                    "experts:conflict_remove")
    assert (state(world) != before) is changed


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", 302), ("applicant", 404), ("staff", 404), ("committee", 404),
    ("expert_own", 200), ("expert_other", 200), ("expert_unlinked", 404), ("admin", 404),
])
def test_profile_matrix(client, world, who, expected):
    user = None if who == "anonymous" else user_for(who, world)
    if user is not None:
        verified_login(client, user)
    response = client.get(reverse("expert_profile:edit"))
    assert response.status_code == expected
    if expected == 200:  # always one's own profile: there is no way to name another
        own = Expert.objects.get(user=user)
        assert f'{own.name} さんの専門家としての登録内容です' in response.content.decode()
    post = client.post(reverse("expert_profile:edit"), {"email": "x@example.jp"})
    assert post.status_code == (302 if expected == 200 else expected)


def test_expert_without_second_factor_is_sent_to_verify(client, world):
    client.force_login(world["users"]["expert_own"])
    response = client.get(reverse("expert_profile:edit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("handson:otp_setup"))


def test_inactive_expert_account_gets_404(client, world):
    user = world["users"]["expert_own"]
    verified_login(client, user)
    user.groups.clear()  # no longer in the expert group
    assert client.get(reverse("expert_profile:edit")).status_code == 404


# -- the expert's own profile ------------------------------------------------------------------

PROFILE_POST = {
    "email": "ｔａｎａｋａ＠Example.JP", "phone": "０３（３５８２）８３３３",
    "regions": ["asean", "north_america"], "countries": ["VN", "US"],
    "fields": ["ecommerce"], "languages": ["vi", "en"], "profile": "ベトナムの越境EC。\r\n",
}


def test_profile_saves_own_fields_and_ignores_extra_ones(client, world):
    expert = world["expert"]
    verified_login(client, world["users"]["expert_own"])
    response = client.post(reverse("expert_profile:edit"), {
        **PROFILE_POST, "capacity": "30", "is_active": "", "name": "乗っ取り",
        "industries": ["retail"], "user": str(world["users"]["expert_other"].pk),
        "expert": str(world["other"].pk)})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert (expert.email, expert.phone, expert.regions, expert.countries, expert.fields,
            expert.languages, expert.profile) == (
        "tanaka@example.jp", "03-3582-8333",
        ["north_america", "asean"], ["VN", "US"], ["ecommerce"], ["en", "vi"],
        "ベトナムの越境EC。")
    assert (expert.capacity, expert.is_active, expert.name, expert.industries,
            expert.user_id) == (5, True, "対象 専門家", [], world["users"]["expert_own"].pk)
    other = Expert.objects.get(pk=world["other"].pk)
    assert other.countries == ["US"]
    [audit] = AuditLog.objects.filter(action="expert.profile_updated")
    assert set(audit.after) == {"email", "phone", "regions", "countries", "fields",
                                "languages", "profile"}


def test_profile_errors_are_tied_to_their_fields(client, world):
    verified_login(client, world["users"]["expert_own"])
    response = client.post(reverse("expert_profile:edit"),
                           {**PROFILE_POST, "email": "not-an-email", "countries": ["JP"]})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'name="email"' in html and 'aria-invalid="true"' in html
    assert "有効なメールアドレスを入力してください。" in html
    form = response.context["form"]
    assert set(form.errors) == {"email", "countries"}


# -- the registry -------------------------------------------------------------------------------

@pytest.fixture
def staff(client):
    user = UserFactory(role=Role.STAFF)
    verified_login(client, user)
    return user


CREATE_POST = {
    "name": "　山田　太郎 ", "name_kana": "やまだ たろう", "email": "yamada@example.jp",
    "phone": "", "regions": ["europe"], "countries": ["FR", "DE"],
    "industries": ["wholesale"], "fields": ["food_regulation", "export_channels"],
    "languages": ["fr"], "capacity": "3", "profile": "", "is_active": "on", "user": "",
}


def test_staff_create_normalises_and_orders(client, staff):
    response = client.post(reverse("experts:create"), CREATE_POST)
    expert = Expert.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("experts:detail", args=[expert.pk])
    assert (expert.name, expert.name_kana, expert.countries, expert.fields, expert.capacity,
            expert.is_active) == ("山田 太郎", "ヤマダ　タロウ", ["DE", "FR"],
                                  ["export_channels", "food_regulation"], 3, True)
    assert AuditLog.objects.filter(action="expert.created", actor=staff).count() == 1


@pytest.mark.parametrize(("field", "value"), [
    ("name_kana", "Yamada"), ("capacity", "0"), ("capacity", "31"), ("countries", ["JP"]),
    ("regions", ["mars"]), ("phone", "12345"), ("email", "yamada"),
])
def test_staff_create_refuses_bad_input(client, staff, field, value):
    response = client.post(reverse("experts:create"), {**CREATE_POST, field: value})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert not Expert.objects.exists()


def test_staff_link_a_login_account_only_once(client, staff):
    free, taken = expert_user(username="free-expert"), expert_user(username="taken-expert")
    ExpertFactory(user=taken)
    response = client.post(reverse("experts:create"), {**CREATE_POST, "user": str(taken.pk)})
    assert response.status_code == 400 and list(response.context["form"].errors) == ["user"]
    applicant = UserFactory(role=Role.APPLICANT)
    response = client.post(reverse("experts:create"), {**CREATE_POST, "user": str(applicant.pk)})
    assert response.status_code == 400
    response = client.post(reverse("experts:create"), {**CREATE_POST, "user": str(free.pk)})
    assert response.status_code == 302
    assert Expert.objects.get(user=free).name == "山田 太郎"


def test_staff_edit_and_deactivate(client, staff):
    expert = ExpertFactory(name="編集 前", capacity=5)
    response = client.post(reverse("experts:edit", args=[expert.pk]),
                           {**CREATE_POST, "name": "編集 後", "capacity": "7"})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert (expert.name, expert.capacity, expert.countries) == ("編集 後", 7, ["DE", "FR"])
    client.post(reverse("experts:deactivate", args=[expert.pk]))
    expert.refresh_from_db()
    assert expert.is_active is False
    page = client.get(reverse("experts:detail", args=[expert.pk])).content.decode()
    assert "停止中（マッチングの候補に表示されません）" in page


def test_list_filters_and_search(client, staff):
    a = ExpertFactory(name="青木 北米", name_kana="アオキ", regions=["north_america"],
                      countries=["US", "CA"], fields=["export_channels"])
    b = ExpertFactory(name="馬場 東南", name_kana="ババ", regions=["asean"], countries=["VN"],
                      fields=["ecommerce", "marketing"], email="baba@example.jp")
    c = ExpertFactory(name="千葉 休止", name_kana="チバ", regions=["asean"], countries=["US"],
                      fields=["ecommerce"], is_active=False)

    def names(**params):
        response = client.get(reverse("experts:list"), params)
        assert response.status_code == 200
        return [e.name for e in response.context["page"].object_list]

    assert names() == [a.name, c.name, b.name]  # by フリガナ: アオキ, チバ, ババ
    assert names(region="asean") == [c.name, b.name]
    assert names(country="US") == [a.name, c.name]
    assert names(country="CA") == [a.name]
    assert names(field="ecommerce") == [c.name, b.name]
    assert names(field="marketing") == [b.name]
    assert names(active="1") == [a.name, b.name]
    assert names(active="0") == [c.name]
    assert names(q="ばば") == [b.name]
    assert names(q="BABA@") == [b.name]
    assert names(q="北米") == [a.name]
    assert names(region="asean", country="US", active="0") == [c.name]
    assert client.get(reverse("experts:list"), {"region": "mars"}).status_code == 400


def test_list_shows_load_against_capacity(client, staff):
    expert = ExpertFactory(capacity=3)
    AssignmentFactory.create_batch(2, expert=expert)
    Assignment.objects.create(application=ApplicationFactory(status=S.COMPLETED), expert=expert,
                              ended_at=NOW)
    html = client.get(reverse("experts:list")).content.decode()
    assert "2 / 3" in html


def test_list_query_count_is_constant(client, staff):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("experts:list")).status_code == 200
        return len(queries)

    AssignmentFactory(expert=ExpertFactory())
    one = count_queries()
    for expert in ExpertFactory.create_batch(12):
        AssignmentFactory.create_batch(2, expert=expert)
    assert count_queries() == one


def test_conflict_add_by_corporate_number_name_or_application(client, staff):
    expert = ExpertFactory()
    one = ApplicationFactory(company__name="株式会社あおば精機", company__name_kana="アオバセイキ",
                             company__corporate_number="7010401022916")
    ApplicationFactory(company__name="株式会社あおば商事", company__name_kana="アオバショウジ")
    url = reverse("experts:conflict_add", args=[expert.pk])
    response = client.post(url, {"company": "あおば", "note": ""})
    assert response.status_code == 400
    assert "該当する企業が複数あります" in response.context["conflict_form"].errors["company"][0]
    response = client.post(url, {"company": "存在しない会社"})
    assert response.context["conflict_form"].errors["company"] == ["該当する企業がありません。"]
    assert client.post(url, {"company": "７０１０４０１０２２９１６", "note": "顧問"}).status_code == 302
    assert list(expert.conflicts.values_list("company_id", "note")) == [(one.company_id, "顧問")]
    response = client.post(url, {"company": str(one.pk)})
    assert response.status_code == 400
    assert response.context["conflict_form"].errors["company"] == [
        "株式会社あおば精機との利益相反はすでに登録されています。"]


def test_conflict_remove_needs_the_right_expert(client, staff):
    conflict = ConflictFactory()
    other = ExpertFactory()
    response = client.post(reverse("experts:conflict_remove", args=[other.pk, conflict.pk]))
    assert response.status_code == 404
    assert ExpertConflict.objects.count() == 1


# -- ③ the matching page ----------------------------------------------------------------------

@pytest.fixture
def matching_world():
    application = matching_application(target_countries=["US", "VN"])
    best = ExpertFactory(name="一位 専門家", countries=["US"], industries=["manufacturing_other"],
                         fields=["export_channels"])
    second = ExpertFactory(name="二位 専門家", countries=["VN"])
    conflicted = ExpertFactory(name="相反 専門家", countries=["US"])
    ConflictFactory(expert=conflicted, company=application.company)
    full = ExpertFactory(name="満員 専門家", countries=["US"], capacity=1)
    AssignmentFactory(expert=full)
    return application, best, second, conflicted, full


def test_matching_page_ranks_explains_and_excludes(client, staff, matching_world):
    application, best, second, conflicted, full = matching_world
    Interview.objects.create(application=application, scheduled_at=NOW, mode="online",
                             company_attendees="代表者", expert_candidate=second,
                             created_by=staff, status="held")
    response = client.get(reverse("screening:matching", args=[application.public_id]))
    assert response.status_code == 200
    matching = response.context["matching"]
    assert matching.desired_fields == ["export_channels"]
    assert [(c.name, c.score, c.reasons) for c in matching.ranked] == [
        ("一位 専門家", 75, ["第1希望の対象国（米国）に対応",
                         "業種（製造業・建設業・運輸業・その他）の支援実績",
                         "希望する支援（輸出・販路開拓）に対応", "担当数 0/5 件で余裕あり"]),
        ("二位 専門家", 40, ["第2希望の対象国（ベトナム）に対応", "担当数 0/5 件で余裕あり",
                         "面談審査の専門家候補"]),
    ]
    assert [(c.name, c.excluded) for c in matching.excluded] == [
        ("相反 専門家", "利益相反の申告あり"), ("満員 専門家", "担当数が上限に達しています（1/1件）")]
    html = response.content.decode()
    for text in ("面談審査の専門家候補", "利益相反の申告あり", "担当数が上限に達しています（1/1件）",
                 "米国での販路開拓と代理店探しを支援してほしい。"):
        assert text in html


def test_confirm_uses_the_recomputed_score_not_the_posted_one(client, staff, matching_world):
    application, best, *_ = matching_world
    response = client.post(reverse("screening:matching", args=[application.public_id]),
                           {"expert": str(best.pk), "score": "999", "reasons": "捏造",
                            "status": "adopted"})
    assert response.status_code == 302
    assert response["Location"] == reverse("screening:application_detail",
                                           args=[application.public_id])
    application.refresh_from_db()
    assert application.status == S.COMMITTEE_REVIEW
    assignment = Assignment.objects.get(application=application)
    assert (assignment.expert_id, assignment.match_score, assignment.assigned_by_id) == (
        best.pk, 75, staff.pk)
    assert assignment.match_reasons[0] == "第1希望の対象国（米国）に対応"


@pytest.mark.parametrize("pick", ["conflicted", "full", "missing", "none"])
def test_confirm_refuses_an_excluded_or_unknown_expert(client, staff, matching_world, pick):
    application, best, second, conflicted, full = matching_world
    value = {"conflicted": conflicted.pk, "full": full.pk, "missing": 999999, "none": ""}[pick]
    response = client.post(reverse("screening:matching", args=[application.public_id]),
                           {"expert": value})
    assert response.status_code == 400
    assert "expert" in response.context["choose_form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.MATCHING
    assert not Assignment.objects.filter(application=application).exists()


def test_confirm_outside_matching_is_409(client, staff, matching_world):
    application, best, *_ = matching_world
    interviewed = matching_application(status=S.INTERVIEWED)
    response = client.post(reverse("screening:matching", args=[interviewed.public_id]),
                           {"expert": best.pk})
    assert response.status_code == 409
    assert not Assignment.objects.filter(application=interviewed).exists()
    assert "専門家マッチング中の申込だけに専門家を確定できます。" in response.content.decode()


def test_no_expert_rejects_and_drafts_the_notice_without_the_note(client, staff, matching_world):
    application = matching_world[0]
    url = reverse("screening:matching_no_expert", args=[application.public_id])
    response = client.post(url, {"note": ""})
    assert response.status_code == 400
    assert response.context["no_expert_form"].errors["note"] == ["理由を入力してください。"]
    response = client.post(url, {"note": "医療機器の規制に詳しい専門家が不在"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.REJECTED
    notice = Notice.objects.get(application=application)
    assert notice.kind == NoticeKind.NO_MATCH
    assert "医療機器の規制" not in notice.subject + notice.body
    for mail in OutboundMail.objects.all():
        assert "医療機器の規制" not in mail.subject + mail.body_text + str(mail.context)
    assert client.post(url, {"note": "二度目"}).status_code == 409


def test_matching_page_query_count_is_constant(client, staff):
    application = matching_application()
    url = reverse("screening:matching", args=[application.public_id])

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    ExpertFactory()
    one = count_queries()
    for expert in ExpertFactory.create_batch(10):
        AssignmentFactory(expert=expert)
        ConflictFactory(expert=expert, company=application.company)
    assert count_queries() == one


# -- V.2 the replacement page --------------------------------------------------------------------

def test_replace_page_lists_candidates_and_replaces(client, staff):
    application = matching_application(status=S.IN_SUPPORT)
    current = ExpertFactory(name="現任 専門家", countries=["US"])
    Assignment.objects.create(application=application, expert=current)
    new = ExpertFactory(name="後任 専門家", countries=["US"])
    url = reverse("experts:assignment_replace", args=[application.public_id])
    response = client.get(url)
    assert [c.name for c in response.context["matching"].ranked] == ["後任 専門家"]
    assert [(c.name, c.excluded) for c in response.context["matching"].excluded] == [
        ("現任 専門家", "現在の担当専門家です")]
    response = client.post(url, {"expert": current.pk, "reason": "交替"})
    assert response.status_code == 400
    response = client.post(url, {"expert": new.pk, "reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["交替の理由を入力してください。"]
    response = client.post(url, {"expert": new.pk, "reason": "定期レビューによる交替"})
    assert response.status_code == 302
    rows = list(Assignment.objects.filter(application=application).order_by("pk")
                .values_list("expert_id", "end_reason", "match_score"))
    assert rows == [(current.pk, "定期レビューによる交替", None), (new.pk, "", 50)]
    html = client.get(url).content.decode()
    assert "定期レビューによる交替" in html and "後任 専門家" in html


def test_replace_page_without_current_expert(client, staff):
    application = ApplicationFactory(status=S.IN_SUPPORT)
    response = client.get(reverse("experts:assignment_replace", args=[application.public_id]))
    assert response.status_code == 200
    assert response.context["can_replace"] is False
