"""The WEB form's sections and questions (IV.2(1)②), shared by forms, services and checks.

Every field named here exists on `WebFormAnswers` (answer_fields) or `Application`
(application_fields). A section is saved as a whole; these lists are the whitelist of what a
POST can change (nothing else: not the status, not the company, not another application).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from applications.enums import ProjectType

# V.1(1) ①–⑥ and 5(1) (what the applicant wants from the expert): all required.
PLAN_TEXTS = (
    "management_philosophy", "expansion_motive", "executive_commitment",
    "implementation_structure", "financial_base", "target_plan", "market_needs",
    "desired_support",
)
BONUS_FIELDS = ("trade_fair_plan", "designations", "regional_revitalization",
                "subsidies_received")
OTHER_SUPPORT_FIELDS = ("parallel_human_support",
                        "parallel_support_is_approved_consortium_specialist",
                        "other_support_services")
# III.1(1) ※ (SIZE-EXCL-CONSULT); the second only matters when the first is "yes".
CONSULTING_QUESTIONS = ("consulting_business", "project_is_consulting_base_or_license")
# III.3(1) export; supplier_permission only matters for 商社・卸 (procures in Japan).
EXPORT_QUESTIONS = ("product_exists", "procures_domestically_for_export", "supplier_permission",
                    "aims_export_or_agent_contract", "product_legal", "b2b")
# III.3(2) overseas base.
BASE_QUESTIONS = ("aims_local_entity", "base_operation_started", "complies_local_law")
# III.3 for both project types (PROJ-EXCL-EXPORTING, PROJ-EXCL-LOCALBASE, ⑤/④ approval).
COMMON_PROJECT_QUESTIONS = ("continuous_export_to_target", "local_base_in_target",
                            "management_approved")
# III.1(2) COMP-* and III.1(4) REPORT-CONSENT.
DECLARATIONS = ("declares_no_legal_violation", "declares_no_subsidy_violation",
                "declares_not_antisocial", "consents_to_reporting")

# Follow-up questions: asked (and required) only when the question they follow is "yes".
FOLLOW_UPS = {
    "project_is_consulting_base_or_license": "consulting_business",
    "supplier_permission": "procures_domestically_for_export",
    "parallel_support_is_approved_consortium_specialist": "parallel_human_support",
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    rule_ids: tuple[str, ...]
    answer_fields: tuple[str, ...] = ()
    application_fields: tuple[str, ...] = ()

    def fields_for(self, project_type: str) -> tuple[str, ...]:
        """The fields of this section for an application of `project_type`, in order."""
        if self.key != "requirements":
            return (*self.answer_fields, *self.application_fields)
        return requirement_questions(project_type)


def project_questions(project_type: str) -> tuple[str, ...]:
    return EXPORT_QUESTIONS if project_type == ProjectType.EXPORT else BASE_QUESTIONS


def requirement_questions(project_type: str) -> tuple[str, ...]:
    return (*CONSULTING_QUESTIONS, *project_questions(project_type), *COMMON_PROJECT_QUESTIONS)


SECTIONS: dict[str, Section] = {
    section.key: section
    for section in (
        Section(
            "plan", _("海外展開の計画"),
            _("選考基準①〜⑥に沿って、できるだけ具体的にご記入ください。"),
            ("SEL-1", "SEL-2", "SEL-3", "SEL-4", "SEL-5", "SEL-6", "PROJ-GOAL"),
            answer_fields=PLAN_TEXTS,
        ),
        Section(
            "bonus", _("加点項目（該当する場合のみ）"),
            _("選考基準⑦〜⑨。該当しない場合は空欄のままで構いません。"),
            ("SEL-7", "SEL-8", "SEL-9"),
            answer_fields=BONUS_FIELDS,
        ),
        Section(
            "other_support", _("他の人的支援サービスの利用"),
            _("専門家・コンサルタント等、名称を問わず、本サービスと並行して同時期に同内容の"
              "人的支援サービスを受けないことが要件です（ジェトロの承認を受けて利用する"
              "コンソーシアムの専門分野の専門家を除きます）。"),
            ("PROJ-NO-PARALLEL", "SEL-10"),
            answer_fields=OTHER_SUPPORT_FIELDS,
        ),
        Section(
            "requirements", _("申込要件の確認"),
            _("申込要領「III. 申込要件」についてお答えください。"),
            ("SIZE-EXCL-CONSULT", "PROJ-EXCL-EXPORTING", "PROJ-EXCL-LOCALBASE",
             "EXP-PRODUCT-EXISTS", "EXP-SUPPLIER-PERMISSION", "EXP-AIM", "EXP-LEGAL",
             "EXP-MGMT-APPROVAL", "EXP-B2B", "BASE-AIM", "BASE-NOT-STARTED", "BASE-LOCAL-LAW",
             "BASE-MGMT-APPROVAL"),
            answer_fields=(*CONSULTING_QUESTIONS, *EXPORT_QUESTIONS, *BASE_QUESTIONS,
                           *COMMON_PROJECT_QUESTIONS),
        ),
        Section(
            "declarations", _("法令遵守の確認と調査への同意"),
            _("応募者、その役員及び従業員について、申込要領 III.1(2)(4) に基づきお答えください。"
              "「いいえ」の場合は本サービスの対象外となります。"),
            ("COMP-LAW", "COMP-SUBSIDY", "COMP-ANTISOCIAL", "REPORT-CONSENT"),
            answer_fields=DECLARATIONS,
        ),
        Section(
            "product", _("対象製品・サービスのURL"),
            _("製品・サービスを掲載したURLをご記入ください。URLがない場合は、写真又は"
              "カタログのPDFを下の「提出書類」からお送りください。"),
            ("DOCS-PRODUCT",),
            application_fields=("product_url",),
        ),
        Section(
            "notes", _("連絡事項"),
            _("設立直後等の理由で3カ年度分の決算報告書を提出できない場合は、その旨と理由を"
              "ご記入ください。"),
            ("DOCS-FS-SHORT",),
            application_fields=("contact_notes",),
        ),
    )
}
