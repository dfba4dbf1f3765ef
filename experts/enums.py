from django.db import models
from django.utils.translation import gettext_lazy as _


class ExpertiseField(models.TextChoices):
    EXPORT_CHANNELS = "export_channels", _("輸出・販路開拓")
    LOCAL_INCORPORATION = "local_incorporation", _("現地法人設立")
    MANUFACTURING_BASE = "manufacturing_base", _("製造拠点設立")
    FOOD_REGULATION = "food_regulation", _("食品規制・認証")
    ECOMMERCE = "ecommerce", _("越境EC")
    LEGAL_TAX = "legal_tax", _("法務・税務")
    MARKETING = "marketing", _("マーケティング・ブランディング")
    LICENSING = "licensing", _("ライセンス・技術提携")


class Region(models.TextChoices):
    NORTH_AMERICA = "north_america", _("北米")
    LATIN_AMERICA = "latin_america", _("中南米")
    EUROPE = "europe", _("欧州")
    CHINA = "china", _("中国・香港・台湾")
    ASEAN = "asean", _("ASEAN")
    SOUTH_ASIA = "south_asia", _("南西アジア")
    MIDDLE_EAST_AFRICA = "middle_east_africa", _("中東・アフリカ")
    OCEANIA = "oceania", _("大洋州")
    KOREA = "korea", _("韓国")
