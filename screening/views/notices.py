"""⑤⑥ The notice batch (staff): preview, edit, send; and the applicant's notice PDFs.

Each view: permission (404 for anyone without it) → form → one service call → response.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.models import Application
from handson.files import safe_download_name
from handson.roles import get_permitted_object_or_404
from screening import selectors_committee as selectors
from screening.forms_committee import NoticeEditForm
from screening.models import Notice, NoticeKind, NoticeStatus
from screening.services import notices as services
from screening.views.committee import LAYOUT_STAFF


def _require_staff(request) -> None:
    if not request.user.has_perm("screening.manage_notices"):
        raise Http404


@require_http_methods(["GET", "POST"])
@login_required
def notice_batch(request):
    _require_staff(request)
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("notice") if v.isdigit()]
        chosen = list(Notice.objects.filter(pk__in=ids, status=NoticeStatus.DRAFT)
                      .select_related("application__company"))
        if not chosen:
            messages.error(request, _("送信する通知を選んでください。"))
        for result in services.notices_send(notices=chosen, actor=request.user):
            name = result.notice.application.company.name
            if result.sent:
                messages.success(request, _("%(name)s：送信しました（送信メールに登録）。") % {"name": name})
            else:
                messages.error(request, f"{name}：{result.message}")
        return redirect("screening:notice_batch")
    return render(request, "screening/notices/batch.html", {
        "layout": LAYOUT_STAFF,
        "drafts": selectors.notices_for_batch(NoticeStatus.DRAFT),
        "sent": selectors.notices_for_batch(NoticeStatus.SENT)[:100],
        "withdrawn": selectors.notices_for_batch(NoticeStatus.WITHDRAWN)[:100],
        "counts": selectors.notice_counts(),
        "ADOPTION": NoticeKind.ADOPTION,
    })


@require_POST
@login_required
def notices_draft_missing(request):
    _require_staff(request)
    created = services.notices_draft_missing(actor=request.user)
    messages.success(request, _("通知の下書きを%(n)d件作成しました。") % {"n": len(created)})
    return redirect("screening:notice_batch")


@require_http_methods(["GET", "POST"])
@login_required
def notice_edit(request, pk):
    _require_staff(request)
    notice = get_permitted_object_or_404(
        request.user, "screening.manage_notices",
        Notice.objects.select_related("application__company", "application__call", "mail"),
        pk=pk)
    form = NoticeEditForm(request.POST or None,
                          initial={"subject": notice.subject, "body": notice.body})
    status = 200
    if request.method == "POST" and notice.status == NoticeStatus.DRAFT and form.is_valid():
        try:
            services.notice_edit(notice=notice, actor=request.user,
                                 subject=form.cleaned_data["subject"],
                                 body=form.cleaned_data["body"])
        except services.NoticeError as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, _("通知の文面を保存しました。"))
            return redirect("screening:notice_edit", pk=notice.pk)
    elif form.errors:
        status = 400
    return render(request, "screening/notices/edit.html", {
        "layout": LAYOUT_STAFF, "notice": notice, "form": form,
        "editable": notice.status == NoticeStatus.DRAFT,
        "documents": services.DOCUMENTS if notice.kind == NoticeKind.ADOPTION else {},
    }, status=status)


@require_GET
@login_required
def notice_pdf(request, public_id, document):
    """採択通知書 / 応募・利用条件兼同意書: the owner of an adopted application once the
    adoption notice was sent, and staff (preview). Anyone else: 404."""
    if document not in services.DOCUMENTS:
        raise Http404
    application = get_permitted_object_or_404(
        request.user, "screening.view_notice_pdf",
        Application.objects.select_related("company", "call"), public_id=public_id)
    if not request.user.is_jetro_staff and application.consortium_id is None:
        raise Http404
    pdf, name = services.notice_document(application, document)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, safe_download_name(name))
    response["Content-Length"] = str(len(pdf))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
