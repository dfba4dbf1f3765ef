"""The languages an expert can work in: ISO 639-1 codes with Japanese labels.

A fixed list (Japanese is assumed for every expert and not listed). Stored on
`Expert.languages` as codes; shown with `language_label`.
"""

from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [
    ("en", _("英語")),
    ("zh", _("中国語")),
    ("ko", _("韓国語")),
    ("th", _("タイ語")),
    ("vi", _("ベトナム語")),
    ("id", _("インドネシア語")),
    ("ms", _("マレー語")),
    ("tl", _("フィリピノ語")),
    ("my", _("ミャンマー語")),
    ("km", _("クメール語")),
    ("hi", _("ヒンディー語")),
    ("es", _("スペイン語")),
    ("pt", _("ポルトガル語")),
    ("fr", _("フランス語")),
    ("de", _("ドイツ語")),
    ("it", _("イタリア語")),
    ("nl", _("オランダ語")),
    ("ru", _("ロシア語")),
    ("ar", _("アラビア語")),
    ("tr", _("トルコ語")),
]

LANGUAGE_LABELS = dict(LANGUAGE_CHOICES)


def language_label(code: str) -> str:
    return str(LANGUAGE_LABELS.get(code, code))
