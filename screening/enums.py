from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    DOCUMENT = "document", _("書類審査（一次審査）")
    INTERVIEW = "interview", _("面談審査（二次審査）")


class Proposal(models.TextChoices):
    PASS = "pass", _("通過")
    FAIL = "fail", _("不通過")


# Scored criteria (1–5) and bonus criteria (ticked) of V.1(1).
SCORED_CRITERIA = ["SEL-1", "SEL-2", "SEL-3", "SEL-4", "SEL-5", "SEL-6", "SEL-10"]
BONUS_CRITERIA = ["SEL-7", "SEL-8", "SEL-9"]
CRITERIA_LABELS = {
    "SEL-1": _("① 経営理念・戦略、海外展開の動機・目的が明確"),
    "SEL-2": _("② 経営者と事業責任者のコミットメントと意欲"),
    "SEL-3": _("③ 海外展開を可能とする実施体制"),
    "SEL-4": _("④ プロジェクトを遂行できる財務基盤"),
    "SEL-5": _("⑤ 対象国・地域が明確で支援期間内の成果が見込まれる"),
    "SEL-6": _("⑥ 対象製品・サービスの市場ニーズ"),
    "SEL-7": _("⑦ 支援期間内の展示会・商談会の具体的な参加計画（加点）"),
    "SEL-8": _("⑧ 地域未来牽引企業等の選定・認定、地方創生2.0（加点）"),
    "SEL-9": _("⑨ 国の補助金等の対象となった製品・サービス（加点）"),
    "SEL-10": _("⑩ 他の政府機関の人的支援サービスと重複しない"),
}


class InterviewMode(models.TextChoices):
    IN_PERSON = "in_person", _("対面")
    ONLINE = "online", _("オンライン")


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("予定")
    HELD = "held", _("実施済み")
    CANCELLED = "cancelled", _("取り消し")


class NoticeChannel(models.TextChoices):
    EMAIL = "email", _("メール")
    PHONE = "phone", _("電話")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("開催予定")
    OPEN = "open", _("審議中")
    CLOSED = "closed", _("終了")


class VoteChoice(models.TextChoices):
    ADOPT = "adopt", _("採択")
    REJECT = "reject", _("不採択")
    ABSTAIN = "abstain", _("棄権")
    RECUSED = "recused", _("利益相反のため回避")


class TieRule(models.TextChoices):
    CHAIR_DECIDES = "chair_decides", _("可否同数のときは委員長が決する")
    REJECT = "reject", _("可否同数のときは不採択とする")


class Decision(models.TextChoices):
    ADOPTED = "adopted", _("採択")
    REJECTED = "rejected", _("不採択")
    NO_QUORUM = "no_quorum", _("定足数不足のため決定なし")
