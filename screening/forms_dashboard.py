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


class WithdrawalRecordForm(forms.Form):
    """A withdrawal received in writing outside the system (FORM-WITHDRAW)."""

    channel = forms.ChoiceField(label=_("受領方法"),
                                choices=[("email", _("メール")), ("post", _("書面（郵送・持参）"))])
    received_on = forms.DateField(label=_("受領日"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("辞退の理由（届に記載があれば）"), required=False,
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_received_on(self):
        from django.utils import timezone

        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(_("受領日に未来の日付は指定できません。"))
        return received_on
