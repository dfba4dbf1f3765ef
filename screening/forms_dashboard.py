"""Forms of the staff dashboard (the list's filters are in screening/filters.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from screening.selectors import staff_users


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class AssignStaffForm(forms.Form):
    staff_user = StaffChoiceField(
        label=_("担当職員"), required=False, queryset=staff_users(),
        empty_label=_("（未割当）"),
        help_text=_("この申込を担当するジェトロ職員を選んでください。「（未割当）」で解除します。"),
    )
