"""Eligibility engine for 「専門家による海外展開支援」 (2026 申込要領 III.1, III.3, III.4).

Pure Python on purpose: no Django, no database, no request. `evaluate()` takes the facts an
applicant declared (`EligibilityFacts`) and returns an `EligibilityResult` whose findings carry
the rule IDs of `shared/program/rules.md`, so every answer can be traced to its clause.
Both objects round-trip through `to_dict()` / `from_dict()` for the JSON fields of an
application; store `RULES_VERSION` beside them.

Design choices
--------------
* **One finding per rule that applies.** Every rule addressed to all applicants of the
  project type yields exactly one finding, `pass` included, so staff can see what was checked.
  A rule that does not apply yields nothing: EXP-* only for export projects, BASE-* only for
  overseas-base projects, and EXP-SUPPLIER-PERMISSION only when the applicant procures the
  goods in Japan (III.3(1)② is addressed to 商社・卸 only). SIZE-EXCL-CONSULT and the
  PROJ-EXCL-* rules are exclusions, but every applicant declares the fact, so they pass when
  not triggered.
* **Exactly one size finding.**
  - SIZE-SME `pass` (size_category "sme"): 中小企業基本法 第2条第1項 第1〜4号 met, on capital
    (会社 only) or employees, limits inclusive; or a group whose members are all SMEs.
  - SIZE-SME `review`: a group not (known to be) all SMEs (legal-notes "Groups"); an "other"
    legal form (一般社団法人, 組合, …) — 基本法 covers only 会社 and 個人 and ② needs a 会社,
    so literally it is neither, but that is for staff to confirm, never silent; a company whose
    capital was not given and that fails the employee test.
  - Not an SME: no SIZE-SME `fail` is emitted (it would wrongly block 中堅企業). Instead
    SIZE-MID says `pass` (company ≤ 2,000 employees, size_category "midtier"), `fail`
    (company > 2,000, or an individual: ② needs a 会社), or `review` for the gap below.
    Each of these messages also states why ① was not met.
  - The gap (legal-notes): 基本法 has no 政令 industry cases (a software house is サービス業),
    but 産業競争力強化法's 中小企業者 does, and 中堅企業者 excludes them. A company that fails
    基本法 yet meets the 政令 limits (and has ≤ 2,000 employees) is literally neither ① nor ② →
    SIZE-MID `review` naming the gap. Above 2,000 employees ② fails anyway, so that is `fail`;
    an individual fails ② whatever its industry, so the gap never applies to one.
    special_industry is not cross-checked with industry: 基本法 uses `industry`, the gap check
    uses `special_industry`.
  - size_category describes size only; it stays "sme"/"midtier" when another rule fails.
* **PROJ-EXCL-EXPORTING / PROJ-EXCL-LOCALBASE → `review`, not `fail`.** III.3 says these
  projects are 「原則、本サービスの対象となりません」 in the same sentence as the cases 「本支援の
  効果を期待できないと判断される」: "in principle" leaves JETRO an exception, and whether an
  export is "continuous" (which product, which channel) is a judgement. The message says
  plainly that such projects are in principle out.
* **PROJ-NO-PARALLEL → `fail`** (III.3 ※ calls it a 要件), unless the applicant declares the
  only exception: consortium specialists used with JETRO's approval
  (`parallel_support_is_approved_consortium_specialist`), which passes and says so.
* **SIZE-EXCL-CONSULT**: consulting business + project to base/license that consulting → `fail`;
  consulting business with another project → `review`; otherwise `pass`.
* PROJ-EXCL-NOPROSPECT and COUNTRY-LIMITED are staff judgements: never emitted
  (`STAFF_JUDGEMENT_RULES` lists them for the UI).
* `EligibilityResult.outcome` is a property computed from the findings, so the two cannot
  disagree; `from_dict()` rejects stored data whose outcome contradicts its findings.
* Facts are validated on construction (unknown choice values, negative numbers, a string
  instead of a list of countries): a typo must not silently fall into another category.
  Country codes are normalised (NFKC, trimmed, upper case) before checking.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

RULES_VERSION = "2026.1"

LegalForm = Literal["company", "individual", "group", "other"]
Industry = Literal["manufacturing_other", "wholesale", "services", "retail"]
SpecialIndustry = Literal["rubber", "software_it", "ryokan"]
ProjectType = Literal["export", "overseas_base"]
Outcome = Literal["eligible", "ineligible", "review"]
FindingOutcome = Literal["pass", "fail", "review"]
SizeCategory = Literal["sme", "midtier"]

# --- Labels (kept in step with applications/enums.py, which forms may use instead) ---------

LEGAL_FORM_LABELS: dict[str, str] = {
    "company": "会社（株式会社・合同会社など）",
    "individual": "個人事業主",
    "group": "グループ",
    "other": "その他の法人・団体",
}
INDUSTRY_LABELS: dict[str, str] = {
    "manufacturing_other": "製造業・建設業・運輸業・その他",
    "wholesale": "卸売業",
    "services": "サービス業",
    "retail": "小売業（飲食店を含む）",
}
SPECIAL_INDUSTRY_LABELS: dict[str, str] = {
    "rubber": "ゴム製品製造業",
    "software_it": "ソフトウェア業・情報処理サービス業",
    "ryokan": "旅館業",
}
PROJECT_TYPE_LABELS: dict[str, str] = {
    "export": "輸出プロジェクト",
    "overseas_base": "海外拠点設立プロジェクト",
}
OUTCOME_LABELS: dict[str, str] = {"eligible": "対象", "ineligible": "対象外", "review": "要確認"}
FINDING_OUTCOME_LABELS: dict[str, str] = {"pass": "適合", "fail": "不適合", "review": "要確認"}
SIZE_CATEGORY_LABELS: dict[str, str] = {"sme": "中小企業", "midtier": "中堅企業"}

# Short forms used inside sentences.
_LEGAL_FORM_NOUNS = {"company": "会社", "individual": "個人事業主"}
_INDUSTRY_NOUNS = {
    "manufacturing_other": "製造業その他",
    "wholesale": "卸売業",
    "services": "サービス業",
    "retail": "小売業",
}

# --- Rule IDs ----------------------------------------------------------------------------

SIZE_RULES = ("SIZE-SME", "SIZE-MID")
COMMON_RULES = (
    *SIZE_RULES,
    "SIZE-EXCL-CONSULT",
    "COMP-LAW",
    "COMP-SUBSIDY",
    "COMP-ANTISOCIAL",
    "REPORT-CONSENT",
    "PROJ-EXCL-EXPORTING",
    "PROJ-EXCL-LOCALBASE",
    "PROJ-NO-PARALLEL",
    "COUNTRY-COUNT",
)
EXPORT_RULES = (
    "EXP-PRODUCT-EXISTS",
    "EXP-SUPPLIER-PERMISSION",
    "EXP-AIM",
    "EXP-LEGAL",
    "EXP-MGMT-APPROVAL",
    "EXP-B2B",
)
BASE_RULES = ("BASE-AIM", "BASE-NOT-STARTED", "BASE-LOCAL-LAW", "BASE-MGMT-APPROVAL")
ENGINE_RULE_IDS: frozenset[str] = frozenset((*COMMON_RULES, *EXPORT_RULES, *BASE_RULES))
STAFF_JUDGEMENT_RULES = ("PROJ-EXCL-NOPROSPECT", "COUNTRY-LIMITED")

# --- Size limits -------------------------------------------------------------------------


@dataclass(frozen=True)
class SizeLimit:
    capital_yen: int
    employees: int

    def capital_ok(self, capital_yen: int) -> bool:
        return capital_yen <= self.capital_yen

    def employees_ok(self, employees: int) -> bool:
        return employees <= self.employees


# 中小企業基本法 第2条第1項: industry -> (号, limits). Limits are inclusive (以下).
BASIC_LAW_ITEMS: dict[str, int] = {
    "manufacturing_other": 1,
    "wholesale": 2,
    "services": 3,
    "retail": 4,
}
SME_LIMITS: dict[str, SizeLimit] = {
    "manufacturing_other": SizeLimit(300_000_000, 300),
    "wholesale": SizeLimit(100_000_000, 100),
    "services": SizeLimit(50_000_000, 100),
    "retail": SizeLimit(50_000_000, 50),
}
# 政令 special cases: not part of 基本法, only used to spot the gap with 産業競争力強化法.
SEIREI_SME_LIMITS: dict[str, SizeLimit] = {
    "rubber": SizeLimit(300_000_000, 900),
    "software_it": SizeLimit(300_000_000, 300),
    "ryokan": SizeLimit(50_000_000, 200),
}
MIDTIER_MAX_EMPLOYEES = 2_000

MAX_COUNTRIES = 2
MAX_COUNTRIES_WITH_US_TARIFF = 3
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")

# --- Facts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EligibilityFacts:
    """What the applicant declared. Defaults describe a plain eligible SME export project."""

    legal_form: LegalForm = "company"
    industry: Industry = "manufacturing_other"
    capital_yen: int | None = 10_000_000
    regular_employees: int = 10
    group_members_all_sme: bool | None = None
    special_industry: SpecialIndustry | None = None
    consulting_business: bool = False
    project_is_consulting_base_or_license: bool = False
    project_type: ProjectType = "export"
    target_countries: list[str] = field(default_factory=lambda: ["US"])
    us_tariff_response: bool = False
    # Export project, III.3(1)
    product_exists: bool = True
    procures_domestically_for_export: bool = False
    supplier_permission: bool = False
    aims_export_or_agent_contract: bool = True
    product_legal: bool = True
    b2b: bool = True
    management_approved: bool = True  # both project types: III.3(1)⑤ and III.3(2)④
    # Overseas base project, III.3(2)
    aims_local_entity: bool = True
    base_operation_started: bool = False
    complies_local_law: bool = True
    # Both project types, III.3
    continuous_export_to_target: bool = False
    local_base_in_target: bool = False
    parallel_human_support: bool = False
    parallel_support_is_approved_consortium_specialist: bool = False
    # Declarations, III.1(2)(4)
    declares_no_legal_violation: bool = True
    declares_no_subsidy_violation: bool = True
    declares_not_antisocial: bool = True
    consents_to_reporting: bool = True

    def __post_init__(self) -> None:
        _check_choice("legal_form", self.legal_form, LEGAL_FORM_LABELS)
        _check_choice("industry", self.industry, INDUSTRY_LABELS)
        _check_choice("project_type", self.project_type, PROJECT_TYPE_LABELS)
        if self.special_industry is not None:
            _check_choice("special_industry", self.special_industry, SPECIAL_INDUSTRY_LABELS)
        if self.capital_yen is not None:
            _check_count("capital_yen", self.capital_yen)
        _check_count("regular_employees", self.regular_employees)
        if self.group_members_all_sme is not None:
            _check_bool("group_members_all_sme", self.group_members_all_sme)
        for f in fields(self):
            if f.type == "bool":
                _check_bool(f.name, getattr(self, f.name))
        # A copy, so that mutating the caller's list cannot change frozen facts.
        object.__setattr__(self, "target_countries", _country_list(self.target_countries))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EligibilityFacts:
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown eligibility facts: {sorted(unknown)}")
        return cls(**data)


def _check_choice(name: str, value: object, labels: dict[str, str]) -> None:
    if value not in labels:
        raise ValueError(f"{name} must be one of {sorted(labels)}, not {value!r}")


def _check_count(name: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, not {value!r}")


def _check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be a bool, not {value!r}")


def _country_list(value: object) -> list[str]:
    # A bare string would otherwise be read as a list of one-letter countries.
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValueError(f"target_countries must be a list of codes, not {value!r}")
    codes = list(value)
    if not all(isinstance(code, str) for code in codes):
        raise ValueError(f"target_countries must contain strings only, not {codes!r}")
    return codes


def normalise_country_code(code: str) -> str:
    """「ｕｓ」, " us " and "US" are the same country."""
    return unicodedata.normalize("NFKC", code).strip().upper()


# --- Result ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    rule_id: str
    outcome: FindingOutcome
    message: str

    def __post_init__(self) -> None:
        _check_choice("outcome", self.outcome, FINDING_OUTCOME_LABELS)

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(rule_id=data["rule_id"], outcome=data["outcome"], message=data["message"])


def combine_outcomes(findings: Iterable[Finding]) -> Outcome:
    """ineligible if any finding fails, else review if any needs review, else eligible."""
    outcomes = {finding.outcome for finding in findings}
    if "fail" in outcomes:
        return "ineligible"
    if "review" in outcomes:
        return "review"
    return "eligible"


@dataclass(frozen=True)
class EligibilityResult:
    """`outcome` is derived from the findings, so the two can never disagree."""

    findings: list[Finding]
    size_category: SizeCategory | None = None
    rules_version: str = RULES_VERSION

    def __post_init__(self) -> None:
        if self.size_category is not None:
            _check_choice("size_category", self.size_category, SIZE_CATEGORY_LABELS)
        object.__setattr__(self, "findings", list(self.findings))

    @property
    def outcome(self) -> Outcome:
        return combine_outcomes(self.findings)

    @property
    def blocking_findings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.outcome == "fail"]

    @property
    def review_findings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.outcome == "review"]

    @property
    def rule_ids(self) -> list[str]:
        return [finding.rule_id for finding in self.findings]

    def finding_for(self, rule_id: str) -> Finding | None:
        return next((f for f in self.findings if f.rule_id == rule_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules_version": self.rules_version,
            "outcome": self.outcome,
            "size_category": self.size_category,
            "findings": [finding.to_dict() for finding in self.findings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EligibilityResult:
        result = cls(
            findings=[Finding.from_dict(item) for item in data["findings"]],
            size_category=data.get("size_category"),
            rules_version=data.get("rules_version", RULES_VERSION),
        )
        stored = data.get("outcome")
        if stored is not None and stored != result.outcome:
            raise ValueError(f"stored outcome {stored!r} contradicts its findings")
        return result


# --- Formatting --------------------------------------------------------------------------

_YEN_UNITS = ((1_000_000_000_000, "兆"), (100_000_000, "億"), (10_000, "万"))


def format_yen(amount: int) -> str:
    """Exact and readable: 1億円, 5,000万円, 1億5,000万円, 50,000,001円."""
    if amount <= 0 or amount % 10_000:
        return f"{amount:,}円"
    parts = []
    rest = amount
    for unit, name in _YEN_UNITS:
        count, rest = divmod(rest, unit)
        if count:
            parts.append(f"{count:,}{name}")
    return "".join(parts) + "円"


def format_people(count: int) -> str:
    return f"{count:,}人"


def _basic_law_clause(industry: str) -> str:
    return f"中小企業基本法第2条第1項第{BASIC_LAW_ITEMS[industry]}号"


def _criterion(industry: str, legal_form: str) -> str:
    """e.g. 中小企業基本法第2条第1項第2号（卸売業: 資本金1億円以下又は常時使用する従業員100人以下）

    For a sole proprietor the capital limit is left out (the capital test is for 会社 only).
    """
    limit = SME_LIMITS[industry]
    noun = _INDUSTRY_NOUNS[industry]
    employees = f"常時使用する従業員{format_people(limit.employees)}以下"
    if legal_form == "individual":
        detail = f"{noun}: {employees}。個人事業主には資本金の基準はありません"
    else:
        detail = f"{noun}: 資本金{format_yen(limit.capital_yen)}以下又は{employees}"
    return f"{_basic_law_clause(industry)}（{detail}）"


def _seirei_criterion(special: str) -> str:
    limit = SEIREI_SME_LIMITS[special]
    return (
        f"{SPECIAL_INDUSTRY_LABELS[special]}: 資本金{format_yen(limit.capital_yen)}以下又は"
        f"常時使用する従業員{format_people(limit.employees)}以下"
    )


def _applicant_size_facts(facts: EligibilityFacts) -> str:
    """e.g. 主たる事業が卸売業の会社で、資本金1億円・常時使用する従業員150人"""
    subject = _INDUSTRY_NOUNS[facts.industry]
    if facts.special_industry is not None:
        subject = f"{subject}（{SPECIAL_INDUSTRY_LABELS[facts.special_industry]}）"
    employees = f"常時使用する従業員{format_people(facts.regular_employees)}"
    head = f"主たる事業が{subject}の{_LEGAL_FORM_NOUNS[facts.legal_form]}で、"
    if facts.legal_form == "individual":
        return head + employees
    capital = "（未入力）" if facts.capital_yen is None else format_yen(facts.capital_yen)
    return f"{head}資本金{capital}・{employees}"


def _targets(facts: EligibilityFacts) -> str:
    codes = [normalise_country_code(code) for code in facts.target_countries]
    codes = [code for code in codes if code]
    return f"対象国・地域（{'・'.join(codes)}）" if codes else "対象国・地域"


# --- Size, III.1(1) ----------------------------------------------------------------------


def _assess_size(facts: EligibilityFacts) -> tuple[Finding, SizeCategory | None]:
    if facts.legal_form == "group":
        return _group_size(facts)
    if facts.legal_form == "other":
        return _other_form_size(facts), None

    limit = SME_LIMITS[facts.industry]
    employees_ok = limit.employees_ok(facts.regular_employees)
    capital_ok = (
        None
        if facts.legal_form == "individual" or facts.capital_yen is None
        else limit.capital_ok(facts.capital_yen)
    )
    if employees_ok or capital_ok:
        return _sme_pass(facts, capital_ok=bool(capital_ok), employees_ok=employees_ok), "sme"
    if facts.legal_form == "company" and facts.capital_yen is None:
        return _capital_unknown(facts), None
    if facts.legal_form == "individual":
        return _individual_not_sme(facts), None
    if facts.regular_employees > MIDTIER_MAX_EMPLOYEES:
        return _company_too_large(facts), None
    if _sme_under_seirei(facts):
        return _gap_review(facts), None
    return _midtier_pass(facts), "midtier"


def _sme_under_seirei(facts: EligibilityFacts) -> bool:
    if facts.special_industry is None or facts.capital_yen is None:
        return False
    limit = SEIREI_SME_LIMITS[facts.special_industry]
    return limit.capital_ok(facts.capital_yen) or limit.employees_ok(facts.regular_employees)


def _sme_pass(facts: EligibilityFacts, *, capital_ok: bool, employees_ok: bool) -> Finding:
    if facts.legal_form == "individual":
        basis = "基準"
    elif capital_ok and employees_ok:
        basis = "資本金・従業員数の両方の基準"
    elif capital_ok:
        basis = "資本金の基準"
    else:
        basis = "従業員数の基準"
    return Finding(
        "SIZE-SME",
        "pass",
        f"III.1(1)① 中小企業に該当します。{_applicant_size_facts(facts)}のため、"
        f"{_criterion(facts.industry, facts.legal_form)}の{basis}を満たしています。",
    )


def _midtier_pass(facts: EligibilityFacts) -> Finding:
    return Finding(
        "SIZE-MID",
        "pass",
        f"III.1(1)② 中堅企業に該当します。{_applicant_size_facts(facts)}のため、"
        f"①中小企業の基準である{_criterion(facts.industry, facts.legal_form)}は満たしませんが、"
        f"常時使用する従業員{format_people(MIDTIER_MAX_EMPLOYEES)}以下の会社であり、"
        "産業競争力強化法第2条第24項に規定する中堅企業に当たります。",
    )


def _company_too_large(facts: EligibilityFacts) -> Finding:
    return Finding(
        "SIZE-MID",
        "fail",
        f"III.1(1)② 企業規模の要件を満たさないため、対象となりません。"
        f"{_applicant_size_facts(facts)}のため、"
        f"①中小企業の基準である{_criterion(facts.industry, facts.legal_form)}を満たさず、"
        "②中堅企業（産業競争力強化法第2条第24項に規定する者で、常時使用する従業員"
        f"{format_people(MIDTIER_MAX_EMPLOYEES)}以下の会社）の従業員数の上限も超えています。",
    )


def _individual_not_sme(facts: EligibilityFacts) -> Finding:
    return Finding(
        "SIZE-MID",
        "fail",
        f"III.1(1)② 企業規模の要件を満たさないため、対象となりません。"
        f"{_applicant_size_facts(facts)}のため、"
        f"①中小企業の基準である{_criterion(facts.industry, facts.legal_form)}を満たしません。"
        "また、②中堅企業（産業競争力強化法第2条第24項）は会社に限られるため、"
        "個人事業主は対象になりません。",
    )


def _gap_review(facts: EligibilityFacts) -> Finding:
    special = facts.special_industry
    assert special is not None  # only called when _sme_under_seirei() is true
    industry_noun = _INDUSTRY_NOUNS[facts.industry]
    return Finding(
        "SIZE-MID",
        "review",
        f"III.1(1)② 担当者の確認が必要です。{_applicant_size_facts(facts)}のため、"
        f"①中小企業の基準である{_criterion(facts.industry, facts.legal_form)}を満たしません"
        f"（中小企業基本法には政令による業種の特例がないため、{industry_noun}として判定して"
        f"います）。一方、政令の特例（{_seirei_criterion(special)}）により"
        "産業競争力強化法上の中小企業者に当たるため、同法第2条第24項の中堅企業者からも"
        "除かれます。文言上は①中小企業と②中堅企業の定義の隙間に当たり、どちらにも該当しない"
        "ため、担当者が取扱いを判断します。",
    )


def _capital_unknown(facts: EligibilityFacts) -> Finding:
    return Finding(
        "SIZE-SME",
        "review",
        "III.1(1)① 担当者の確認が必要です。会社の資本金の額（出資の総額）が入力されていないため、"
        f"{_criterion(facts.industry, facts.legal_form)}のうち資本金の基準を判定できません。"
        f"{_applicant_size_facts(facts)}で、従業員数の基準は満たしていません。",
    )


def _group_size(facts: EligibilityFacts) -> tuple[Finding, SizeCategory | None]:
    members = "中小企業基本法第2条第1項第1号〜第4号の中小企業"
    if facts.group_members_all_sme is True:
        return (
            Finding(
                "SIZE-SME",
                "pass",
                f"III.1(1)① 中小企業に該当します。構成員がすべて{members}である"
                "グループと申告されています。",
            ),
            "sme",
        )
    declared = (
        f"構成員に{members}でない者が含まれるグループと申告されています。"
        if facts.group_members_all_sme is False
        else f"グループの構成員がすべて{members}かどうかが申告されていません。"
    )
    return (
        Finding(
            "SIZE-SME",
            "review",
            f"III.1(1)① 担当者の確認が必要です。{declared}"
            "申込要領は「それらの者で構成されるグループ」と定めるのみのため、"
            "担当者がグループの構成を確認します。",
        ),
        None,
    )


def _other_form_size(facts: EligibilityFacts) -> Finding:
    capital = "未入力" if facts.capital_yen is None else format_yen(facts.capital_yen)
    return Finding(
        "SIZE-SME",
        "review",
        "III.1(1)① 担当者の確認が必要です。その他の法人・団体（資本金の額又は出資の総額: "
        f"{capital}、常時使用する従業員: {format_people(facts.regular_employees)}）は、"
        "中小企業基本法第2条第1項が対象とする会社・個人事業主に当たらず、"
        "②中堅企業の対象である会社にも当たらないため、自動では判定できません。"
        "担当者が法人の種類と規模を確認します。",
    )


# --- Consulting exclusion, III.1(1) ※ -------------------------------------------------------


def _consulting_finding(facts: EligibilityFacts) -> Finding:
    clause = "III.1(1)※ 海外展開支援のコンサルティング等を業とする企業の除外:"
    if not facts.consulting_business:
        return Finding(
            "SIZE-EXCL-CONSULT",
            "pass",
            f"{clause} 海外展開支援のコンサルティング等を業とする企業ではないと申告されているため、"
            "該当しません。",
        )
    if facts.project_is_consulting_base_or_license:
        return Finding(
            "SIZE-EXCL-CONSULT",
            "fail",
            f"{clause} 海外展開支援のコンサルティング等を業とする企業が、当該コンサルティング等の"
            "海外拠点設立又はライセンス輸出等を目的とするプロジェクトのため、対象外となります。",
        )
    return Finding(
        "SIZE-EXCL-CONSULT",
        "review",
        f"{clause} 担当者の確認が必要です。海外展開支援のコンサルティング等を業とする企業ですが、"
        "プロジェクトは当該コンサルティング等の海外拠点設立・ライセンス輸出等ではないと"
        "申告されているため、担当者がプロジェクトの内容を確認します。",
    )


# --- Declarations, III.1(2)(4) -----------------------------------------------------------


def _check(rule_id: str, ok: bool, pass_message: str, fail_message: str) -> Finding:
    return Finding(rule_id, "pass", pass_message) if ok else Finding(rule_id, "fail", fail_message)


def _declaration_findings(facts: EligibilityFacts) -> list[Finding]:
    return [
        _check(
            "COMP-LAW",
            facts.declares_no_legal_violation,
            "III.1(2)① 国内外の法令に反する行為、著しく不正な行為又は公序良俗に反する行為を"
            "行っておらず、その疑いもないと申告されています。",
            "III.1(2)① 国内外の法令に反する行為、著しく不正な行為又は公序良俗に反する行為を"
            "行っておらず、その疑いもない旨の申告がないため、申込要件を満たしません。",
        ),
        _check(
            "COMP-SUBSIDY",
            facts.declares_no_subsidy_violation,
            "III.1(2)② 補助金適正化法（昭和30年法律第179号）及び関係省庁の命令に違反していないと"
            "申告されています。",
            "III.1(2)② 補助金適正化法（昭和30年法律第179号）及び関係省庁の命令に違反していない"
            "旨の申告がないため、申込要件を満たしません。",
        ),
        _check(
            "COMP-ANTISOCIAL",
            facts.declares_not_antisocial,
            "III.1(2)③ 反社会的勢力又はこれに類似する企業・団体・個人ではないと申告されています。",
            "III.1(2)③ 反社会的勢力又はこれに類似する企業・団体・個人ではない旨の申告がないため、"
            "申込要件を満たしません。",
        ),
        _check(
            "REPORT-CONSENT",
            facts.consents_to_reporting,
            "III.1(4) 支援期間中及び終了後の各種調査への回答と、利用実績の公表に同意されています。",
            "III.1(4) 支援期間中及び終了後の各種調査への回答と、利用実績の公表に同意されていない"
            "ため、申込要件を満たしません。",
        ),
    ]


# --- Project, III.3 ----------------------------------------------------------------------


def _project_findings(facts: EligibilityFacts) -> list[Finding]:
    return [_exporting_finding(facts), _local_base_finding(facts), _parallel_finding(facts)]


def _exporting_finding(facts: EligibilityFacts) -> Finding:
    targets = _targets(facts)
    if not facts.continuous_export_to_target:
        return Finding(
            "PROJ-EXCL-EXPORTING",
            "pass",
            f"III.3 {targets}への継続的な輸出はまだ実現していないと申告されています。",
        )
    return Finding(
        "PROJ-EXCL-EXPORTING",
        "review",
        f"III.3 担当者の確認が必要です。{targets}へすでに継続的な輸出が実現していると"
        "申告されています。この場合は原則として本サービスの対象となりませんが、"
        "例外の余地があるため、担当者が個別に判断します。",
    )


def _local_base_finding(facts: EligibilityFacts) -> Finding:
    targets = _targets(facts)
    if not facts.local_base_in_target:
        return Finding(
            "PROJ-EXCL-LOCALBASE",
            "pass",
            f"III.3 {targets}に現地事業拠点等はまだないと申告されています。",
        )
    return Finding(
        "PROJ-EXCL-LOCALBASE",
        "review",
        f"III.3 担当者の確認が必要です。{targets}にすでに現地事業拠点等があると"
        "申告されています。この場合は原則として本サービスの対象となりませんが、"
        "例外の余地があるため、担当者が個別に判断します。",
    )


def _parallel_finding(facts: EligibilityFacts) -> Finding:
    clause = "III.3※"
    if not facts.parallel_human_support:
        return Finding(
            "PROJ-NO-PARALLEL",
            "pass",
            f"{clause} 本サービスと並行して同時期に同内容の他の人的支援サービス"
            "（専門家・コンサルタント等）を受けないと申告されています。",
        )
    if facts.parallel_support_is_approved_consortium_specialist:
        return Finding(
            "PROJ-NO-PARALLEL",
            "pass",
            f"{clause} 並行して受ける人的支援は、ジェトロの承認を受けて利用するコンソーシアムの"
            "専門分野の専門家によるものと申告されているため、例外として認められます。",
        )
    return Finding(
        "PROJ-NO-PARALLEL",
        "fail",
        f"{clause} 本サービスと並行して同時期に同内容の他の人的支援サービス"
        "（専門家・コンサルタント等）を受けると申告されているため、要件を満たしません"
        "（ジェトロの承認を受けてコンソーシアムの専門分野の専門家を利用する場合を除きます）。",
    )


def _export_findings(facts: EligibilityFacts) -> list[Finding]:
    targets = _targets(facts)
    findings = [
        _check(
            "EXP-PRODUCT-EXISTS",
            facts.product_exists,
            "III.3(1)① 申込時点で輸出する製品・サービスが存在すると申告されています。",
            "III.3(1)① 申込時点で輸出する製品・サービスが存在しないため、対象となりません"
            "（これから製品・サービスを開発するプロジェクトは対象外です）。",
        ),
    ]
    if facts.procures_domestically_for_export:
        findings.append(
            _check(
                "EXP-SUPPLIER-PERMISSION",
                facts.supplier_permission,
                f"III.3(1)② 商材を国内で調達して輸出するプロジェクトで、調達元から{targets}への"
                "輸出の許諾を得ていると申告されています。",
                f"III.3(1)② 商材を国内で調達して輸出するプロジェクトですが、調達元から{targets}への"
                "輸出の許諾を得ていないため、要件を満たしません。",
            )
        )
    findings += [
        _check(
            "EXP-AIM",
            facts.aims_export_or_agent_contract,
            f"III.3(1)③ {targets}への輸出又は現地代理店契約等を目指すプロジェクトです。",
            f"III.3(1)③ {targets}への輸出又は現地代理店契約等を目指すプロジェクトではないため、"
            "輸出プロジェクトの対象となりません。",
        ),
        _check(
            "EXP-LEGAL",
            facts.product_legal,
            f"III.3(1)④ 製品・サービスは日本及び{targets}の法令に違反しないと申告されています。",
            f"III.3(1)④ 製品・サービスが日本及び{targets}の法令に違反しない旨の申告がないため、"
            "対象となりません。",
        ),
        _check(
            "EXP-MGMT-APPROVAL",
            facts.management_approved,
            "III.3(1)⑤ 本サービスへの申込について経営責任者の承認を得ています。",
            "III.3(1)⑤ 本サービスへの申込について経営責任者の承認を得ていないため、"
            "要件を満たしません。",
        ),
        _check(
            "EXP-B2B",
            facts.b2b,
            "III.3(1)⑥ 取引先が企業であるB to B案件です。",
            "III.3(1)⑥ B to B（取引先が企業）の案件ではないため、対象となりません。",
        ),
    ]
    return findings


def _base_findings(facts: EligibilityFacts) -> list[Finding]:
    targets = _targets(facts)
    return [
        _check(
            "BASE-AIM",
            facts.aims_local_entity,
            f"III.3(2)① {targets}での現地法人（製造・販売等拠点）、支店、店舗、駐在員事務所等の"
            "拠点設立や合弁、出資等を目指すプロジェクトです。",
            f"III.3(2)① {targets}での現地法人、支店、店舗、駐在員事務所等の拠点設立や合弁、"
            "出資等を目指すプロジェクトではないため、海外拠点設立プロジェクトの対象となりません。",
        ),
        _check(
            "BASE-NOT-STARTED",
            not facts.base_operation_started,
            "III.3(2)② 申込時点で、設立する拠点の生産・操業・活動はまだ始まっていません。",
            "III.3(2)② 申込時点ですでに拠点の生産・操業・活動が始まっているため、"
            "対象となりません。",
        ),
        _check(
            "BASE-LOCAL-LAW",
            facts.complies_local_law,
            f"III.3(2)③ {targets}の現地法令に従って拠点を設立するプロジェクトです。",
            f"III.3(2)③ {targets}の現地法令に従った拠点設立である旨の申告がないため、"
            "対象となりません。",
        ),
        _check(
            "BASE-MGMT-APPROVAL",
            facts.management_approved,
            "III.3(2)④ 本サービスへの申込について経営責任者の承認を得ています。",
            "III.3(2)④ 本サービスへの申込について経営責任者の承認を得ていないため、"
            "要件を満たしません。",
        ),
    ]


# --- Target countries, III.4 -------------------------------------------------------------


def _country_problems(codes: list[str], us_tariff_response: bool) -> list[str]:
    if not codes:
        return ["対象国・地域が選択されていません。1か国・地域以上を選んでください。"]
    problems = [
        f"「{code}」は国・地域コード（ISO 3166-1 alpha-2の英字2文字）として正しくありません。"
        for code in dict.fromkeys(codes)
        if not _COUNTRY_CODE.fullmatch(code)
    ]
    if "JP" in codes:
        problems.append("日本（JP）は対象国・地域に選べません。")
    duplicates = [code for code in dict.fromkeys(codes) if codes.count(code) > 1]
    problems += [f"「{code}」が重複して選択されています。" for code in duplicates]
    problems += _country_count_problems(codes, us_tariff_response)
    return problems


def _country_count_problems(codes: list[str], us_tariff_response: bool) -> list[str]:
    count = len(codes)
    if count <= MAX_COUNTRIES:
        return []
    if count > MAX_COUNTRIES_WITH_US_TARIFF:
        return [
            f"{count}か国・地域が選択されていますが、選べるのは原則2か国・地域まで、米国関税措置"
            "への対応策として米国への事業展開を希望する場合でも3か国・地域までです。"
        ]
    missing = []
    if "US" not in codes:
        missing.append("米国（US）が含まれていません")
    if not us_tariff_response:
        missing.append("米国関税措置への対応策である旨の申告がありません")
    if not missing:
        return []
    return [
        "3か国・地域を選べるのは、米国関税措置への対応策として米国への事業展開を希望する場合に"
        f"限られますが、{'。また、'.join(missing)}。"
    ]


def _ranked(codes: list[str]) -> str:
    return "、".join(f"{rank}. {code}" for rank, code in enumerate(codes, start=1))


def _country_finding(facts: EligibilityFacts) -> Finding:
    codes = [normalise_country_code(code) for code in facts.target_countries]
    problems = _country_problems(codes, facts.us_tariff_response)
    if problems:
        shown = f"（{_ranked(codes)}）" if codes else ""
        return Finding(
            "COUNTRY-COUNT",
            "fail",
            f"III.4(1) 対象国・地域{shown}の選び方が要件を満たしません。{''.join(problems)}",
        )
    if len(codes) == 1:
        message = f"III.4(1) 対象国・地域は1か国・地域（{codes[0]}）です。"
    elif len(codes) == MAX_COUNTRIES:
        message = (
            f"III.4(1) 対象国・地域は優先順位順に2か国・地域（{_ranked(codes)}）です"
            "（原則は1か国・地域ですが、優先順位を付けて2か国・地域まで選べます）。"
        )
    else:
        message = (
            "III.4(1) 米国関税措置への対応策として米国（US）への事業展開を希望されているため、"
            f"3か国・地域まで選べます。対象国・地域は優先順位順に{_ranked(codes)}です。"
        )
    return Finding("COUNTRY-COUNT", "pass", message)


# --- Entry point -------------------------------------------------------------------------


def evaluate(facts: EligibilityFacts) -> EligibilityResult:
    """Apply the 2026 rules to the declared facts (see the module docstring for the choices)."""
    size_finding, size_category = _assess_size(facts)
    project_specific = (
        _export_findings(facts) if facts.project_type == "export" else _base_findings(facts)
    )
    findings = [
        size_finding,
        _consulting_finding(facts),
        *_declaration_findings(facts),
        *_project_findings(facts),
        *project_specific,
        _country_finding(facts),
    ]
    return EligibilityResult(findings=findings, size_category=size_category)
