from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    REGISTERING = "registering", _("オンライン登録中")
    AWAITING_DOCUMENTS = "awaiting_documents", _("WEBフォーム入力中")
    RECEIVED = "received", _("受付済み")
    DOCUMENT_SCREENING = "document_screening", _("書類審査中")
    INTERVIEW_SCHEDULED = "interview_scheduled", _("面談審査予定")
    INTERVIEWED = "interviewed", _("面談審査済み")
    MATCHING = "matching", _("専門家マッチング中")
    COMMITTEE_REVIEW = "committee_review", _("最終審査中")
    ADOPTED = "adopted", _("採択")
    CONSENT_RECEIVED = "consent_received", _("同意書受領")
    IN_SUPPORT = "in_support", _("支援中")
    COMPLETED = "completed", _("支援終了")
    TERMINATED = "terminated", _("支援終了（途中終了）")
    REJECTED = "rejected", _("不採択")
    WITHDRAWN = "withdrawn", _("申込辞退")
    DECLINED = "declined", _("採択後辞退")


class LegalForm(models.TextChoices):
    COMPANY = "company", _("会社（株式会社・合同会社など）")
    INDIVIDUAL = "individual", _("個人事業主")
    GROUP = "group", _("グループ")
    OTHER = "other", _("その他の法人・団体")


class Industry(models.TextChoices):
    MANUFACTURING_OTHER = "manufacturing_other", _("製造業・建設業・運輸業・その他")
    WHOLESALE = "wholesale", _("卸売業")
    SERVICES = "services", _("サービス業")
    RETAIL = "retail", _("小売業（飲食店を含む）")


class SpecialIndustry(models.TextChoices):
    RUBBER = "rubber", _("ゴム製品製造業")
    SOFTWARE_IT = "software_it", _("ソフトウェア業・情報処理サービス業")
    RYOKAN = "ryokan", _("旅館業")


class ProjectType(models.TextChoices):
    EXPORT = "export", _("輸出プロジェクト")
    OVERSEAS_BASE = "overseas_base", _("海外拠点設立プロジェクト")


class DocumentKind(models.TextChoices):
    FINANCIAL_STATEMENT = "financial_statement", _("決算報告書")
    PRODUCT_CATALOGUE = "product_catalogue", _("製品・サービスのカタログ・写真")


class DocumentSource(models.TextChoices):
    WEB = "web", _("WEBフォーム")
    POSTAL = "postal", _("郵送")
    FY2025_REUSE = "fy2025_reuse", _("2025年度提出分")


PREFECTURES = [
    ("01", "北海道"), ("02", "青森県"), ("03", "岩手県"), ("04", "宮城県"), ("05", "秋田県"),
    ("06", "山形県"), ("07", "福島県"), ("08", "茨城県"), ("09", "栃木県"), ("10", "群馬県"),
    ("11", "埼玉県"), ("12", "千葉県"), ("13", "東京都"), ("14", "神奈川県"), ("15", "新潟県"),
    ("16", "富山県"), ("17", "石川県"), ("18", "福井県"), ("19", "山梨県"), ("20", "長野県"),
    ("21", "岐阜県"), ("22", "静岡県"), ("23", "愛知県"), ("24", "三重県"), ("25", "滋賀県"),
    ("26", "京都府"), ("27", "大阪府"), ("28", "兵庫県"), ("29", "奈良県"), ("30", "和歌山県"),
    ("31", "鳥取県"), ("32", "島根県"), ("33", "岡山県"), ("34", "広島県"), ("35", "山口県"),
    ("36", "徳島県"), ("37", "香川県"), ("38", "愛媛県"), ("39", "高知県"), ("40", "福岡県"),
    ("41", "佐賀県"), ("42", "長崎県"), ("43", "熊本県"), ("44", "大分県"), ("45", "宮崎県"),
    ("46", "鹿児島県"), ("47", "沖縄県"),
]
