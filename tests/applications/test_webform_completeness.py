"""applications.completeness.missing_items: what still blocks submission (DOCS-COMPLETE)."""

import pytest

from applications.completeness import missing_items
from applications.enums import DocumentKind, ProjectType
from tests.applications.factories_webform import complete_answers, stored_document
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

PLAN = [
    "「経営理念・経営戦略」が未入力です。",
    "「海外展開の動機・目的」が未入力です。",
    "「経営者・事業責任者のコミットメント」が未入力です。",
    "「海外展開の実施体制」が未入力です。",
    "「財務基盤」が未入力です。",
    "「対象国・地域での計画と支援期間内に期待する成果」が未入力です。",
    "「対象製品・サービスの市場ニーズ」が未入力です。",
    "「専門家に希望するサポート内容」が未入力です。",
]
COMMON = [
    "「対象国・地域へすでに継続的な輸出を行っている」にお答えください。",
    "「対象国・地域にすでに現地事業拠点がある」にお答えください。",
    "「本サービスへの申込について経営責任者の承認を得ている」にお答えください。",
]
DECLARATIONS = [
    "「法令違反・不正行為・公序良俗に反する行為がなく、その疑いもない」にお答えください。",
    "「補助金適正化法及び関係省庁の命令に違反していない」にお答えください。",
    "「反社会的勢力又はこれに類似する企業・団体・個人ではない」にお答えください。",
    "「支援期間中・終了後の調査への回答と利用実績の公表に同意する」にお答えください。",
]
DOCUMENTS = [
    "決算報告書（直近3カ年度分）がそろっていません（提出済み: 0年度分）。"
    "3カ年度分を提出できない場合は、その理由を連絡事項にご記入ください。",
    "対象製品・サービスのURL、又は写真・カタログのPDFが必要です。",
]


def test_fresh_export_application():
    application = ApplicationFactory(project_type=ProjectType.EXPORT)
    assert missing_items(application) == [
        *PLAN,
        "「同時期に同内容で他の人的支援サービスを受ける予定がある」にお答えください。",
        "「海外展開支援のコンサルティング等を業としている」にお答えください。",
        "「申込時点で輸出する製品・サービスが存在する」にお答えください。",
        "「商社・卸として国内で調達した商材を輸出する」にお答えください。",
        "「対象国・地域への輸出や現地代理店契約等を目指す」にお答えください。",
        "「日本及び対象国・地域の法令に違反する製品・サービスではない」にお答えください。",
        "「B to B（取引先が企業）の案件である」にお答えください。",
        *COMMON, *DECLARATIONS, *DOCUMENTS,
    ]


def test_fresh_overseas_base_application():
    application = ApplicationFactory(project_type=ProjectType.OVERSEAS_BASE)
    assert missing_items(application) == [
        *PLAN,
        "「同時期に同内容で他の人的支援サービスを受ける予定がある」にお答えください。",
        "「海外展開支援のコンサルティング等を業としている」にお答えください。",
        "「現地法人・支店・店舗・駐在員事務所等の拠点設立や合弁・出資を目指す」にお答えください。",
        "「その拠点の生産・操業・活動がすでに始まっている」にお答えください。",
        "「対象国・地域の現地法令に従って拠点を設立する」にお答えください。",
        *COMMON, *DECLARATIONS, *DOCUMENTS,
    ]


def complete(application):
    complete_answers(application)
    for year in (2025, 2024, 2023):
        stored_document(application, fiscal_year=year)
    application.product_url = "https://example.jp/"
    application.save()


@pytest.mark.parametrize("project_type", [ProjectType.EXPORT, ProjectType.OVERSEAS_BASE])
def test_complete_application_has_nothing_missing(project_type):
    application = ApplicationFactory(project_type=project_type)
    complete(application)
    assert missing_items(application) == []


def test_follow_up_questions_are_needed_only_after_yes():
    application = ApplicationFactory()
    complete(application)
    complete_answers(application, consulting_business=True,
                     procures_domestically_for_export=True, supplier_permission=None)
    assert missing_items(application) == [
        "「本件はそのコンサルティング等の海外拠点設立・ライセンス輸出等を目的とする」にお答えください。",
        "「調達元から対象国・地域への輸出の許諾を得ている」にお答えください。",
    ]


def test_a_no_answer_is_an_answer():
    application = ApplicationFactory()
    complete(application)
    complete_answers(application, declares_not_antisocial=False)
    assert missing_items(application) == []  # ineligible, but not incomplete


def test_fewer_than_three_statements_need_a_reason_in_contact_notes():
    application = ApplicationFactory()
    complete(application)
    application.documents.filter(fiscal_year=2023).delete()
    assert missing_items(application) == [
        "決算報告書（直近3カ年度分）がそろっていません（提出済み: 2年度分）。"
        "3カ年度分を提出できない場合は、その理由を連絡事項にご記入ください。"]
    application.contact_notes = "2023年設立のため、2期分のみ提出します。"
    application.save()
    assert missing_items(application) == []


def test_catalogue_instead_of_url():
    application = ApplicationFactory()
    complete(application)
    application.product_url = ""
    application.save()
    assert missing_items(application) == [
        "対象製品・サービスのURL、又は写真・カタログのPDFが必要です。"]
    stored_document(application, kind=DocumentKind.PRODUCT_CATALOGUE)
    assert missing_items(application) == []


def test_whitespace_is_not_an_answer():
    application = ApplicationFactory()
    complete(application)
    complete_answers(application, desired_support="   ")
    assert missing_items(application) == ["「専門家に希望するサポート内容」が未入力です。"]


def test_page_lists_the_missing_items(client):
    application = ApplicationFactory()
    client.force_login(application.applicant)
    from django.urls import reverse

    html = client.get(reverse("applications:webform", args=[application.public_id])).content
    html = html.decode()
    assert "あと24件の項目が必要です。" in html
    assert f"<li>{PLAN[0]}</li>" in html
    complete(application)
    html = client.get(reverse("applications:webform", args=[application.public_id])).content
    assert "必要な項目はすべてそろっています。" in html.decode()
