from django.db import models
from django.utils.translation import gettext_lazy as _


class EndKind(models.TextChoices):
    COMPLETED = "completed", _("支援終了（期間満了・目標達成）")
    TERMINATED = "terminated", _("支援の途中終了")


class TerminationReason(models.TextChoices):
    """III.6 (1)–(8): recorded internally; never shown to the company."""

    TERM_1 = "TERM-1", _("(1) 成果の見込みや達成への意欲が全くない")
    TERM_2 = "TERM-2", _("(2) 一定の目標を達成し、これ以上の支援は不要")
    TERM_3 = "TERM-3", _("(3) 申込要件を満たさなくなった等、状況が変化した")
    TERM_4 = "TERM-4", _("(4) 応募・利用条件兼同意書に違反した")
    TERM_5 = "TERM-5", _("(5) 法令違反・不正行為・公序良俗に反する行為又はその疑い")
    TERM_6 = "TERM-6", _("(6) 補助金適正化法又は関係省庁の命令に違反した")
    TERM_7 = "TERM-7", _("(7) ジェトロや専門家の助言・指導に反する行為を繰り返した")
    TERM_8 = "TERM-8", _("(8) その他、継続が不相当（国内業務の多忙など）")


class ActivityKind(models.TextChoices):
    VISIT = "visit", _("企業訪問")
    ONLINE = "online", _("オンライン面談")
    PHONE = "phone", _("電話での助言")
    TRIP = "trip", _("海外出張同行")
    TRADE_FAIR = "trade_fair", _("展示会・商談会")
    REFERRAL = "referral", _("他の支援サービスへの取り次ぎ")
    KICKOFF = "kickoff", _("キックオフミーティング")


class TripStatus(models.TextChoices):
    PROPOSED = "proposed", _("調整中（企業負担の確認待ち）")
    PLANNED = "planned", _("確定")
    DONE = "done", _("実施済み")
    CANCELLED = "cancelled", _("取り消し")


class CancellationCause(models.TextChoices):
    COMPANY = "company", _("企業都合（確定後のキャンセル費用は企業負担）")
    FORCE_MAJEURE = "force_majeure", _("不可抗力（天災・入国制限など）")
    JETRO = "jetro", _("ジェトロ・専門家の都合")


class CostBearer(models.TextChoices):
    COMPANY = "company", _("企業負担")
    JETRO = "jetro", _("ジェトロ負担")


class ReviewDecision(models.TextChoices):
    CONTINUE = "continue", _("支援を継続")
    CHANGE_EXPERT = "change_expert", _("専門家を交替")
    END = "end", _("支援を終了")


class SurveyKind(models.TextChoices):
    PROGRESS = "progress", _("進捗報告")
    OUTCOME = "outcome", _("成果報告（支援終了後）")


class DeclinationChannel(models.TextChoices):
    ONLINE = "online", _("WEBで提出")
    PAPER = "paper", _("書面（郵送・持参）")
