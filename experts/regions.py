"""Which expert region (experts.enums.Region) a target country belongs to.

Every country of `applications.countries` has exactly one region (a test checks it). The
grouping follows JETRO's own desks where the two lists differ:
- Mongolia and Macao go with 中国・香港・台湾 (JETRO's 中国北アジア課 covers Mongolia);
- Russia and the CIS countries go with 欧州 (JETRO's 欧州ロシアCIS課);
- Türkiye and Israel go with 中東・アフリカ;
- 南西アジア is India, Bangladesh, Pakistan, Sri Lanka and Nepal.
"""

from experts.enums import Region

_GROUPS: dict[Region, tuple[str, ...]] = {
    Region.NORTH_AMERICA: ("US", "CA"),
    Region.LATIN_AMERICA: ("MX", "BR", "AR", "CL", "PE", "CO", "EC", "PA", "CR", "GT", "UY", "PY"),
    Region.EUROPE: (
        "GB", "DE", "FR", "IT", "ES", "NL", "BE", "CH", "AT", "SE", "DK", "NO", "FI", "IE",
        "PT", "PL", "CZ", "HU", "RO", "GR", "LU", "SK", "SI", "HR", "BG", "RS", "EE", "LV",
        "LT", "RU", "UA", "KZ", "UZ", "AZ",
    ),
    Region.CHINA: ("CN", "HK", "TW", "MO", "MN"),
    Region.KOREA: ("KR",),
    Region.ASEAN: ("TH", "VN", "SG", "MY", "ID", "PH", "KH", "LA", "MM", "BN"),
    Region.SOUTH_ASIA: ("IN", "BD", "PK", "LK", "NP"),
    Region.MIDDLE_EAST_AFRICA: (
        "AE", "SA", "TR", "IL", "QA", "KW", "OM", "BH", "JO", "IR", "IQ",
        "ZA", "EG", "KE", "NG", "MA", "GH", "ET", "TZ", "CI", "TN", "RW",
    ),
    Region.OCEANIA: ("AU", "NZ", "PG", "FJ"),
}

COUNTRY_REGION: dict[str, str] = {
    code: region.value for region, codes in _GROUPS.items() for code in codes
}


def region_of(country: str) -> str | None:
    """The Region code of an ISO alpha-2 country code ("US" → "north_america"), or None."""
    return COUNTRY_REGION.get(country)
