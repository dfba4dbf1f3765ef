from django.db import models
from django.utils.translation import gettext_lazy as _


def _text(label: str, help_text: str = "") -> models.TextField:
    return models.TextField(label, blank=True, help_text=help_text)


def _answer(label: str) -> models.BooleanField:
    """A yes/no question; None until the applicant answers it."""
    return models.BooleanField(label, null=True, blank=True)


class WebFormAnswers(models.Model):
    """The WEB form (IV.2(1)②): saved as the applicant goes, no time limit.

    Blank/None means "not answered yet"; completeness is checked on submission.
    """

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE,
                                       related_name="answers", primary_key=True)
    # V.1(1) ①–⑥ (SEL-1 … SEL-6)
    management_philosophy = _text(_("経営理念・経営戦略"))
    expansion_motive = _text(_("海外展開の動機・目的"))
    executive_commitment = _text(_("経営者・事業責任者のコミットメント"))
    implementation_structure = _text(_("海外展開の実施体制"))
    financial_base = _text(_("財務基盤"))
    target_plan = _text(_("対象国・地域での計画と支援期間内に期待する成果"))
    market_needs = _text(_("対象製品・サービスの市場ニーズ"))
    desired_support = _text(_("専門家に希望するサポート内容"))
    # ⑦ ⑧ ⑨ (bonuses SEL-7 … SEL-9)
    trade_fair_plan = _text(_("支援期間内の展示会・商談会の参加計画"))
    designations = models.JSONField(_("選定・認定等（V.1(1)⑧）"), default=list, blank=True)
    regional_revitalization = models.BooleanField(_("「地方創生2.0」に資する案件"), default=False)
    subsidies_received = _text(_("対象製品・サービスが対象となった補助金等（V.1(1)⑨）"))
    # ⑩ and PROJ-NO-PARALLEL
    other_support_services = _text(_("利用中・申請中の他の人的支援サービス（V.1(1)⑩）"))
    parallel_human_support = _answer(_("同時期に同内容で他の人的支援サービスを受ける予定がある"))
    parallel_support_is_approved_consortium_specialist = models.BooleanField(
        _("それはジェトロの承認を受けたコンソーシアム専門家の利用である"), default=False)
    # III.1(1) consulting exclusion
    consulting_business = _answer(_("海外展開支援のコンサルティング等を業としている"))
    project_is_consulting_base_or_license = _answer(
        _("本件はそのコンサルティング等の海外拠点設立・ライセンス輸出等を目的とする"))
    # III.3 (1) export
    product_exists = _answer(_("申込時点で輸出する製品・サービスが存在する"))
    procures_domestically_for_export = _answer(_("商社・卸として国内で調達した商材を輸出する"))
    supplier_permission = _answer(_("調達元から対象国・地域への輸出の許諾を得ている"))
    aims_export_or_agent_contract = _answer(_("対象国・地域への輸出や現地代理店契約等を目指す"))
    product_legal = _answer(_("日本及び対象国・地域の法令に違反する製品・サービスではない"))
    b2b = _answer(_("B to B（取引先が企業）の案件である"))
    # III.3 (2) overseas base
    aims_local_entity = _answer(_("現地法人・支店・店舗・駐在員事務所等の拠点設立や合弁・出資を目指す"))
    base_operation_started = _answer(_("その拠点の生産・操業・活動がすでに始まっている"))
    complies_local_law = _answer(_("対象国・地域の現地法令に従って拠点を設立する"))
    # III.3 common
    management_approved = _answer(_("本サービスへの申込について経営責任者の承認を得ている"))
    continuous_export_to_target = _answer(_("対象国・地域へすでに継続的な輸出を行っている"))
    local_base_in_target = _answer(_("対象国・地域にすでに現地事業拠点がある"))
    # III.1(2) declarations and III.1(4) REPORT-CONSENT
    declares_no_legal_violation = _answer(_("法令違反・不正行為・公序良俗に反する行為がなく、その疑いもない"))
    declares_no_subsidy_violation = _answer(_("補助金適正化法及び関係省庁の命令に違反していない"))
    declares_not_antisocial = _answer(_("反社会的勢力又はこれに類似する企業・団体・個人ではない"))
    consents_to_reporting = _answer(_("支援期間中・終了後の調査への回答と利用実績の公表に同意する"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("WEBフォームの回答")
        verbose_name_plural = _("WEBフォームの回答")

    def __str__(self) -> str:
        return f"answers of {self.application_id}"
