"""The designations of V.1(1)⑧ (bonus SEL-8), as the WEB form offers them.

Codes are stored in `WebFormAnswers.designations` (a JSON list); labels follow the 2026
申込要領 V.1(1)⑧ word for word (ministry in brackets). 「地方創生2.0」 is a separate yes/no
(`WebFormAnswers.regional_revitalization`), as in the source's last sentence.
"""

from django.utils.translation import gettext_lazy as _

DESIGNATIONS: list[tuple[str, str]] = [
    ("regional_future_leader", _("「地域未来牽引企業」（経済産業省）")),
    ("regional_economy_plan", _("「地域未来投資促進法に基づく地域経済牽引事業計画を作成し、"
                                "都道府県からの承認を受けている事業者」（経済産業省）")),
    ("habataku_300", _("「はばたく中小企業・小規模事業者300社」（中小企業庁）")),
    ("j_startup", _("「J-Startup企業」（経済産業省）")),
    ("global_niche_top", _("「グローバルニッチトップ企業」（経済産業省）等の選定企業")),
    ("japan_brand", _("「JAPANブランド育成支援等事業」（中小企業庁）採択企業")),
    ("smrj_handson_long_term", _("「海外展開ハンズオン支援（長期支援）」（中小企業基盤整備機構）終了企業")),
    ("monozukuri_productivity", _("「ものづくり・商業・サービス生産性向上促進補助金」（中小企業庁）")),
    ("monozukuri_collaboration", _("「ものづくり・商業・サービス高度連携促進補助金」（経済産業省）")),
    ("strategic_core_technology", _("「戦略的基盤技術高度化支援事業（成長型中小企業等研究開発支援事業を含む）」"
                                    "（中小企業庁）支援企業")),
    ("declaration_10b", _("「100億宣言」採択企業（中小企業庁、中小企業基盤整備機構）")),
    ("new_export_10000", _("「新規輸出1万者支援プログラム登録企業」（ジェトロ）")),
    ("jetro_members", _("「ジェトロ・メンバーズ会員企業」（ジェトロ）")),
    ("japan_street", _("「Japan Street登録企業」（ジェトロ）")),
    ("overseas_business_juku", _("「中小企業海外ビジネス人材育成塾卒業企業」（ジェトロ）")),
]

DESIGNATION_CODES: frozenset[str] = frozenset(code for code, _label in DESIGNATIONS)


def designation_label(code: str) -> str:
    return str(dict(DESIGNATIONS).get(code, code))
