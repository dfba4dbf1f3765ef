"""Table-driven tests of the eligibility engine (rules.md IDs, 2026 申込要領 III.1/III.3/III.4).

The law's thresholds are restated here on purpose instead of read from the module, so that a
wrong constant in the engine cannot make its own test pass.
"""

import json

import pytest

from applications.eligibility import (
    ENGINE_RULE_IDS,
    INDUSTRY_LABELS,
    LEGAL_FORM_LABELS,
    PROJECT_TYPE_LABELS,
    RULES_VERSION,
    SPECIAL_INDUSTRY_LABELS,
    STAFF_JUDGEMENT_RULES,
    EligibilityFacts,
    EligibilityResult,
    Finding,
    combine_outcomes,
    evaluate,
    format_yen,
)

# 中小企業基本法 第2条第1項: industry -> (号, capital limit, employee limit), both inclusive.
BASIC_LAW = {
    "manufacturing_other": (1, 300_000_000, 300),
    "wholesale": (2, 100_000_000, 100),
    "services": (3, 50_000_000, 100),
    "retail": (4, 50_000_000, 50),
}
HUGE_CAPITAL = 10_000_000_000
COMMON_RULE_IDS = {
    "SIZE-EXCL-CONSULT",
    "COMP-LAW",
    "COMP-SUBSIDY",
    "COMP-ANTISOCIAL",
    "REPORT-CONSENT",
    "PROJ-EXCL-EXPORTING",
    "PROJ-EXCL-LOCALBASE",
    "PROJ-NO-PARALLEL",
    "COUNTRY-COUNT",
}
EXPORT_RULE_IDS = {"EXP-PRODUCT-EXISTS", "EXP-AIM", "EXP-LEGAL", "EXP-MGMT-APPROVAL", "EXP-B2B"}
BASE_RULE_IDS = {"BASE-AIM", "BASE-NOT-STARTED", "BASE-LOCAL-LAW", "BASE-MGMT-APPROVAL"}


def only(result: EligibilityResult, rule_id: str) -> Finding:
    matches = [finding for finding in result.findings if finding.rule_id == rule_id]
    assert len(matches) == 1, f"{rule_id}: {result.findings}"
    return matches[0]


def size_finding(result: EligibilityResult) -> Finding:
    matches = [f for f in result.findings if f.rule_id in {"SIZE-SME", "SIZE-MID"}]
    assert len(matches) == 1, result.findings
    return matches[0]


def assert_mentions(message: str, *fragments: str) -> None:
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


# --- Company size, III.1(1) --------------------------------------------------------------

# (facts, outcome, size_category, size rule, size finding outcome, message fragments)
SIZE_CASES = [
    pytest.param(
        dict(industry="wholesale", capital_yen=100_000_000, regular_employees=150),
        "eligible", "sme", "SIZE-SME", "pass",
        ["III.1(1)①", "中小企業基本法第2条第1項第2号", "卸売業", "1億円", "150人", "資本金の基準"],
        id="wholesale-capital-exactly-100m-150-employees-sme",
    ),
    pytest.param(
        dict(industry="retail", capital_yen=50_000_001, regular_employees=51),
        "eligible", "midtier", "SIZE-MID", "pass",
        ["III.1(1)②", "中小企業基本法第2条第1項第4号", "50,000,001円", "51人",
         "産業競争力強化法第2条第24項"],
        id="retail-51-employees-capital-50m-plus-1-midtier",
    ),
    pytest.param(
        dict(industry="services", special_industry="software_it",
             capital_yen=100_000_000, regular_employees=200),
        "review", None, "SIZE-MID", "review",
        ["III.1(1)②", "中小企業基本法第2条第1項第3号", "ソフトウェア業・情報処理サービス業",
         "政令", "隙間", "1億円", "200人"],
        id="software-company-200-employees-100m-gap-review",
    ),
    pytest.param(
        dict(industry="services", special_industry="ryokan",
             capital_yen=100_000_000, regular_employees=150),
        "review", None, "SIZE-MID", "review",
        ["旅館業", "政令", "隙間", "1億円", "150人"],
        id="ryokan-150-employees-100m-gap-review",
    ),
    pytest.param(
        dict(industry="manufacturing_other", special_industry="rubber",
             capital_yen=500_000_000, regular_employees=800),
        "review", None, "SIZE-MID", "review",
        ["ゴム製品製造業", "中小企業基本法第2条第1項第1号", "政令", "隙間", "5億円", "800人"],
        id="rubber-maker-800-employees-500m-gap-review",
    ),
    pytest.param(
        dict(industry="manufacturing_other", special_industry="rubber",
             capital_yen=500_000_000, regular_employees=900),
        "review", None, "SIZE-MID", "review", ["隙間", "900人"],
        id="rubber-maker-900-employees-seirei-limit-gap-review",
    ),
    pytest.param(
        dict(industry="manufacturing_other", special_industry="rubber",
             capital_yen=500_000_000, regular_employees=901),
        "eligible", "midtier", "SIZE-MID", "pass", ["901人"],
        id="rubber-maker-901-employees-midtier",
    ),
    pytest.param(
        dict(industry="services", special_industry="software_it",
             capital_yen=400_000_000, regular_employees=300),
        "review", None, "SIZE-MID", "review", ["隙間", "4億円", "300人"],
        id="software-company-300-employees-400m-gap-review",
    ),
    pytest.param(
        dict(industry="services", special_industry="software_it",
             capital_yen=300_000_001, regular_employees=301),
        "eligible", "midtier", "SIZE-MID", "pass", ["300,000,001円", "301人"],
        id="software-company-outside-seirei-limits-midtier",
    ),
    pytest.param(
        dict(industry="services", special_industry="software_it",
             capital_yen=50_000_000, regular_employees=250),
        "eligible", "sme", "SIZE-SME", "pass", ["第3号", "5,000万円"],
        id="software-company-sme-under-basic-law-no-gap",
    ),
    pytest.param(
        dict(industry="services", special_industry="software_it",
             capital_yen=100_000_000, regular_employees=2_001),
        "ineligible", None, "SIZE-MID", "fail", ["2,001人"],
        id="software-company-2001-employees-fails-midtier-not-gap",
    ),
    pytest.param(
        dict(industry="services", special_industry="ryokan",
             capital_yen=100_000_000, regular_employees=201),
        "eligible", "midtier", "SIZE-MID", "pass", ["201人"],
        id="ryokan-201-employees-midtier",
    ),
    pytest.param(
        dict(legal_form="individual", industry="services", special_industry="ryokan",
             capital_yen=None, regular_employees=150),
        "ineligible", None, "SIZE-MID", "fail", ["個人事業主", "150人", "会社に限られる"],
        id="individual-ryokan-150-fails-midtier-needs-company",
    ),
    pytest.param(
        dict(legal_form="individual", industry="retail", capital_yen=None, regular_employees=50),
        "eligible", "sme", "SIZE-SME", "pass",
        ["III.1(1)①", "中小企業基本法第2条第1項第4号", "個人事業主", "50人"],
        id="individual-retailer-50-sme",
    ),
    pytest.param(
        dict(legal_form="individual", industry="retail", capital_yen=None, regular_employees=51),
        "ineligible", None, "SIZE-MID", "fail",
        ["III.1(1)②", "中小企業基本法第2条第1項第4号", "個人事業主", "51人", "会社に限られる"],
        id="individual-retailer-51-ineligible",
    ),
    pytest.param(
        dict(legal_form="individual", industry="retail", capital_yen=HUGE_CAPITAL,
             regular_employees=50),
        "eligible", "sme", "SIZE-SME", "pass", ["50人"],
        id="individual-capital-is-ignored",
    ),
    pytest.param(
        dict(industry="manufacturing_other", capital_yen=HUGE_CAPITAL, regular_employees=2_000),
        "eligible", "midtier", "SIZE-MID", "pass", ["2,000人", "100億円"],
        id="company-2000-employees-not-sme-midtier",
    ),
    pytest.param(
        dict(industry="manufacturing_other", capital_yen=HUGE_CAPITAL, regular_employees=2_001),
        "ineligible", None, "SIZE-MID", "fail", ["III.1(1)②", "2,001人", "2,000人以下の会社"],
        id="company-2001-employees-ineligible",
    ),
    pytest.param(
        dict(legal_form="group", group_members_all_sme=True),
        "eligible", "sme", "SIZE-SME", "pass", ["III.1(1)①", "グループ", "中小企業基本法"],
        id="group-all-sme",
    ),
    pytest.param(
        dict(legal_form="group", group_members_all_sme=False),
        "review", None, "SIZE-SME", "review", ["グループ", "でない者が含まれる"],
        id="group-not-all-sme-review",
    ),
    pytest.param(
        dict(legal_form="group", group_members_all_sme=None),
        "review", None, "SIZE-SME", "review", ["グループ", "申告されていません"],
        id="group-members-unknown-review",
    ),
    pytest.param(
        dict(legal_form="other", capital_yen=3_000_000, regular_employees=5),
        "review", None, "SIZE-SME", "review", ["その他の法人・団体", "300万円", "5人"],
        id="other-legal-form-review",
    ),
    pytest.param(
        dict(industry="wholesale", capital_yen=None, regular_employees=100),
        "eligible", "sme", "SIZE-SME", "pass", ["100人", "従業員数の基準"],
        id="company-capital-unknown-employees-within-sme",
    ),
    pytest.param(
        dict(industry="wholesale", capital_yen=None, regular_employees=101),
        "review", None, "SIZE-SME", "review", ["資本金", "入力されていない", "101人"],
        id="company-capital-unknown-employees-over-review",
    ),
]


@pytest.mark.parametrize(
    "kwargs, outcome, size_category, rule_id, rule_outcome, fragments", SIZE_CASES
)
def test_size(kwargs, outcome, size_category, rule_id, rule_outcome, fragments):
    result = evaluate(EligibilityFacts(**kwargs))

    assert result.outcome == outcome
    assert result.size_category == size_category
    finding = size_finding(result)
    assert (finding.rule_id, finding.outcome) == (rule_id, rule_outcome)
    assert set(result.rule_ids) == {rule_id} | COMMON_RULE_IDS | EXPORT_RULE_IDS
    assert_mentions(finding.message, *fragments)


def _boundary_cases():
    for industry, (item, capital, employees) in BASIC_LAW.items():
        clause = f"中小企業基本法第2条第1項第{item}号"
        company_rows = [
            ("capital-minus-1", capital - 1, employees + 1, "sme"),
            ("capital-at-limit", capital, employees + 1, "sme"),
            ("capital-plus-1", capital + 1, employees + 1, "midtier"),
            ("employees-minus-1", capital + 1, employees - 1, "sme"),
            ("employees-at-limit", capital + 1, employees, "sme"),
            ("employees-plus-1", capital + 1, employees + 1, "midtier"),
        ]
        for name, cap, emp, category in company_rows:
            yield pytest.param(
                "company", industry, cap, emp, category, clause, id=f"{industry}-company-{name}"
            )
        for name, emp, category in [
            ("employees-minus-1", employees - 1, "sme"),
            ("employees-at-limit", employees, "sme"),
            ("employees-plus-1", employees + 1, None),
        ]:
            yield pytest.param(
                "individual", industry, None, emp, category, clause,
                id=f"{industry}-individual-{name}",
            )


@pytest.mark.parametrize(
    "legal_form, industry, capital, employees, size_category, clause", list(_boundary_cases())
)
def test_basic_law_boundaries(legal_form, industry, capital, employees, size_category, clause):
    facts = EligibilityFacts(
        legal_form=legal_form, industry=industry, capital_yen=capital, regular_employees=employees
    )
    result = evaluate(facts)

    assert result.size_category == size_category
    assert result.outcome == ("ineligible" if size_category is None else "eligible")
    finding = size_finding(result)
    expected_rule = "SIZE-SME" if size_category == "sme" else "SIZE-MID"
    expected_outcome = "fail" if size_category is None else "pass"
    assert (finding.rule_id, finding.outcome) == (expected_rule, expected_outcome)
    assert_mentions(finding.message, clause, f"{employees:,}人")
    if capital is not None:
        assert_mentions(finding.message, format_yen(capital))


def test_no_size_sme_fail_is_ever_emitted_for_a_midtier_company():
    result = evaluate(EligibilityFacts(capital_yen=HUGE_CAPITAL, regular_employees=1_000))
    assert "SIZE-SME" not in result.rule_ids
    assert result.blocking_findings == []


# --- Consulting exclusion, III.1(1) ※ ------------------------------------------------------


@pytest.mark.parametrize(
    "consulting, project_is_consulting, rule_outcome, outcome",
    [
        pytest.param(False, False, "pass", "eligible", id="not-consulting"),
        pytest.param(False, True, "pass", "eligible", id="not-consulting-flag-ignored"),
        pytest.param(True, True, "fail", "ineligible", id="consulting-base-or-license"),
        pytest.param(True, False, "review", "review", id="consulting-other-project"),
    ],
)
def test_consulting_exclusion(consulting, project_is_consulting, rule_outcome, outcome):
    result = evaluate(
        EligibilityFacts(
            consulting_business=consulting,
            project_is_consulting_base_or_license=project_is_consulting,
        )
    )
    finding = only(result, "SIZE-EXCL-CONSULT")
    assert finding.outcome == rule_outcome
    assert result.outcome == outcome
    assert_mentions(finding.message, "III.1(1)※", "コンサルティング")


# --- Declarations and simple requirements ---------------------------------------------------

# (field set to the bad value, rule, clause, project type)
DECLARATION_CASES = [
    pytest.param("declares_no_legal_violation", False, "COMP-LAW", "III.1(2)①", "export",
                 id="comp-law"),
    pytest.param("declares_no_subsidy_violation", False, "COMP-SUBSIDY", "III.1(2)②", "export",
                 id="comp-subsidy"),
    pytest.param("declares_not_antisocial", False, "COMP-ANTISOCIAL", "III.1(2)③", "export",
                 id="comp-antisocial"),
    pytest.param("consents_to_reporting", False, "REPORT-CONSENT", "III.1(4)", "export",
                 id="report-consent"),
    pytest.param("product_exists", False, "EXP-PRODUCT-EXISTS", "III.3(1)①", "export",
                 id="exp-product-exists"),
    pytest.param("aims_export_or_agent_contract", False, "EXP-AIM", "III.3(1)③", "export",
                 id="exp-aim"),
    pytest.param("product_legal", False, "EXP-LEGAL", "III.3(1)④", "export", id="exp-legal"),
    pytest.param("management_approved", False, "EXP-MGMT-APPROVAL", "III.3(1)⑤", "export",
                 id="exp-mgmt-approval"),
    pytest.param("b2b", False, "EXP-B2B", "III.3(1)⑥", "export", id="exp-b2b"),
    pytest.param("aims_local_entity", False, "BASE-AIM", "III.3(2)①", "overseas_base",
                 id="base-aim"),
    pytest.param("base_operation_started", True, "BASE-NOT-STARTED", "III.3(2)②",
                 "overseas_base", id="base-not-started"),
    pytest.param("complies_local_law", False, "BASE-LOCAL-LAW", "III.3(2)③", "overseas_base",
                 id="base-local-law"),
    pytest.param("management_approved", False, "BASE-MGMT-APPROVAL", "III.3(2)④",
                 "overseas_base", id="base-mgmt-approval"),
    pytest.param("parallel_human_support", True, "PROJ-NO-PARALLEL", "III.3※", "export",
                 id="proj-no-parallel"),
]


@pytest.mark.parametrize("field_name, bad_value, rule_id, clause, project_type",
                         DECLARATION_CASES)
def test_requirement_passes_by_default(field_name, bad_value, rule_id, clause, project_type):
    result = evaluate(EligibilityFacts(project_type=project_type))
    finding = only(result, rule_id)
    assert finding.outcome == "pass"
    assert finding.message.startswith(clause)
    assert result.outcome == "eligible"


@pytest.mark.parametrize("field_name, bad_value, rule_id, clause, project_type",
                         DECLARATION_CASES)
def test_requirement_fails(field_name, bad_value, rule_id, clause, project_type):
    result = evaluate(EligibilityFacts(project_type=project_type, **{field_name: bad_value}))
    finding = only(result, rule_id)
    assert finding.outcome == "fail"
    assert finding.message.startswith(clause)
    assert result.outcome == "ineligible"
    assert result.blocking_findings == [finding]
    assert result.size_category == "sme"  # size is still reported


def test_approved_consortium_specialist_is_the_parallel_support_exception():
    result = evaluate(
        EligibilityFacts(
            parallel_human_support=True, parallel_support_is_approved_consortium_specialist=True
        )
    )
    finding = only(result, "PROJ-NO-PARALLEL")
    assert finding.outcome == "pass"
    assert_mentions(finding.message, "ジェトロの承認", "コンソーシアム")
    assert result.outcome == "eligible"


@pytest.mark.parametrize(
    "procures, permission, expected",
    [
        pytest.param(False, False, None, id="not-procuring-no-finding"),
        pytest.param(True, True, "pass", id="procuring-with-permission"),
        pytest.param(True, False, "fail", id="procuring-without-permission"),
    ],
)
def test_supplier_permission(procures, permission, expected):
    result = evaluate(
        EligibilityFacts(
            procures_domestically_for_export=procures,
            supplier_permission=permission,
            target_countries=["VN"],
        )
    )
    finding = result.finding_for("EXP-SUPPLIER-PERMISSION")
    if expected is None:
        assert finding is None
        return
    assert finding.outcome == expected
    assert_mentions(finding.message, "III.3(1)②", "調達元", "VN")
    assert result.outcome == ("eligible" if expected == "pass" else "ineligible")


def test_supplier_permission_does_not_apply_to_overseas_base():
    facts = EligibilityFacts(
        project_type="overseas_base", procures_domestically_for_export=True,
        supplier_permission=False,
    )
    assert evaluate(facts).finding_for("EXP-SUPPLIER-PERMISSION") is None


# --- 原則 exclusions, III.3 -------------------------------------------------------------


@pytest.mark.parametrize(
    "field_name, rule_id, fragment",
    [
        pytest.param("continuous_export_to_target", "PROJ-EXCL-EXPORTING", "継続的な輸出",
                     id="exporting"),
        pytest.param("local_base_in_target", "PROJ-EXCL-LOCALBASE", "現地事業拠点",
                     id="local-base"),
    ],
)
@pytest.mark.parametrize("project_type", ["export", "overseas_base"])
def test_in_principle_exclusions_need_review(field_name, rule_id, fragment, project_type):
    result = evaluate(
        EligibilityFacts(project_type=project_type, target_countries=["TH"], **{field_name: True})
    )
    finding = only(result, rule_id)
    assert finding.outcome == "review"
    assert_mentions(finding.message, "III.3", fragment, "原則", "TH")
    assert result.outcome == "review"
    assert result.review_findings == [finding]


# --- Target countries, III.4 ------------------------------------------------------------


@pytest.mark.parametrize(
    "countries, us_tariff, expected, fragments",
    [
        pytest.param(["US"], False, "pass", ["1か国・地域", "US"], id="one"),
        pytest.param(["vn"], False, "pass", ["VN"], id="lower-case-normalised"),
        pytest.param(["ＵＳ"], False, "pass", ["US"], id="full-width-normalised"),
        pytest.param([" th "], False, "pass", ["TH"], id="whitespace-trimmed"),
        pytest.param(["CN", "VN"], False, "pass", ["1. CN", "2. VN"], id="two-ranked"),
        pytest.param(["CN", "US", "VN"], True, "pass", ["米国関税措置", "1. CN", "2. US", "3. VN"],
                     id="three-with-us-for-tariff"),
        pytest.param(["CN", "VN", "TH"], True, "fail", ["米国（US）が含まれていません"],
                     id="three-without-us"),
        pytest.param(["CN", "VN", "TH"], False, "fail", ["米国（US）が含まれていません"],
                     id="three-without-us-or-tariff"),
        pytest.param(["US", "CN", "VN"], False, "fail", ["対応策である旨の申告がありません"],
                     id="three-with-us-but-no-tariff-response"),
        pytest.param(["US", "CN", "VN", "TH"], True, "fail", ["4か国・地域", "3か国・地域まで"],
                     id="four"),
        pytest.param(["JP"], False, "fail", ["日本（JP）"], id="japan"),
        pytest.param(["US", "jp"], False, "fail", ["日本（JP）"], id="japan-lower-case"),
        pytest.param(["US", "US"], False, "fail", ["「US」が重複"], id="duplicate"),
        pytest.param(["US", "us"], False, "fail", ["「US」が重複"],
                     id="duplicate-after-normalising"),
        pytest.param([], False, "fail", ["選択されていません"], id="none"),
        pytest.param(["USA"], False, "fail", ["「USA」", "ISO 3166-1"], id="three-letters"),
        pytest.param(["U1"], False, "fail", ["「U1」"], id="digit"),
        pytest.param([""], False, "fail", ["「」"], id="empty-code"),
    ],
)
def test_country_count(countries, us_tariff, expected, fragments):
    result = evaluate(EligibilityFacts(target_countries=countries, us_tariff_response=us_tariff))
    finding = only(result, "COUNTRY-COUNT")
    assert finding.outcome == expected
    assert finding.message.startswith("III.4(1)")
    assert_mentions(finding.message, *fragments)
    assert result.outcome == ("eligible" if expected == "pass" else "ineligible")


# --- Which rules apply ------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        pytest.param({}, {"SIZE-SME"} | COMMON_RULE_IDS | EXPORT_RULE_IDS, id="export"),
        pytest.param(
            {"procures_domestically_for_export": True, "supplier_permission": True},
            {"SIZE-SME", "EXP-SUPPLIER-PERMISSION"} | COMMON_RULE_IDS | EXPORT_RULE_IDS,
            id="export-procuring",
        ),
        pytest.param(
            {"project_type": "overseas_base"},
            {"SIZE-SME"} | COMMON_RULE_IDS | BASE_RULE_IDS,
            id="overseas-base",
        ),
        pytest.param(
            # Export facts are ignored for a base project, even when "bad".
            {"project_type": "overseas_base", "product_exists": False, "b2b": False},
            {"SIZE-SME"} | COMMON_RULE_IDS | BASE_RULE_IDS,
            id="overseas-base-ignores-export-facts",
        ),
        pytest.param(
            {"aims_local_entity": False, "base_operation_started": True},
            {"SIZE-SME"} | COMMON_RULE_IDS | EXPORT_RULE_IDS,
            id="export-ignores-base-facts",
        ),
    ],
)
def test_rule_set_depends_on_project_type(kwargs, expected):
    result = evaluate(EligibilityFacts(**kwargs))
    assert set(result.rule_ids) == expected
    assert len(result.rule_ids) == len(expected)  # one finding per rule
    assert result.outcome == "eligible"


def test_engine_rule_ids_and_staff_judgement_rules_are_disjoint():
    assert not ENGINE_RULE_IDS & set(STAFF_JUDGEMENT_RULES)
    assert set(STAFF_JUDGEMENT_RULES) == {"PROJ-EXCL-NOPROSPECT", "COUNTRY-LIMITED"}


def test_several_failures_are_all_reported():
    result = evaluate(
        EligibilityFacts(
            legal_form="individual", industry="retail", regular_employees=60,
            declares_not_antisocial=False, target_countries=["JP"],
            continuous_export_to_target=True,
        )
    )
    assert result.outcome == "ineligible"
    assert {f.rule_id for f in result.blocking_findings} == {
        "SIZE-MID", "COMP-ANTISOCIAL", "COUNTRY-COUNT"
    }
    assert [f.rule_id for f in result.review_findings] == ["PROJ-EXCL-EXPORTING"]


# --- Result object ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "outcomes, expected",
    [
        pytest.param([], "eligible", id="no-findings"),
        pytest.param(["pass", "pass"], "eligible", id="all-pass"),
        pytest.param(["pass", "review"], "review", id="one-review"),
        pytest.param(["review", "fail", "pass"], "ineligible", id="fail-wins"),
    ],
)
def test_combine_outcomes(outcomes, expected):
    findings = [Finding("COMP-LAW", outcome, "…") for outcome in outcomes]
    assert combine_outcomes(findings) == expected
    assert EligibilityResult(findings=findings).outcome == expected


def test_result_round_trips_through_json():
    result = evaluate(EligibilityFacts(industry="retail", capital_yen=60_000_000,
                                       regular_employees=60, continuous_export_to_target=True))
    stored = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))

    assert stored["outcome"] == "review"
    assert stored["size_category"] == "midtier"
    assert stored["rules_version"] == RULES_VERSION == "2026.1"
    assert EligibilityResult.from_dict(stored) == result


def test_result_from_dict_rejects_an_outcome_that_contradicts_the_findings():
    stored = evaluate(EligibilityFacts(b2b=False)).to_dict()
    stored["outcome"] = "eligible"
    with pytest.raises(ValueError):
        EligibilityResult.from_dict(stored)


def test_facts_round_trip_through_json():
    facts = EligibilityFacts(legal_form="group", group_members_all_sme=True,
                             target_countries=["US", "CN", "VN"], us_tariff_response=True)
    stored = json.loads(json.dumps(facts.to_dict()))
    assert EligibilityFacts.from_dict(stored) == facts


def test_facts_from_dict_rejects_unknown_keys():
    with pytest.raises(ValueError, match="unknown"):
        EligibilityFacts.from_dict({"legal_form": "company", "capitol": 1})


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"legal_form": "kabushiki"}, id="unknown-legal-form"),
        pytest.param({"industry": "service"}, id="unknown-industry"),
        pytest.param({"special_industry": "software"}, id="unknown-special-industry"),
        pytest.param({"project_type": "import"}, id="unknown-project-type"),
        pytest.param({"regular_employees": -1}, id="negative-employees"),
        pytest.param({"regular_employees": True}, id="bool-employees"),
        pytest.param({"capital_yen": -1}, id="negative-capital"),
        pytest.param({"capital_yen": 1.5}, id="float-capital"),
        pytest.param({"target_countries": "US"}, id="countries-as-string"),
        pytest.param({"target_countries": ["US", 1]}, id="country-not-a-string"),
        pytest.param({"b2b": "yes"}, id="non-bool-flag"),
        pytest.param({"group_members_all_sme": 1}, id="non-bool-group-flag"),
    ],
)
def test_facts_reject_invalid_values(kwargs):
    with pytest.raises(ValueError):
        EligibilityFacts(**kwargs)


def test_facts_copy_the_country_list():
    countries = ["US"]
    facts = EligibilityFacts(target_countries=countries)
    countries.append("JP")
    assert facts.target_countries == ["US"]


def test_default_facts_describe_an_eligible_sme_export_project():
    facts = EligibilityFacts()
    assert (facts.legal_form, facts.industry, facts.project_type) == (
        "company", "manufacturing_other", "export"
    )
    result = evaluate(facts)
    assert (result.outcome, result.size_category) == ("eligible", "sme")


@pytest.mark.parametrize(
    "amount, text",
    [
        pytest.param(0, "0円", id="zero"),
        pytest.param(1, "1円", id="one"),
        pytest.param(3_000_000, "300万円", id="man"),
        pytest.param(50_000_000, "5,000万円", id="5000-man"),
        pytest.param(50_000_001, "50,000,001円", id="not-round"),
        pytest.param(100_000_000, "1億円", id="oku"),
        pytest.param(150_000_000, "1億5,000万円", id="oku-and-man"),
        pytest.param(300_000_000, "3億円", id="3-oku"),
        pytest.param(2_000_000_000_000, "2兆円", id="cho"),
    ],
)
def test_format_yen(amount, text):
    assert format_yen(amount) == text


@pytest.mark.parametrize(
    "labels, keys",
    [
        pytest.param(LEGAL_FORM_LABELS, {"company", "individual", "group", "other"},
                     id="legal-form"),
        pytest.param(INDUSTRY_LABELS, {"manufacturing_other", "wholesale", "services", "retail"},
                     id="industry"),
        pytest.param(SPECIAL_INDUSTRY_LABELS, {"rubber", "software_it", "ryokan"},
                     id="special-industry"),
        pytest.param(PROJECT_TYPE_LABELS, {"export", "overseas_base"}, id="project-type"),
    ],
)
def test_labels_cover_every_choice(labels, keys):
    assert set(labels) == keys
    assert all(labels.values())
