"""V.1(2)③ 専門家のマッチング: rank the registry for one application and say why, in words.

「対象国・地域、業種、サポートを希望する内容等に応じて、適した専門家のマッチングをジェトロが
行います。」 The ranking only proposes; staff choose. This module is pure (no database, no
request): the selectors build `ExpertSnapshot`s, the caller passes what the higher rooms know
(the interview's expert candidate, the declared conflicts) as arguments.

Points (all in `Weights` below; the page shows the total and the reasons):

| what                                                          | points              |
|---------------------------------------------------------------|---------------------|
| covers the first-priority target country                       | 40                  |
| covers another target country (2nd, 3rd priority), each        | 15                  |
| covers the region of the first country, without the country    | 10                  |
| has supported the company's main industry                      | 15                  |
| offers a desired kind of support, each                         | 10, at most 20      |
| headroom: 10 × free places ÷ capacity, rounded down            | 0–10                |
| was the expert candidate at the interview (②)                  | 15                  |

The region points are a fallback: an expert who lists the first country gets the 40 points
and not also the 10. Ties: more headroom first (fewer current assignments), then フリガナ, then
the registry ID, so the order is stable.

Excluded (not ranked, listed after the ranked ones with one reason, in this order of
precedence): a declared conflict of interest with the company, not active, at capacity, and
— for a replacement — the current expert.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from applications.countries import country_name
from applications.enums import Industry, ProjectType
from experts.enums import ExpertiseField, Region
from experts.regions import region_of


@dataclass(frozen=True)
class Weights:
    first_country: int = 40
    other_country: int = 15
    first_region: int = 10
    industry: int = 15
    field: int = 10
    field_cap: int = 20
    headroom: int = 10
    interview_candidate: int = 15


WEIGHTS = Weights()
# At least this many headroom points (half the capacity free) reads as 「余裕あり」.
ROOMY_HEADROOM = WEIGHTS.headroom // 2


@dataclass(frozen=True)
class ExpertSnapshot:
    """What matching needs to know about one expert, with the current load."""

    expert_id: int
    name: str
    name_kana: str = ""
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    capacity: int = 5
    load: int = 0
    is_active: bool = True


@dataclass(frozen=True)
class Candidate:
    expert_id: int
    name: str
    score: int
    reasons: list[str] = field(default_factory=list)
    excluded: str | None = None
    load: int = 0
    capacity: int = 0


EXCLUDED_CONFLICT = "利益相反の申告あり"
EXCLUDED_INACTIVE = "稼働していません"
EXCLUDED_CURRENT = "現在の担当専門家です"


def excluded_full(load: int, capacity: int) -> str:
    return f"担当数が上限に達しています（{load}/{capacity}件）"


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def headroom_points(load: int, capacity: int) -> int:
    if capacity <= 0 or load >= capacity:
        return 0
    return WEIGHTS.headroom * (capacity - load) // capacity


def _exclusion(snapshot: ExpertSnapshot, conflicted: set[int],
               current_expert_id: int | None) -> str | None:
    if snapshot.expert_id in conflicted:
        return EXCLUDED_CONFLICT
    if not snapshot.is_active:
        return EXCLUDED_INACTIVE
    if snapshot.load >= snapshot.capacity:
        return excluded_full(snapshot.load, snapshot.capacity)
    if current_expert_id is not None and snapshot.expert_id == current_expert_id:
        return EXCLUDED_CURRENT
    return None


def _score(snapshot: ExpertSnapshot, *, target_countries: list[str], industry: str,
           desired_fields: list[str], interview_candidate_id: int | None) -> tuple[int, list[str]]:
    score, reasons = 0, []
    first, others = (target_countries[0] if target_countries else None), target_countries[1:]
    if first is not None and first in snapshot.countries:
        score += WEIGHTS.first_country
        reasons.append(f"第1希望の対象国（{country_name(first)}）に対応")
    for rank, code in enumerate(others, start=2):
        if code in snapshot.countries:
            score += WEIGHTS.other_country
            reasons.append(f"第{rank}希望の対象国（{country_name(code)}）に対応")
    region = region_of(first) if first is not None else None
    if region is not None and first not in snapshot.countries and region in snapshot.regions:
        score += WEIGHTS.first_region
        reasons.append(f"第1希望の国の地域（{_label(Region, region)}）を担当")
    if industry and industry in snapshot.industries:
        score += WEIGHTS.industry
        reasons.append(f"業種（{_label(Industry, industry)}）の支援実績")
    matched = [code for code in desired_fields if code in snapshot.fields]
    if matched:
        score += min(WEIGHTS.field * len(matched), WEIGHTS.field_cap)
        labels = "、".join(_label(ExpertiseField, code) for code in matched)
        reasons.append(f"希望する支援（{labels}）に対応")
    headroom = headroom_points(snapshot.load, snapshot.capacity)
    score += headroom
    free = snapshot.capacity - snapshot.load
    if headroom >= ROOMY_HEADROOM:
        reasons.append(f"担当数 {snapshot.load}/{snapshot.capacity} 件で余裕あり")
    else:
        reasons.append(f"担当数 {snapshot.load}/{snapshot.capacity} 件（残り{free}件）")
    if interview_candidate_id is not None and snapshot.expert_id == interview_candidate_id:
        score += WEIGHTS.interview_candidate
        reasons.append("面談審査の専門家候補")
    return score, reasons


def rank_candidates(
    *,
    target_countries: list[str],
    industry: str,
    desired_fields: list[str],
    experts: Iterable[ExpertSnapshot],
    interview_candidate_id: int | None,
    conflicted_expert_ids: set[int],
    current_expert_id: int | None = None,
) -> list[Candidate]:
    """Ranked candidates (best first), then the excluded ones (by フリガナ) with why."""
    ranked: list[tuple[tuple, Candidate]] = []
    excluded: list[tuple[tuple, Candidate]] = []
    conflicted = set(conflicted_expert_ids)
    desired = list(dict.fromkeys(desired_fields))
    for snapshot in experts:
        order = (snapshot.name_kana, snapshot.name, snapshot.expert_id)
        why = _exclusion(snapshot, conflicted, current_expert_id)
        if why is not None:
            excluded.append((order, Candidate(snapshot.expert_id, snapshot.name, 0, [], why,
                                              snapshot.load, snapshot.capacity)))
            continue
        score, reasons = _score(snapshot, target_countries=list(target_countries),
                                industry=industry, desired_fields=desired,
                                interview_candidate_id=interview_candidate_id)
        ranked.append(((-score, snapshot.load, *order),
                       Candidate(snapshot.expert_id, snapshot.name, score, reasons, None,
                                 snapshot.load, snapshot.capacity)))
    return ([c for _, c in sorted(ranked, key=lambda pair: pair[0])]
            + [c for _, c in sorted(excluded, key=lambda pair: pair[0])])


# -- desired support: the WEB form's free text → ExpertiseField -----------------------------
#
# `WebFormAnswers.desired_support` (専門家に希望するサポート内容) is free text. After NFKC
# (全角英数 → 半角) each pattern below is searched, case-insensitively; a field is desired when
# any of its patterns occurs. Result in ExpertiseField order, without duplicates. An overseas
# base project (III.3(2)) always wants local_incorporation.
# 「契約」 right after 代理店/販売店 is the export goal itself (EXP-AIM), not legal work.

DESIRED_SUPPORT_KEYWORDS: dict[str, tuple[str, ...]] = {
    ExpertiseField.EXPORT_CHANNELS: ("販路", "代理店", "輸出", "商談", "バイヤー", "販売店",
                                     "ディストリビュータ"),
    ExpertiseField.LOCAL_INCORPORATION: ("現地法人", "法人設立", "子会社", "支店", "駐在員事務所",
                                         "合弁"),
    ExpertiseField.MANUFACTURING_BASE: ("工場", "製造拠点", "生産拠点"),
    ExpertiseField.FOOD_REGULATION: ("食品", "規制", "認証", "FDA", "HACCP", "ハラール", "ハラル"),
    ExpertiseField.ECOMMERCE: (r"(?<![A-Z])EC(?![A-Z])", "通販", "eコマース", "ネットショップ",
                               "オンライン販売"),
    ExpertiseField.LEGAL_TAX: ("法務", "税務", r"(?<!代理店)(?<!販売店)契約", "知的財産", "知財",
                               "商標"),
    ExpertiseField.MARKETING: ("ブランド", "マーケ", "プロモーション", "広告", "SNS"),
    ExpertiseField.LICENSING: ("ライセンス", "技術提携", "技術供与"),
}

_PATTERNS = {
    code: re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    for code, patterns in DESIRED_SUPPORT_KEYWORDS.items()
}


def desired_fields_from(text: str | None, project_type: str = "") -> list[str]:
    """The ExpertiseField codes the applicant's free text asks for (see the table above)."""
    normalized = unicodedata.normalize("NFKC", text or "")
    found = {code for code, pattern in _PATTERNS.items() if pattern.search(normalized)}
    if project_type == ProjectType.OVERSEAS_BASE:
        found.add(ExpertiseField.LOCAL_INCORPORATION)
    return [code.value for code in ExpertiseField if code in found]
