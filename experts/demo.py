"""Demo data of the experts room (registered in apps.py): six experts across regions and
fields; the demo user `expert` (created by handson.demo) is linked to the first. Idempotent:
experts are found by e-mail, and the link is made only while the user has no profile."""

from experts.enums import ExpertiseField as F
from experts.enums import Region as R
from experts.models import Expert
from handson.models import User

DEMO_EXPERTS = [
    {"name": "専門家 花子", "name_kana": "センモンカ　ハナコ", "email": "hanako.expert@example.jp",
     "regions": [R.NORTH_AMERICA], "countries": ["US", "CA"],
     "industries": ["manufacturing_other", "wholesale"],
     "fields": [F.EXPORT_CHANNELS, F.MARKETING], "languages": ["en"], "capacity": 5,
     "profile": "総合商社で北米向け機械部品の輸出を20年担当。代理店開拓と展示会出展の支援が得意。"},
    {"name": "高橋 誠", "name_kana": "タカハシ　マコト", "email": "takahashi.expert@example.jp",
     "regions": [R.ASEAN], "countries": ["VN", "TH", "SG"], "industries": ["manufacturing_other"],
     "fields": [F.LOCAL_INCORPORATION, F.MANUFACTURING_BASE, F.LEGAL_TAX],
     "languages": ["en", "vi"], "capacity": 4,
     "profile": "ベトナム・タイでの現地法人設立と工場立ち上げを多数支援。"},
    {"name": "李 美玲", "name_kana": "リ　ミレイ", "email": "li.expert@example.jp",
     "regions": [R.CHINA], "countries": ["CN", "HK", "TW"], "industries": ["retail", "services"],
     "fields": [F.ECOMMERCE, F.MARKETING], "languages": ["zh", "en"], "capacity": 5,
     "profile": "越境ECとSNSマーケティングで中華圏の消費財販売を支援。"},
    {"name": "佐々木 一郎", "name_kana": "ササキ　イチロウ", "email": "sasaki.expert@example.jp",
     "regions": [R.EUROPE], "countries": ["DE", "FR", "GB"],
     "industries": ["manufacturing_other", "wholesale"],
     "fields": [F.FOOD_REGULATION, F.EXPORT_CHANNELS], "languages": ["en", "de", "fr"],
     "capacity": 3, "profile": "EUの食品規制・認証対応と欧州の販路開拓。"},
    {"name": "山本 恵", "name_kana": "ヤマモト　メグミ", "email": "yamamoto.expert@example.jp",
     "regions": [R.MIDDLE_EAST_AFRICA, R.SOUTH_ASIA], "countries": ["AE", "IN"],
     "industries": ["services", "wholesale"], "fields": [F.LICENSING, F.LEGAL_TAX],
     "languages": ["en", "ar", "hi"], "capacity": 5,
     "profile": "中東・インドでのライセンス契約と技術提携の交渉支援。"},
    {"name": "鈴木 健", "name_kana": "スズキ　ケン", "email": "suzuki.expert@example.jp",
     "regions": [R.NORTH_AMERICA, R.LATIN_AMERICA], "countries": ["US", "MX", "BR"],
     "industries": ["manufacturing_other"], "fields": [F.MANUFACTURING_BASE, F.EXPORT_CHANNELS],
     "languages": ["en", "es", "pt"], "capacity": 5, "is_active": False,
     "profile": "メキシコの製造拠点設立（2026年度は休止中）。"},
]
DEMO_USER = "expert"


def seed() -> list[str]:
    experts = []
    for values in DEMO_EXPERTS:
        values = dict(values)
        expert, _ = Expert.objects.get_or_create(email=values.pop("email"), defaults=values)
        experts.append(expert)
    user = User.objects.filter(username=DEMO_USER).first()
    linked = Expert.objects.filter(user=user).first() if user else None
    if user is not None and linked is None and experts[0].user_id is None:
        experts[0].user = user
        experts[0].save(update_fields=["user", "updated_at"])
        linked = experts[0]
    lines = [f"専門家: {len(DEMO_EXPERTS)} 人（登録簿 /staff/experts/）"]
    if linked is not None:
        lines.append(f"  専門家ポータルのアカウント {DEMO_USER} → {linked.name}（/expert/profile/）")
    return lines
