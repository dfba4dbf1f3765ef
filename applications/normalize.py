"""Normalising and checking what applicants type (legal-notes.md, "Form conventions").

Pure functions, no Django: each `normalize_*` returns the value to store or raises
`InputError` with a Japanese message meant to be shown next to the field. Forms call them
from `clean_<field>()`; tests call them directly.

- NFKC first, always: 全角 digits/ASCII become 半角, 半角カナ becomes 全角カナ, the
  ideographic space becomes a plain space.
- フリガナ: hiragana is accepted and turned into katakana; the result must be 全角カタカナ
  (small kana, ヴ, ヵ, ヶ, ー) and spaces.
- 法人番号: 13 digits, the first being the check digit of the 12 that follow
  (法人番号の指定等に関する省令 第2条).
"""

import re
import unicodedata

__all__ = [
    "InputError", "MAX_CAPITAL_YEN", "MAX_EMPLOYEES", "corporate_number_check_digit",
    "nfkc", "normalize_capital", "normalize_corporate_number", "normalize_email",
    "normalize_employees", "normalize_kana", "normalize_phone", "normalize_postal_code",
    "normalize_text", "to_katakana",
]

# Capital: 10兆円 is far above any company that could apply; anything in the 京 (10^16) and
# beyond is a typing error (e.g. the amount typed twice). Employees: above any real company.
MAX_CAPITAL_YEN = 10 * 10**12
MAX_EMPLOYEES = 999_999

# Every dash-like character people type for a hyphen (NFKC leaves most of these alone).
DASHES = "-‐‑‒–—―−ｰー－"
_DASH_RE = re.compile(f"[{re.escape(DASHES)}]")
_SPACES_RE = re.compile(r"\s+")
_NOT_KATAKANA_RE = re.compile(r"[^ァ-ヶー　]")


class InputError(ValueError):
    """A value that cannot be accepted; `message` is Japanese, for the applicant."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def nfkc(value: str | None) -> str:
    return unicodedata.normalize("NFKC", value or "")


def normalize_text(value: str | None) -> str:
    """NFKC, trimmed, runs of white space (incl. 全角スペース, line breaks) as one space."""
    return _SPACES_RE.sub(" ", nfkc(value)).strip()


def to_katakana(value: str) -> str:
    """Hiragana (ぁ–ゖ, ゝゞ) → katakana; everything else unchanged."""
    out = []
    for ch in value:
        code = ord(ch)
        if 0x3041 <= code <= 0x3096 or code in (0x309D, 0x309E):
            out.append(chr(code + 0x60))
        else:
            out.append(ch)
    return "".join(out)


def normalize_kana(value: str | None) -> str:
    """フリガナ: NFKC, hiragana → katakana, dashes → ー, spaces → one 全角スペース.

    Raises InputError naming the characters that are not 全角カタカナ.
    """
    text = to_katakana(normalize_text(value))
    # After a kana, a hyphen-like character is meant as the long-vowel mark.
    text = re.sub(f"(?<=[ァ-ヶー])[{re.escape(DASHES)}]", "ー", text)
    text = text.replace(" ", "　")
    if not text:
        raise InputError("フリガナを入力してください。")
    bad = _NOT_KATAKANA_RE.findall(text)
    if bad:
        shown = "」「".join(dict.fromkeys(bad))
        raise InputError(
            f"フリガナは全角カタカナで入力してください（使えない文字：「{shown}」）。"
        )
    return text


def _digits_only(value: str | None, *, drop: str = "") -> str:
    text = _DASH_RE.sub("", nfkc(value))
    for ch in drop:
        text = text.replace(ch, "")
    return _SPACES_RE.sub("", text)


def corporate_number_check_digit(base12: str) -> int:
    """CD = 9 − (Σ Pₙ·Qₙ mod 9); Pₙ the n-th digit from the right, Qₙ = 1 odd / 2 even."""
    if len(base12) != 12 or not base12.isdigit():
        raise ValueError("12 digits expected")
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base12), start=1))
    return 9 - total % 9


def normalize_corporate_number(value: str | None) -> str:
    """法人番号: '' when left empty (sole proprietors have none); else 13 valid digits."""
    text = _digits_only(value)
    if not text:
        return ""
    if not text.isdigit() or len(text) != 13:
        raise InputError("法人番号は13桁の数字で入力してください。")
    if corporate_number_check_digit(text[1:]) != int(text[0]):
        raise InputError(
            "法人番号が正しくありません（チェックデジットが一致しません）。"
            "国税庁法人番号公表サイトでご確認ください。"
        )
    return text


def normalize_postal_code(value: str | None) -> str:
    """郵便番号: 7 digits, with or without the hyphen (and 〒); stored without."""
    text = _digits_only(value, drop="〒")
    if not text.isdigit() or len(text) != 7:
        raise InputError("郵便番号は7桁の数字で入力してください（例：107-6006）。")
    return text


def normalize_phone(value: str | None) -> str:
    """Phone: 半角 digits with hyphens; brackets become hyphens; +81 allowed.

    Domestic numbers start with 0 and have 10 or 11 digits; international ones start with +
    and have 8–15 digits. Stored as typed apart from the normalisation (e.g. 03-3582-8333).
    """
    text = nfkc(value).strip()
    text = re.sub(r"[()]", "-", _DASH_RE.sub("-", text))
    text = re.sub(r"[\s-]+", "-", text).strip("-")
    if not text:
        raise InputError("電話番号を入力してください。")
    if not re.fullmatch(r"\+?[0-9-]+", text):
        raise InputError("電話番号は数字とハイフンで入力してください（例：03-3582-8333）。")
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        ok = 8 <= len(digits) <= 15
    else:
        ok = digits.startswith("0") and len(digits) in (10, 11)
    if not ok or len(text) > 20:
        raise InputError(
            "電話番号の桁数が正しくありません。市外局番から入力してください（例：03-3582-8333）。"
        )
    return text


_AMOUNT_RE = re.compile(
    r"(?:(?P<kei>\d+)京)?(?:(?P<cho>\d+)兆)?(?:(?P<oku>\d+)億)?(?:(?P<man>\d+)万)?(?P<one>\d+)?"
)
_UNITS = {"kei": 10**16, "cho": 10**12, "oku": 10**8, "man": 10**4, "one": 1}


def normalize_capital(value: str | None) -> int | None:
    """資本金（円）: '300000000', '3億', '3億円', '1億5,000万円', '5000万' → int; '' → None."""
    text = _SPACES_RE.sub("", nfkc(value)).replace(",", "").replace("，", "")
    text = text.removesuffix("円")
    if not text:
        return None
    if text.startswith("-") or text.startswith("−"):
        raise InputError("資本金は0以上の金額を入力してください。")
    match = _AMOUNT_RE.fullmatch(text)
    if not match or not any(match.groupdict().values()):
        raise InputError("資本金は円単位の数字で入力してください（例：10000000 または 1000万）。")
    amount = sum(int(v) * _UNITS[k] for k, v in match.groupdict().items() if v)
    if amount > MAX_CAPITAL_YEN:
        raise InputError(
            "資本金の金額が大きすぎます（10兆円以下）。桁や単位をご確認ください。"
        )
    return amount


def normalize_employees(value: str | None) -> int:
    """常時使用する従業員数: '25', '２５', '1,200人', '30名' → int ≥ 0."""
    text = _SPACES_RE.sub("", nfkc(value)).replace(",", "")
    text = text.removesuffix("人").removesuffix("名")
    if not text:
        raise InputError("常時使用する従業員数を入力してください（いない場合は0）。")
    if re.fullmatch(r"[-−]\d+", text):
        raise InputError("従業員数は0以上の数を入力してください。")
    if not text.isdigit():
        raise InputError("従業員数は数字で入力してください（例：25）。")
    count = int(text)
    if count > MAX_EMPLOYEES:
        raise InputError("従業員数が大きすぎます。桁をご確認ください。")
    return count


def normalize_email(value: str | None) -> str:
    """NFKC (全角＠ and letters), trimmed; the domain in lower case. Syntax is the form's job."""
    text = _SPACES_RE.sub("", nfkc(value))
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    return f"{local}@{domain.lower()}"
