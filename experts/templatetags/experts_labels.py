"""Labels for the code lists stored on an expert: `{{ expert.regions|region_labels }}`."""

from django import template

from applications.countries import country_name
from applications.enums import Industry
from experts.enums import ExpertiseField, Region
from experts.languages import language_label

register = template.Library()
SEPARATOR = "、"


def _labels(choices, codes) -> str:
    labels = []
    for code in codes or ():
        try:
            labels.append(str(choices(code).label))
        except ValueError:
            labels.append(str(code))
    return SEPARATOR.join(labels)


@register.filter
def region_labels(codes) -> str:
    return _labels(Region, codes)


@register.filter
def industry_labels(codes) -> str:
    return _labels(Industry, codes)


@register.filter
def field_labels(codes) -> str:
    return _labels(ExpertiseField, codes)


@register.filter
def country_names(codes) -> str:
    return SEPARATOR.join(country_name(code) for code in codes or ())


@register.filter
def language_labels(codes) -> str:
    return SEPARATOR.join(language_label(code) for code in codes or ())
