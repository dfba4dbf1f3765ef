"""Radio and checkbox options written straight into the page.

Django renders every option through three widget templates; the WEB form has about 80 of
them, which made up most of its rendering time (see `make bench`). The markup is the same
as Django's `input.html`: type, name, value and the option's attributes (id, checked,
aria-*), escaped by `flatatt`.
"""

from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def option_input(choice) -> str:
    data = choice.data
    value = "" if data["value"] is None else str(data["value"])
    return format_html('<input type="{}" name="{}" value="{}"{}>', data["type"], data["name"],
                       value, flatatt(data["attrs"]))
