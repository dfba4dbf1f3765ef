"""The hand-written option inputs carry exactly what Django's own widget templates do."""

import re

import pytest
from django import forms

from applications.templatetags.fast_widgets import option_input

ATTR = re.compile(r'([\w-]+)(?:="([^"]*)")?')


def attributes(html: str) -> dict:
    inner = html.strip().removeprefix("<input").removesuffix(">")
    return {name: value for name, value in ATTR.findall(inner)}


class AnswerForm(forms.Form):
    answer = forms.TypedChoiceField(
        choices=[(True, "はい"), (False, "いいえ")], coerce=lambda v: v == "True",
        widget=forms.RadioSelect(attrs={"class": "form-check-input",
                                        "aria-describedby": "id_answer_error"}))
    designations = forms.MultipleChoiceField(
        choices=[("j_startup", "J-Startup"), ("gnt", "<グローバルニッチトップ>")],
        widget=forms.CheckboxSelectMultiple, required=False)


@pytest.mark.parametrize("data", [{}, {"answer": "True", "designations": ["gnt"]},
                                  {"answer": "False", "designations": ["j_startup", "gnt"]}])
def test_same_attributes_as_djangos_templates(data):
    form = AnswerForm(data or None)
    for name in ("answer", "designations"):
        for choice in form[name]:
            assert attributes(str(option_input(choice))) == attributes(str(choice.tag()))


def test_values_are_escaped():
    class Evil(forms.Form):
        pick = forms.ChoiceField(choices=[('"><script>', "x")], widget=forms.RadioSelect)

    html = str(option_input(next(iter(Evil()["pick"]))))
    assert '"><script>' not in html and "&quot;&gt;&lt;script&gt;" in html
