"""Outbox visibility for staff: mails that failed or are still waiting, and 再送."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from handson.models import OutboundMail
from handson.roles import get_permitted_object_or_404
from screening import selectors
from screening.services.mail import MailNotResendable, mail_resend
from screening.views.dashboard import PAGE_SIZE, require_perm


@require_GET
@login_required
def mail_list(request):
    require_perm(request, "screening.view_outbox")
    page = Paginator(selectors.mails_needing_attention(), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "screening/mail_list.html", {
        "page": page, "can_resend": request.user.has_perm("screening.resend_mail"),
    })


@require_POST
@login_required
def mail_resend_view(request, pk):
    mail = get_permitted_object_or_404(request.user, "screening.resend_mail",
                                       OutboundMail.objects.all(), pk=pk)
    try:
        mail_resend(mail=mail, actor=request.user)
    except MailNotResendable as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("「%(subject)s」（%(to)s）を再送の待ち行列に入れました。")
                         % {"subject": mail.subject, "to": mail.to})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "screening:mail_list"
    return redirect(target)
