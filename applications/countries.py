"""Target countries/regions (COUNTRY-COUNT): ISO 3166-1 alpha-2 codes with Japanese names.

A practical list of about 80 major countries and regions, grouped by region in the order
JETRO's own pages use (Asia first), and within a region roughly by how often Japanese
companies target them. Japan is deliberately absent: it is never a target (COUNTRY-COUNT).
`COUNTRY_CHOICES` is a grouped choices list (rendered as <optgroup>s).
"""

JAPAN = "JP"
UNITED_STATES = "US"

REGIONS: list[tuple[str, list[tuple[str, str]]]] = [
    ("東アジア", [
        ("CN", "中国"), ("HK", "香港"), ("TW", "台湾"), ("KR", "韓国"), ("MO", "マカオ"),
        ("MN", "モンゴル"),
    ]),
    ("東南アジア", [
        ("TH", "タイ"), ("VN", "ベトナム"), ("SG", "シンガポール"), ("MY", "マレーシア"),
        ("ID", "インドネシア"), ("PH", "フィリピン"), ("KH", "カンボジア"), ("LA", "ラオス"),
        ("MM", "ミャンマー"), ("BN", "ブルネイ"),
    ]),
    ("南アジア", [
        ("IN", "インド"), ("BD", "バングラデシュ"), ("PK", "パキスタン"), ("LK", "スリランカ"),
        ("NP", "ネパール"),
    ]),
    ("オセアニア", [
        ("AU", "オーストラリア"), ("NZ", "ニュージーランド"), ("PG", "パプアニューギニア"),
        ("FJ", "フィジー"),
    ]),
    ("北米", [
        ("US", "米国"), ("CA", "カナダ"),
    ]),
    ("中南米", [
        ("MX", "メキシコ"), ("BR", "ブラジル"), ("AR", "アルゼンチン"), ("CL", "チリ"),
        ("PE", "ペルー"), ("CO", "コロンビア"), ("EC", "エクアドル"), ("PA", "パナマ"),
        ("CR", "コスタリカ"), ("GT", "グアテマラ"), ("UY", "ウルグアイ"), ("PY", "パラグアイ"),
    ]),
    ("欧州", [
        ("GB", "英国"), ("DE", "ドイツ"), ("FR", "フランス"), ("IT", "イタリア"),
        ("ES", "スペイン"), ("NL", "オランダ"), ("BE", "ベルギー"), ("CH", "スイス"),
        ("AT", "オーストリア"), ("SE", "スウェーデン"), ("DK", "デンマーク"),
        ("NO", "ノルウェー"), ("FI", "フィンランド"), ("IE", "アイルランド"),
        ("PT", "ポルトガル"), ("PL", "ポーランド"), ("CZ", "チェコ"), ("HU", "ハンガリー"),
        ("RO", "ルーマニア"), ("GR", "ギリシャ"), ("LU", "ルクセンブルク"),
        ("SK", "スロバキア"), ("SI", "スロベニア"), ("HR", "クロアチア"), ("BG", "ブルガリア"),
        ("RS", "セルビア"), ("EE", "エストニア"), ("LV", "ラトビア"), ("LT", "リトアニア"),
    ]),
    ("ロシア・CIS", [
        ("RU", "ロシア"), ("UA", "ウクライナ"), ("KZ", "カザフスタン"),
        ("UZ", "ウズベキスタン"), ("AZ", "アゼルバイジャン"),
    ]),
    ("中東", [
        ("AE", "アラブ首長国連邦"), ("SA", "サウジアラビア"), ("TR", "トルコ"),
        ("IL", "イスラエル"), ("QA", "カタール"), ("KW", "クウェート"), ("OM", "オマーン"),
        ("BH", "バーレーン"), ("JO", "ヨルダン"), ("IR", "イラン"), ("IQ", "イラク"),
    ]),
    ("アフリカ", [
        ("ZA", "南アフリカ共和国"), ("EG", "エジプト"), ("KE", "ケニア"),
        ("NG", "ナイジェリア"), ("MA", "モロッコ"), ("GH", "ガーナ"), ("ET", "エチオピア"),
        ("TZ", "タンザニア"), ("CI", "コートジボワール"), ("TN", "チュニジア"),
        ("RW", "ルワンダ"),
    ]),
]

COUNTRY_NAMES: dict[str, str] = {code: name for _, items in REGIONS for code, name in items}

# For a forms.ChoiceField: a blank first option, then one <optgroup> per region.
COUNTRY_CHOICES: list = [("", "選択してください")] + [
    (region, list(items)) for region, items in REGIONS
]


def country_name(code: str) -> str:
    """The Japanese name of a code ("US" → "米国"); Japan and unknown codes as given."""
    if code == JAPAN:
        return "日本"
    return COUNTRY_NAMES.get(code, code)


def is_known(code: str) -> bool:
    return code in COUNTRY_NAMES
