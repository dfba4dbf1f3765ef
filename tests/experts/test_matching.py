"""V.1(2)③ matching: ranking, reasons, exclusions and the keyword mapping (pure, no DB)."""

import pytest

from applications.countries import COUNTRY_NAMES
from experts.enums import Region
from experts.matching import (
    DESIRED_SUPPORT_KEYWORDS,
    WEIGHTS,
    ExpertSnapshot,
    desired_fields_from,
    rank_candidates,
)
from experts.regions import COUNTRY_REGION, region_of

MFG = "manufacturing_other"


def snap(expert_id, *, name=None, kana=None, **kwargs) -> ExpertSnapshot:
    return ExpertSnapshot(expert_id=expert_id, name=name or f"専門家{expert_id}",
                          name_kana=kana or f"センモンカ{expert_id:02d}", **kwargs)


def rank(experts, *, countries=("US", "VN"), industry=MFG,
         fields=("export_channels", "marketing"), interview=None, conflicts=(), current=None):
    return rank_candidates(target_countries=list(countries), industry=industry,
                           desired_fields=list(fields), experts=experts,
                           interview_candidate_id=interview,
                           conflicted_expert_ids=set(conflicts), current_expert_id=current)


def test_weights_are_the_documented_ones():
    assert (WEIGHTS.first_country, WEIGHTS.other_country, WEIGHTS.first_region,
            WEIGHTS.industry, WEIGHTS.field, WEIGHTS.field_cap, WEIGHTS.headroom,
            WEIGHTS.interview_candidate) == (40, 15, 10, 15, 10, 20, 10, 15)


def test_ranks_and_explains_a_registry():
    experts = [
        snap(1, countries=("US",), industries=(MFG,), fields=("export_channels",), load=2),
        snap(2, countries=("VN",), regions=("north_america",),
             fields=("export_channels", "marketing", "ecommerce"), capacity=4),
        snap(3, load=4),
        snap(4, countries=("US", "VN"), load=1),
        snap(5, countries=("US",), is_active=False, kana="ア"),
        snap(6, countries=("US",), kana="イ"),
        snap(7, countries=("US",), load=5, kana="ウ"),
        snap(8, countries=("US",), is_active=False, kana="エ"),
    ]
    result = rank(experts, interview=3, conflicts={6, 8})
    assert [(c.expert_id, c.score, c.reasons, c.excluded) for c in result] == [
        (1, 71, ["第1希望の対象国（米国）に対応", "業種（製造業・建設業・運輸業・その他）の支援実績",
                 "希望する支援（輸出・販路開拓）に対応", "担当数 2/5 件で余裕あり"], None),
        (4, 63, ["第1希望の対象国（米国）に対応", "第2希望の対象国（ベトナム）に対応",
                 "担当数 1/5 件で余裕あり"], None),
        (2, 55, ["第2希望の対象国（ベトナム）に対応", "第1希望の国の地域（北米）を担当",
                 "希望する支援（輸出・販路開拓、マーケティング・ブランディング）に対応",
                 "担当数 0/4 件で余裕あり"], None),
        (3, 17, ["担当数 4/5 件（残り1件）", "面談審査の専門家候補"], None),
        # excluded, after the ranked ones, by フリガナ; a conflict outranks inactivity
        (5, 0, [], "稼働していません"),
        (6, 0, [], "利益相反の申告あり"),
        (7, 0, [], "担当数が上限に達しています（5/5件）"),
        (8, 0, [], "利益相反の申告あり"),
    ]


@pytest.mark.parametrize(("expert", "countries", "score", "reasons"), [
    # the first country beats the region: no extra 10 points when both are listed
    (snap(1, countries=("US",), regions=("north_america",)), ["US"], 50,
     ["第1希望の対象国（米国）に対応", "担当数 0/5 件で余裕あり"]),
    (snap(1, regions=("north_america",)), ["US"], 20,
     ["第1希望の国の地域（北米）を担当", "担当数 0/5 件で余裕あり"]),
    # the region counts for the first country only
    (snap(1, regions=("asean",)), ["US", "VN"], 10, ["担当数 0/5 件で余裕あり"]),
    (snap(1, countries=("VN",)), ["US", "CN", "VN"], 25,
     ["第3希望の対象国（ベトナム）に対応", "担当数 0/5 件で余裕あり"]),
    (snap(1, countries=("CN", "VN")), ["US", "CN", "VN"], 40,
     ["第2希望の対象国（中国）に対応", "第3希望の対象国（ベトナム）に対応", "担当数 0/5 件で余裕あり"]),
    (snap(1, regions=("china",)), ["MN"], 20,
     ["第1希望の国の地域（中国・香港・台湾）を担当", "担当数 0/5 件で余裕あり"]),
    (snap(1), [], 10, ["担当数 0/5 件で余裕あり"]),
])
def test_countries_and_regions(expert, countries, score, reasons):
    [candidate] = rank([expert], countries=countries, industry="", fields=())
    assert (candidate.score, candidate.reasons) == (score, reasons)


@pytest.mark.parametrize(("industry", "industries", "points", "reason"), [
    (MFG, (MFG, "retail"), 15, "業種（製造業・建設業・運輸業・その他）の支援実績"),
    ("retail", ("retail",), 15, "業種（小売業（飲食店を含む））の支援実績"),
    ("services", (MFG,), 0, None),
    ("", (MFG,), 0, None),
])
def test_industry(industry, industries, points, reason):
    [candidate] = rank([snap(1, industries=industries, load=5, capacity=10)], countries=(),
                       industry=industry, fields=())
    assert candidate.score == points + 5
    assert candidate.reasons == ([reason] if reason else []) + ["担当数 5/10 件で余裕あり"]


@pytest.mark.parametrize(("desired", "offered", "points", "reason"), [
    (["export_channels"], ("export_channels", "legal_tax"), 10, "希望する支援（輸出・販路開拓）に対応"),
    (["export_channels", "legal_tax"], ("legal_tax", "export_channels"), 20,
     "希望する支援（輸出・販路開拓、法務・税務）に対応"),
    # at most 20 points, however many fields match; every matched field is named
    (["export_channels", "legal_tax", "marketing"], ("export_channels", "legal_tax", "marketing"),
     20, "希望する支援（輸出・販路開拓、法務・税務、マーケティング・ブランディング）に対応"),
    (["ecommerce"], ("export_channels",), 0, None),
    ([], ("export_channels",), 0, None),
])
def test_desired_fields(desired, offered, points, reason):
    [candidate] = rank([snap(1, fields=offered, load=9, capacity=10)], countries=(),
                       industry="", fields=desired)
    assert candidate.score == points + 1
    assert candidate.reasons == ([reason] if reason else []) + ["担当数 9/10 件（残り1件）"]


@pytest.mark.parametrize(("load", "capacity", "points", "reason"), [
    (0, 5, 10, "担当数 0/5 件で余裕あり"),
    (2, 5, 6, "担当数 2/5 件で余裕あり"),
    (3, 5, 4, "担当数 3/5 件（残り2件）"),
    (4, 5, 2, "担当数 4/5 件（残り1件）"),
    (1, 2, 5, "担当数 1/2 件で余裕あり"),
    (9, 10, 1, "担当数 9/10 件（残り1件）"),
])
def test_load_headroom(load, capacity, points, reason):
    [candidate] = rank([snap(1, load=load, capacity=capacity)], countries=(), industry="",
                       fields=())
    assert (candidate.score, candidate.reasons, candidate.excluded) == (points, [reason], None)


@pytest.mark.parametrize(("kwargs", "why"), [
    ({"load": 5, "capacity": 5}, "担当数が上限に達しています（5/5件）"),
    ({"load": 6, "capacity": 5}, "担当数が上限に達しています（6/5件）"),
    ({"load": 0, "capacity": 0}, "担当数が上限に達しています（0/0件）"),
    ({"is_active": False}, "稼働していません"),
    ({"is_active": False, "load": 5}, "稼働していません"),
])
def test_exclusions(kwargs, why):
    [candidate] = rank([snap(1, countries=("US",), **kwargs)])
    assert (candidate.excluded, candidate.score, candidate.reasons) == (why, 0, [])


def test_conflict_excludes_even_the_interview_candidate():
    [candidate] = rank([snap(1, countries=("US",))], interview=1, conflicts={1})
    assert candidate.excluded == "利益相反の申告あり"


def test_the_current_expert_is_excluded_for_a_replacement():
    result = rank([snap(1, countries=("US",)), snap(2)], current=1)
    assert [(c.expert_id, c.excluded) for c in result] == [(2, None), (1, "現在の担当専門家です")]


def test_interview_candidate_bonus():
    with_bonus, without = rank([snap(1), snap(2)], countries=(), industry="", fields=(),
                               interview=2)
    assert (with_bonus.expert_id, with_bonus.score) == (2, 25)
    assert with_bonus.reasons == ["担当数 0/5 件で余裕あり", "面談審査の専門家候補"]
    assert (without.expert_id, without.score) == (1, 10)


def test_ties_fewer_assignments_first_then_kana_then_id():
    experts = [
        snap(1, kana="カ", load=5, capacity=10),  # 5 points, load 5
        snap(2, kana="ア", load=1, capacity=2),   # 5 points, load 1
        snap(3, kana="サ", load=1, capacity=2),   # 5 points, load 1, later kana
        snap(5, kana="サ", load=1, capacity=2),
        snap(4, kana="サ", load=1, capacity=2),
    ]
    result = rank(experts, countries=(), industry="", fields=())
    assert [(c.expert_id, c.score) for c in result] == [(2, 5), (3, 5), (4, 5), (5, 5), (1, 5)]


def test_duplicated_desired_fields_count_once():
    [candidate] = rank([snap(1, fields=("marketing",), load=5, capacity=10)], countries=(),
                       industry="", fields=("marketing", "marketing"))
    assert candidate.score == 15


# -- desired support: keywords → ExpertiseField ----------------------------------------------

@pytest.mark.parametrize(("text", "project_type", "fields"), [
    ("米国での販路開拓と代理店探しを支援してほしい。", "export", ["export_channels"]),
    ("輸出先のバイヤーとの商談", "export", ["export_channels"]),
    ("現地法人の設立と税務の相談", "export", ["local_incorporation", "legal_tax"]),
    ("ベトナムに工場（製造拠点）を設けたい", "export", ["manufacturing_base"]),
    ("生産拠点の候補地選び", "export", ["manufacturing_base"]),
    ("食品表示とハラール認証への対応", "export", ["food_regulation"]),
    ("FDA登録", "export", ["food_regulation"]),
    ("越境ＥＣ（通販サイト）で販売したい", "export", ["ecommerce"]),
    ("ｅコマースの立ち上げ", "export", ["ecommerce"]),
    ("ECサイトと現地代理店", "export", ["export_channels", "ecommerce"]),
    ("TECH系の企業との協業", "export", []),
    ("エクアドル(ECUADOR)向け", "export", []),
    # 代理店契約 is the export goal itself (EXP-AIM), not legal work …
    ("現地代理店契約を目指す", "export", ["export_channels"]),
    ("販売店契約の締結", "export", ["export_channels"]),
    # … but other contracts are
    ("販売契約書のレビューと商標登録", "export", ["legal_tax"]),
    ("法務の助言", "export", ["legal_tax"]),
    ("ブランド戦略とSNSでのプロモーション", "export", ["marketing"]),
    ("マーケティング調査", "export", ["marketing"]),
    ("技術ライセンスの供与", "export", ["licensing"]),
    ("技術提携先の発掘", "export", ["licensing"]),
    ("輸出規制の確認", "export", ["export_channels", "food_regulation"]),
    ("", "export", []),
    (None, "export", []),
    ("相談したい", "", []),
    # an overseas base project always wants local incorporation (III.3(2))
    ("", "overseas_base", ["local_incorporation"]),
    ("販路開拓", "overseas_base", ["export_channels", "local_incorporation"]),
    ("子会社の設立", "overseas_base", ["local_incorporation"]),
    # every field, in ExpertiseField order
    ("ライセンス、ブランド、契約、EC、認証、工場、法人設立、販路", "export",
     ["export_channels", "local_incorporation", "manufacturing_base", "food_regulation",
      "ecommerce", "legal_tax", "marketing", "licensing"]),
])
def test_desired_fields_from_text(text, project_type, fields):
    assert desired_fields_from(text, project_type) == fields


def test_every_field_has_keywords():
    from experts.enums import ExpertiseField

    assert set(DESIRED_SUPPORT_KEYWORDS) == set(ExpertiseField)


# -- countries → regions ----------------------------------------------------------------------

def test_every_target_country_has_a_valid_region():
    assert set(COUNTRY_NAMES) == set(COUNTRY_REGION)
    assert set(COUNTRY_REGION.values()) == set(Region.values)


@pytest.mark.parametrize(("country", "region"), [
    ("US", "north_america"), ("BR", "latin_america"), ("DE", "europe"), ("RU", "europe"),
    ("TW", "china"), ("MN", "china"), ("KR", "korea"), ("VN", "asean"), ("IN", "south_asia"),
    ("TR", "middle_east_africa"), ("KE", "middle_east_africa"), ("AU", "oceania"),
    ("JP", None), ("XX", None),
])
def test_region_of(country, region):
    assert region_of(country) == region
