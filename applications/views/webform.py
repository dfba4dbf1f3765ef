"""The applicant's WEB form (IV.2(1)②) and document uploads (IV.1(2)(3)).

Progressive enhancement: every section is a plain POST form with its own 保存する button;
static/js/webform.js autosaves the same form with fetch (X-Requested-With) and gets JSON.
A section is saved as a whole and only when valid; with errors nothing of it is stored and
the applicant's input is shown again (or stays in the browser) with the errors beside the
fields. Editing stops when the application is received (submitted).
"""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from applications.completeness import missing_items
from applications.countries import country_name
from applications.enums import DocumentKind, DocumentSource, ProjectType
from applications.fiscal_years import (
    YEARS_REQUIRED,
    fiscal_year_label,
    offered_fiscal_years,
)
from applications.forms_webform import DocumentUploadForm, SectionForm
from applications.models import Document
from applications.selectors_webform import applications_for_webform, documents_of
from applications.services.document_checks import DocumentRejected
from applications.services.documents import (
    InvalidSlot,
    PostalDocument,
    document_delete,
    document_reuse_fy2025,
    document_upload,
    fy2025_statements,
)
from applications.services.eligibility import eligibility_hint
from applications.services.webform import ApplicationNotEditable, webform_section_save
from applications.webform_questions import (
    COMMON_PROJECT_QUESTIONS,
    CONSULTING_QUESTIONS,
    SECTIONS,
    project_questions,
)
from handson.files import safe_download_name
from handson.roles import get_permitted_object_or_404
from handson.uploads import limit_upload_size, upload_cut_off_message, upload_was_cut_off

FORM_SECTIONS = ("plan", "bonus", "other_support", "requirements", "declarations")
FLASH = "webform_flash"
MB = 1024 * 1024


def _application(request, public_id):
    return get_permitted_object_or_404(request.user, "applications.fill_webform",
                                       applications_for_webform(), public_id=public_id)


def _is_ajax(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _form_url(application, anchor: str = "") -> str:
    url = reverse("applications:webform", args=[application.public_id])
    return f"{url}#{anchor}" if anchor else url


def _flash(request, target: str, message: str) -> None:
    request.session[FLASH] = {"target": target, "message": message}


def _saved_message() -> str:
    return _("保存しました（%(time)s）") % {"time": f"{timezone.localtime():%H:%M}"}


def _locked_message() -> str:
    return _("この申込は受付済みのため、WEBフォームと提出書類は変更できません。"
             "変更が必要な場合はハンズオン支援受付担当までご連絡ください。")


# -- the page -------------------------------------------------------------------------------


@dataclass
class Slot:
    """One place for a document on the page (a fiscal year's statement, or the catalogue)."""

    name: str
    title: str
    form: DocumentUploadForm
    document: Document | None = None
    info: dict = field(default_factory=dict)


def size_label(size_bytes: int) -> str:
    if size_bytes < MB // 10:
        return _("0.1MB未満")
    return f"{size_bytes / MB:.1f}MB"


def _document_info(document: Document) -> dict:
    reused = document.source == DocumentSource.FY2025_REUSE
    return {
        "name": _("2025年度にご提出いただいたもの") if reused
        else safe_download_name(document.original_name or document.download_name),
        "year": fiscal_year_label(document.fiscal_year) if document.fiscal_year else "",
        "pages": document.page_count,
        "size": size_label(document.size_bytes),
        "reused": reused,
        "postal": document.source == DocumentSource.POSTAL,
        "download_url": "" if reused or not document.file.name else reverse(
            "applications:document_download", args=[document.public_id]),
        "delete_url": reverse("applications:document_delete",
                              args=[document.application.public_id, document.public_id]),
    }


def _upload_form(application, slot: str, kind: str, year: int | None, *, fixed_year: bool):
    form = DocumentUploadForm(call=application.call, auto_id=f"id_{slot}_%s",
                              initial={"kind": kind, "fiscal_year": year, "slot": slot})
    if fixed_year or kind == DocumentKind.PRODUCT_CATALOGUE:
        form.fields["fiscal_year"].widget = form.fields["fiscal_year"].hidden_widget()
    return form


def _slots(application, documents, upload_form=None) -> tuple[list[Slot], Slot]:
    statements = [d for d in documents if d.kind == DocumentKind.FINANCIAL_STATEMENT]
    offered = offered_fiscal_years(application.call)
    have = {d.fiscal_year for d in statements}
    free_years = [year for year in offered if year not in have]
    slots = []
    for index in range(max(YEARS_REQUIRED, len(statements))):
        name = f"fs{index + 1}"
        document = statements[index] if index < len(statements) else None
        year = document.fiscal_year if document else (free_years.pop(0) if free_years
                                                      else offered[0])
        form = _upload_form(application, name, DocumentKind.FINANCIAL_STATEMENT, year,
                            fixed_year=document is not None)
        slots.append(Slot(name, _("決算報告書（%(n)sつ目）") % {"n": index + 1}, form, document,
                          _document_info(document) if document else {}))
    catalogues = [d for d in documents if d.kind == DocumentKind.PRODUCT_CATALOGUE]
    catalogue = catalogues[0] if catalogues else None
    product = Slot("product", _("写真・カタログ（PDF）"),
                   _upload_form(application, "product", DocumentKind.PRODUCT_CATALOGUE, None,
                                fixed_year=True),
                   catalogue, _document_info(catalogue) if catalogue else {})
    if upload_form is not None:  # show the refused upload (and its errors) in its own slot
        is_catalogue = upload_form.data.get("kind") == DocumentKind.PRODUCT_CATALOGUE
        target = next((s for s in [*slots, product] if s.name == upload_form.data.get("slot")
                       and (s is product) == is_catalogue), None)
        if target is None:
            target = product if is_catalogue else slots[-1]
        upload_form.auto_id = f"id_{target.name}_%s"
        if target.document is not None or target is product:
            field = upload_form.fields["fiscal_year"]
            field.widget = field.hidden_widget()
        target.form = upload_form
    return slots, product


def _groups(application, form: SectionForm) -> list[dict]:
    """The section's fields, with sub-headings where a section has several parts."""
    if form.section.key != "requirements":
        return [{"title": "", "fields": [form[name] for name in form.fields]}]
    if application.project_type == ProjectType.EXPORT:
        project_title = _("輸出プロジェクトの要件（申込要領 III.3(1)）")
    else:
        project_title = _("海外拠点設立プロジェクトの要件（申込要領 III.3(2)）")
    parts = [
        (_("海外展開支援のコンサルティング等を業とする企業について（III.1(1)※）"),
         CONSULTING_QUESTIONS),
        (project_title, project_questions(application.project_type)),
        (_("対象国・地域での現状と社内の承認（III.3）"), COMMON_PROJECT_QUESTIONS),
    ]
    return [{"title": title, "fields": [form[name] for name in names]} for title, names in parts]


def _section(application, key: str, number: int, editable: bool, bound=None) -> dict:
    form = bound if bound is not None and bound.section.key == key else SectionForm(
        section=key, project_type=application.project_type, initial=_initial(application, key))
    spec = SECTIONS[key]
    return {"key": key, "number": number, "title": spec.title, "intro": spec.intro,
            "form": form, "groups": _groups(application, form), "editable": editable}


def _initial(application, key: str) -> dict:
    spec = SECTIONS[key]
    answers = getattr(application, "answers", None)
    initial = {}
    for name in spec.fields_for(application.project_type):
        source = application if name in spec.application_fields else answers
        if source is not None:
            initial[name] = getattr(source, name)
    return initial


def _optional_url(name: str, application) -> str:
    try:
        return reverse(name, args=[application.public_id])
    except NoReverseMatch:  # that room's pages are not installed (yet)
        return ""


def _eligibility(application) -> list:
    result = eligibility_hint(application)
    return [*result.blocking_findings, *result.review_findings]


def _render(request, application, *, bound=None, upload_form=None, status=200):
    editable = request.user.has_perm("applications.edit_application", application)
    documents = documents_of(application)
    for document in documents:
        document.application = application  # the page's own instance (download names)
    slots, product_slot = _slots(application, documents, upload_form)
    sections = [_section(application, key, n, editable, bound)
                for n, key in enumerate(FORM_SECTIONS, start=1)]
    company = application.company
    context = {
        "application": application,
        "company": company,
        "countries": [country_name(code) for code in application.target_countries or []],
        "editable": editable,
        "locked_message": _locked_message(),
        "sections": sections,
        "product_section": _section(application, "product", 6, editable, bound),
        "notes_section": _section(application, "notes", 8, editable, bound),
        "slots": slots,
        "product_slot": product_slot,
        "offered_years": [fiscal_year_label(y) for y in offered_fiscal_years(application.call)],
        "reusable": fy2025_statements(application) if editable else [],
        "missing": missing_items(application),
        "findings": _eligibility(application),
        "flash": request.session.pop(FLASH, None),
        "status_url": _optional_url("applications:status", application),
    }
    for document in context["reusable"]:
        document.year_label = fiscal_year_label(document.fiscal_year)
    return render(request, "applications/webform/form.html", context, status=status)


# -- views ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def webform(request, public_id):
    application = _application(request, public_id)
    if request.method == "POST":
        return _save_section(request, application)
    return _render(request, application)


def _refuse_locked(request, application):
    if _is_ajax(request):
        return JsonResponse({"ok": False, "message": _locked_message()}, status=409)
    _flash(request, "top", _locked_message())
    return redirect(_form_url(application))


def _save_section(request, application):
    key = request.POST.get("section", "")
    if key not in SECTIONS:
        if _is_ajax(request):
            return JsonResponse({"ok": False, "message": _("保存する項目が不明です。")}, status=400)
        return redirect(_form_url(application))
    anchor = f"section-{key}"
    if not request.user.has_perm("applications.edit_application", application):
        return _refuse_locked(request, application)
    form = SectionForm(request.POST, section=key, project_type=application.project_type)
    if not form.is_valid():
        if _is_ajax(request):
            errors = {form.add_prefix(name): [str(e) for e in messages]
                      for name, messages in form.errors.items()}
            return JsonResponse({"ok": False, "errors": errors, "message": _(
                "入力内容に誤りがあります。赤字の項目をご確認ください（この欄は保存されていません）。")},
                status=400)
        return _render(request, application, bound=form, status=400)
    try:
        webform_section_save(actor=request.user, application=application, section=key,
                             values=form.cleaned_data)
    except ApplicationNotEditable:
        return _refuse_locked(request, application)
    message = _saved_message()
    if _is_ajax(request):
        fresh = applications_for_webform().get(pk=application.pk)
        return JsonResponse({"ok": True, "saved_at": timezone.localtime().isoformat(),
                             "message": message, "missing": missing_items(fresh)})
    _flash(request, key, message)
    return redirect(_form_url(application, anchor))


@limit_upload_size  # outermost: installs the size-limiting handler before the body is read
@require_POST
@login_required
def document_upload_view(request, public_id):
    application = _application(request, public_id)
    if not request.user.has_perm("applications.edit_application", application):
        return _refuse_locked(request, application)
    request.FILES  # noqa: B018 - parse the body now, so a cut-off upload is known
    if upload_was_cut_off(request):  # nothing stored; the slot says why
        form = DocumentUploadForm(request.POST, call=application.call)
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", upload_cut_off_message(request))
        return _render(request, application, upload_form=form, status=413)
    form = DocumentUploadForm(request.POST, request.FILES, call=application.call)
    if form.is_valid():
        kind, year = form.cleaned_data["kind"], form.cleaned_data["fiscal_year"]
        try:
            document = document_upload(application=application, kind=kind, fiscal_year=year,
                                       file=form.cleaned_data["file"], actor=request.user)
        except DocumentRejected as refusal:
            form.add_error("file", str(refusal.message))
        except InvalidSlot:
            form.add_error("fiscal_year", _("年度を一覧から選んでください。"))
        except PostalDocument:
            form.add_error("file", _("この書類は郵送で受領済みのため、WEBから差し替えることはできません。"))
        except ApplicationNotEditable:
            return _refuse_locked(request, application)
        else:
            info = _document_info(document)
            what = f"{info['year']} {document.get_kind_display()}" if document.fiscal_year \
                else document.get_kind_display()
            _flash(request, "documents", _(
                "%(what)s を受け付けました: %(name)s（%(pages)sページ・%(size)s）") % {
                "what": what, "name": info["name"], "pages": info["pages"],
                "size": info["size"]})
            return redirect(_form_url(application, "section-documents"))
    return _render(request, application, upload_form=form, status=400)


@require_POST
@login_required
def document_delete_view(request, public_id, document_id):
    application = _application(request, public_id)
    document = get_object_or_404(Document.objects.exclude(source=DocumentSource.POSTAL),
                                 application=application, public_id=document_id)
    if not request.user.has_perm("applications.edit_application", application):
        return _refuse_locked(request, application)
    document.application = application
    try:
        document_delete(document=document, actor=request.user)
    except ApplicationNotEditable:
        return _refuse_locked(request, application)
    _flash(request, "documents", _("%(what)sを削除しました。") % {"what": str(document)})
    return redirect(_form_url(application, "section-documents"))


@require_POST
@login_required
def document_reuse_view(request, public_id):
    application = _application(request, public_id)
    if not request.user.has_perm("applications.edit_application", application):
        return _refuse_locked(request, application)
    try:
        created = document_reuse_fy2025(application=application, actor=request.user)
    except ApplicationNotEditable:
        return _refuse_locked(request, application)
    years = "・".join(fiscal_year_label(d.fiscal_year) for d in created)
    _flash(request, "documents", _("2025年度にご提出いただいた決算報告書（%(years)s）を使います。")
           % {"years": years} if created else _("引き継げる決算報告書はありませんでした。"))
    return redirect(_form_url(application, "section-documents"))
