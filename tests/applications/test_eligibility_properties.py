"""Property-based tests of the eligibility engine (hypothesis).

Definitions used below:

* The *size outcome* of a result is the overall outcome computed from its size findings alone
  (rule IDs SIZE-SME and SIZE-MID): `combine_outcomes` over those findings.
* *Raising* facts means adding a non-negative amount to capital_yen and/or regular_employees,
  every other fact held fixed (capital_yen must be a number, not None, to be raised).

Monotonicity then reads: a size outcome of "ineligible" stays "ineligible" when the facts are
raised (so in particular it never becomes "eligible"), and a result that is not "sme" never
becomes "sme" when raised. (A "review" may become "eligible": raising a software company past
the 政令 limits takes it out of the gap and into 中堅企業, as the law says.)
"""

import json
from dataclasses import fields, replace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from applications.eligibility import (
    ENGINE_RULE_IDS,
    INDUSTRY_LABELS,
    LEGAL_FORM_LABELS,
    PROJECT_TYPE_LABELS,
    SPECIAL_INDUSTRY_LABELS,
    STAFF_JUDGEMENT_RULES,
    EligibilityFacts,
    EligibilityResult,
    combine_outcomes,
    evaluate,
    format_people,
    format_yen,
)

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, database=None)

# Every rule ID of shared/program/rules.md that a finding may carry, restated independently.
KNOWN_RULE_IDS = {
    "SIZE-SME",
    "SIZE-MID",
    "SIZE-EXCL-CONSULT",
    "COMP-LAW",
    "COMP-SUBSIDY",
    "COMP-ANTISOCIAL",
    "REPORT-CONSENT",
    "PROJ-GOAL",
    "PROJ-EXCL-EXPORTING",
    "PROJ-EXCL-LOCALBASE",
    "PROJ-EXCL-NOPROSPECT",
    "PROJ-NO-PARALLEL",
    "EXP-PRODUCT-EXISTS",
    "EXP-SUPPLIER-PERMISSION",
    "EXP-AIM",
    "EXP-LEGAL",
    "EXP-MGMT-APPROVAL",
    "EXP-B2B",
    "BASE-AIM",
    "BASE-NOT-STARTED",
    "BASE-LOCAL-LAW",
    "BASE-MGMT-APPROVAL",
    "COUNTRY-COUNT",
    "COUNTRY-LIMITED",
}
SIZE_RULE_IDS = {"SIZE-SME", "SIZE-MID"}
BOOL_FIELDS = [f.name for f in fields(EligibilityFacts) if f.type == "bool"]
DEFAULT_FACTS_FLAGS = {name: getattr(EligibilityFacts(), name) for name in BOOL_FIELDS}

# Values around every threshold in the law and the 政令, plus anything else.
CAPITAL_EDGES = [
    limit + delta for limit in (50_000_000, 100_000_000, 300_000_000) for delta in (-1, 0, 1)
]
EMPLOYEE_EDGES = [
    limit + delta for limit in (50, 100, 200, 300, 900, 2_000) for delta in (-1, 0, 1)
]
capitals = st.one_of(st.sampled_from(CAPITAL_EDGES), st.integers(0, 10**11))
employee_counts = st.one_of(st.sampled_from(EMPLOYEE_EDGES), st.integers(0, 10_000))
country_codes = st.sampled_from(["US", "us", "CN", "VN", "TH", "DE", "JP", "jp", "ＵＳ", "USA", ""])
country_lists = st.one_of(
    st.lists(st.sampled_from(["US", "CN", "VN", "TH", "DE"]), min_size=1, max_size=3, unique=True),
    st.lists(country_codes, max_size=5),
)


@st.composite
def all_facts(draw, legal_forms=tuple(LEGAL_FORM_LABELS), capital=None):
    capital = capital if capital is not None else st.one_of(st.none(), capitals)
    return EligibilityFacts(
        legal_form=draw(st.sampled_from(legal_forms)),
        industry=draw(st.sampled_from(list(INDUSTRY_LABELS))),
        capital_yen=draw(capital),
        regular_employees=draw(employee_counts),
        group_members_all_sme=draw(st.one_of(st.none(), st.booleans())),
        special_industry=draw(st.one_of(st.none(), st.sampled_from(list(SPECIAL_INDUSTRY_LABELS)))),
        project_type=draw(st.sampled_from(list(PROJECT_TYPE_LABELS))),
        target_countries=draw(country_lists),
        **flipped_flags(draw(st.sets(st.sampled_from(BOOL_FIELDS), max_size=4))),
    )


def flipped_flags(names: set[str]) -> dict[str, bool]:
    # Flipping a few defaults (rather than drawing every flag at random) keeps passing and
    # review-only results common; with ~20 random flags almost every result would fail.
    return {name: not DEFAULT_FACTS_FLAGS[name] for name in names}


sized_facts = all_facts(legal_forms=("company", "individual"), capital=capitals)


def size_outcome(result: EligibilityResult) -> str:
    return combine_outcomes(f for f in result.findings if f.rule_id in SIZE_RULE_IDS)


def raise_size(facts: EligibilityFacts, extra_capital: int, extra_employees: int):
    assert facts.capital_yen is not None
    return replace(
        facts,
        capital_yen=facts.capital_yen + extra_capital,
        regular_employees=facts.regular_employees + extra_employees,
    )


raises = st.one_of(st.just(0), st.integers(1, 3), st.integers(0, 10**10))
employee_raises = st.one_of(st.just(0), st.integers(1, 3), st.integers(0, 5_000))


@PROPERTY_SETTINGS
@given(facts=sized_facts, extra_capital=raises, extra_employees=employee_raises)
@example(
    facts=EligibilityFacts(legal_form="individual", industry="retail", regular_employees=51),
    extra_capital=0,
    extra_employees=1,
)
@example(
    facts=EligibilityFacts(capital_yen=300_000_001, regular_employees=2_001),
    extra_capital=10**9,
    extra_employees=0,
)
def test_raising_size_never_makes_an_ineligible_size_eligible(
    facts, extra_capital, extra_employees
):
    before = evaluate(facts)
    after = evaluate(raise_size(facts, extra_capital, extra_employees))
    if size_outcome(before) == "ineligible":
        assert size_outcome(after) == "ineligible"


@PROPERTY_SETTINGS
@given(facts=sized_facts, extra_capital=raises, extra_employees=employee_raises)
def test_raising_size_never_makes_an_entity_an_sme(facts, extra_capital, extra_employees):
    after = evaluate(raise_size(facts, extra_capital, extra_employees))
    if after.size_category == "sme":
        assert evaluate(facts).size_category == "sme"


@PROPERTY_SETTINGS
@given(facts=all_facts(legal_forms=("individual", "group")), other_capital=capitals)
def test_capital_does_not_matter_for_individuals_and_groups(facts, other_capital):
    assert evaluate(facts) == evaluate(replace(facts, capital_yen=other_capital))


@PROPERTY_SETTINGS
@given(facts=all_facts())
def test_outcome_is_consistent_with_findings(facts):
    result = evaluate(facts)
    outcomes = [finding.outcome for finding in result.findings]

    if "fail" in outcomes:
        assert result.outcome == "ineligible"
    elif "review" in outcomes:
        assert result.outcome == "review"
    else:
        assert result.outcome == "eligible"
    assert result.blocking_findings == [f for f in result.findings if f.outcome == "fail"]
    assert result.review_findings == [f for f in result.findings if f.outcome == "review"]


@PROPERTY_SETTINGS
@given(facts=all_facts())
def test_exactly_one_size_finding_matching_the_size_category(facts):
    result = evaluate(facts)
    size_findings = [f for f in result.findings if f.rule_id in SIZE_RULE_IDS]

    assert len(size_findings) == 1
    finding = size_findings[0]
    assert not (finding.rule_id == "SIZE-SME" and finding.outcome == "fail")
    expected_category = {
        ("SIZE-SME", "pass"): "sme",
        ("SIZE-MID", "pass"): "midtier",
    }.get((finding.rule_id, finding.outcome))
    assert result.size_category == expected_category


@PROPERTY_SETTINGS
@given(facts=all_facts())
def test_project_type_decides_which_project_rules_apply(facts):
    rule_ids = [finding.rule_id for finding in evaluate(facts).findings]
    prefixes = {rule_id.split("-")[0] for rule_id in rule_ids}

    if facts.project_type == "export":
        assert "BASE" not in prefixes
        assert "EXP" in prefixes
    else:
        assert "EXP" not in prefixes
        assert "BASE" in prefixes
    assert len(rule_ids) == len(set(rule_ids))  # one finding per rule


@PROPERTY_SETTINGS
@given(facts=all_facts())
def test_every_rule_id_is_known_and_never_a_staff_judgement(facts):
    for finding in evaluate(facts).findings:
        assert finding.rule_id in KNOWN_RULE_IDS
        assert finding.rule_id in ENGINE_RULE_IDS
        assert finding.rule_id not in STAFF_JUDGEMENT_RULES
        assert finding.outcome in {"pass", "fail", "review"}


def test_engine_rule_ids_are_rules_md_ids():
    assert ENGINE_RULE_IDS <= KNOWN_RULE_IDS


@PROPERTY_SETTINGS
@given(facts=all_facts())
def test_messages_name_a_clause_and_are_polite(facts):
    for finding in evaluate(facts).findings:
        assert finding.message.startswith("III."), finding
        assert finding.message.endswith("。"), finding
        assert any(polite in finding.message for polite in ("ます", "ません", "です")), finding


@PROPERTY_SETTINGS
@given(facts=sized_facts)
def test_size_messages_state_the_applicants_figures(facts):
    result = evaluate(facts)
    finding = next(f for f in result.findings if f.rule_id in SIZE_RULE_IDS)

    assert format_people(facts.regular_employees) in finding.message
    if facts.legal_form == "company":
        assert format_yen(facts.capital_yen) in finding.message


@PROPERTY_SETTINGS
@given(facts=all_facts())
def test_results_and_facts_round_trip_through_json(facts):
    result = evaluate(facts)
    stored_result = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    stored_facts = json.loads(json.dumps(facts.to_dict(), ensure_ascii=False))

    assert EligibilityResult.from_dict(stored_result) == result
    assert EligibilityFacts.from_dict(stored_facts) == facts
    assert stored_result["outcome"] == result.outcome
