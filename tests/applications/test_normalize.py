"""applications/normalize.py: 全角/半角, フリガナ, 法人番号 check digit, 郵便番号, phone, amounts."""

import pytest

from applications.normalize import (
    MAX_CAPITAL_YEN,
    InputError,
    corporate_number_check_digit,
    normalize_capital,
    normalize_corporate_number,
    normalize_email,
    normalize_employees,
    normalize_kana,
    normalize_phone,
    normalize_postal_code,
    normalize_text,
    to_katakana,
)


def error_of(func, value) -> str:
    with pytest.raises(InputError) as info:
        func(value)
    return info.value.message


@pytest.mark.parametrize(("raw", "expected"), [
    ("株式会社ＡＢＣ　１２３", "株式会社ABC 123"),
    ("ｶﾌﾞｼｷｶﾞｲｼｬ", "カブシキガイシャ"),
    ("  東京都\n港区  ", "東京都 港区"),
    ("", ""),
    (None, ""),
])
def test_normalize_text_nfkc_and_spaces(raw, expected):
    assert normalize_text(raw) == expected


def test_to_katakana_converts_hiragana_only():
    assert to_katakana("かぶしきがいしゃ ゔぁ ゝ ABC") == "カブシキガイシャ ヴァ ヽ ABC"


@pytest.mark.parametrize(("raw", "expected"), [
    ("カブシキガイシャ　ジェトロ", "カブシキガイシャ　ジェトロ"),
    ("かぶしきがいしゃ じぇとろ", "カブシキガイシャ　ジェトロ"),
    ("ｶﾌﾞｼｷｶﾞｲｼｬ ｼﾞｪﾄﾛ", "カブシキガイシャ　ジェトロ"),
    ("ヴァイオリン", "ヴァイオリン"),
    ("ヵヶッャュョァィゥェォヮ", "ヵヶッャュョァィゥェォヮ"),
    ("コーヒー", "コーヒー"),
    ("コ-ヒ-", "コーヒー"),  # a hyphen after kana is the long-vowel mark
    ("  ヤマダ   タロウ  ", "ヤマダ　タロウ"),
])
def test_kana_accepts_katakana_hiragana_halfwidth(raw, expected):
    assert normalize_kana(raw) == expected


@pytest.mark.parametrize(("raw", "bad"), [
    ("株式会社ジェトロ", "株」「式」「会」「社"),
    ("ジェトロABC", "A」「B」「C"),
    ("ジェトロ・ショウジ", "・"),
    ("ジェトロ1", "1"),
])
def test_kana_refuses_other_characters_and_names_them(raw, bad):
    assert error_of(normalize_kana, raw) == (
        f"フリガナは全角カタカナで入力してください（使えない文字：「{bad}」）。")


@pytest.mark.parametrize("number", ["7123456789012", "2120901007402", "4011001098993",
                                    "7000012050002"])
def test_corporate_number_examples_from_legal_notes_are_valid(number):
    assert corporate_number_check_digit(number[1:]) == int(number[0])
    assert normalize_corporate_number(number) == number


def test_corporate_number_full_width_and_hyphens_are_normalised():
    assert normalize_corporate_number("７－１２３４－５６７８－９０１２") == "7123456789012"
    assert normalize_corporate_number(" ") == ""


@pytest.mark.parametrize("number", ["8123456789012", "1120901007402", "7123456789013"])
def test_corporate_number_with_wrong_check_digit_is_refused(number):
    assert error_of(normalize_corporate_number, number) == (
        "法人番号が正しくありません（チェックデジットが一致しません）。"
        "国税庁法人番号公表サイトでご確認ください。")


@pytest.mark.parametrize("number", ["123456789012", "71234567890123", "712345678901A"])
def test_corporate_number_must_be_13_digits(number):
    assert error_of(normalize_corporate_number, number) == "法人番号は13桁の数字で入力してください。"


@pytest.mark.parametrize(("raw", "expected"), [
    ("107-6006", "1076006"), ("1076006", "1076006"), ("１０７－６００６", "1076006"),
    ("〒107-6006", "1076006"), ("107ー6006", "1076006"), ("107 6006", "1076006"),
])
def test_postal_code_with_or_without_hyphen(raw, expected):
    assert normalize_postal_code(raw) == expected


@pytest.mark.parametrize("raw", ["107-600", "10760066", "abc-defg", "107-60O6"])
def test_postal_code_must_be_7_digits(raw):
    assert error_of(normalize_postal_code, raw) == (
        "郵便番号は7桁の数字で入力してください（例：107-6006）。")


@pytest.mark.parametrize(("raw", "expected"), [
    ("03-3582-8333", "03-3582-8333"), ("０３－３５８２－８３３３", "03-3582-8333"),
    ("03(3582)8333", "03-3582-8333"), ("090 1234 5678", "090-1234-5678"),
    ("0335828333", "0335828333"), ("+81-3-3582-8333", "+81-3-3582-8333"),
])
def test_phone_is_normalised(raw, expected):
    assert normalize_phone(raw) == expected


def test_phone_errors():
    assert error_of(normalize_phone, "03-3582-833") == (
        "電話番号の桁数が正しくありません。市外局番から入力してください（例：03-3582-8333）。")
    assert error_of(normalize_phone, "03-3582-8333 内線12") == (
        "電話番号は数字とハイフンで入力してください（例：03-3582-8333）。")


@pytest.mark.parametrize(("raw", "expected"), [
    ("300000000", 300_000_000), ("３億", 300_000_000), ("3億円", 300_000_000),
    ("1億5,000万円", 150_000_000), ("5000万", 50_000_000), ("10,000,000円", 10_000_000),
    ("0", 0), ("", None), ("10兆", MAX_CAPITAL_YEN),
])
def test_capital_amounts(raw, expected):
    assert normalize_capital(raw) == expected


@pytest.mark.parametrize("raw", ["1京", "10000000000000000", "10兆1円"])
def test_capital_in_the_kei_is_refused(raw):
    assert error_of(normalize_capital, raw) == (
        "資本金の金額が大きすぎます（10兆円以下）。桁や単位をご確認ください。")


def test_capital_negative_and_garbage():
    assert error_of(normalize_capital, "-100") == "資本金は0以上の金額を入力してください。"
    assert error_of(normalize_capital, "たくさん") == (
        "資本金は円単位の数字で入力してください（例：10000000 または 1000万）。")


@pytest.mark.parametrize(("raw", "expected"), [
    ("25", 25), ("２５", 25), ("1,200人", 1200), ("30名", 30), ("0", 0),
])
def test_employees(raw, expected):
    assert normalize_employees(raw) == expected


def test_employees_negative_huge_and_garbage():
    assert error_of(normalize_employees, "-5") == "従業員数は0以上の数を入力してください。"
    assert error_of(normalize_employees, "－５") == "従業員数は0以上の数を入力してください。"
    assert error_of(normalize_employees, "1000000") == "従業員数が大きすぎます。桁をご確認ください。"
    assert error_of(normalize_employees, "約30") == "従業員数は数字で入力してください（例：25）。"


def test_email_full_width_and_domain_case():
    assert normalize_email("ｈａｎａｋｏ＠ＥＸＡＭＰＬＥ．ｃｏ．ｊｐ") == "hanako@example.co.jp"
    assert normalize_email(" Taro.Yamada@Example.JP ") == "Taro.Yamada@example.jp"
