"""Forms of the submission room (status page, withdrawal)."""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("辞退の理由（任意）"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("差し支えなければご記入ください（2,000字以内）。今後のサービス改善の参考にさせていただきます。"),
    )

    def clean_reason(self) -> str:
        return unicodedata.normalize("NFC", self.cleaned_data["reason"]).strip()
