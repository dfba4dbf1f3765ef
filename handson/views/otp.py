from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login

from handson import otp


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("確認コード（6桁）"), max_length=8,
        help_text=_("認証アプリ（Google Authenticator など）に表示されている6桁の数字です。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not otp.device_verify(self.device, token):
            raise forms.ValidationError(
                _("確認コードが正しくないか、有効期限が切れています。最新のコードを入力してください。"))
        return token


def _next_url(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@login_required
def otp_verify(request):
    device = otp.confirmed_device(request.user)
    if device is None:
        return redirect("handson:otp_setup")
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(request, "registration/otp_verify.html",
                  {"form": form, "next": _next_url(request)})


@login_required
def otp_setup(request):
    if otp.confirmed_device(request.user) is not None:
        return redirect("handson:otp_verify")
    device = otp.pending_device(request.user)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp.device_confirm(device)
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(request, "registration/otp_setup.html", {
        "form": form, "next": _next_url(request), "qr_code": otp.qr_code_data_uri(device),
        "key": otp.base32_key(device),
    })
