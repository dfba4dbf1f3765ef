"""/apply/ and the online registration (IV.2(1)①) under the 2-hour rule (FORM-TIMEOUT).

The draft lives in the database (RegistrationDraft) and the session only holds its id.
Each request checks the clock on the server: at or after `expires_at` the draft is erased,
the session key removed, and the applicant sees the timeout page.
"""

from functools import wraps

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from applications.forms_registration import STEPS, raw_values, stored_values
from applications.intake import intake_state
from applications.models import RegistrationDraft
from applications.selectors import call_current
from applications.services import registration as service

SESSION_DRAFT = "registration_draft"
SESSION_DONE = "registration_done"
LAST_STEP = max(STEPS)
CONFIRM_STEP = LAST_STEP + 1
WARN_AT_SECONDS = (600, 60)


def _session_draft(request) -> tuple[RegistrationDraft | None, bool]:
    """(live draft or None, whether a draft of this session has just timed out).

    A draft that is gone because it was completed (double click, second tab) is not a
    timeout: the session is pointed at the done page instead.
    """
    public_id = request.session.get(SESSION_DRAFT)
    if not public_id:
        return None, False
    # The id comes from the server-side session, never from the client, so it cannot be
    # forged; the key is not compared because login() may cycle it mid-registration.
    draft = RegistrationDraft.objects.select_related("call").filter(public_id=public_id).first()
    if draft is not None and not service.is_expired(draft):
        return draft, False
    request.session.pop(SESSION_DRAFT, None)
    if draft is not None:
        service.registration_discard(draft=draft)  # FORM-TIMEOUT: erase now
        return None, True
    application = service.registration_result(draft_public_id=public_id)
    if application is not None:
        _remember_done(request, application)
        return None, False
    return None, True


def _remember_done(request, application) -> None:
    request.session[SESSION_DONE] = {
        "company_name": application.company.name, "email": application.contact_email,
    }


def _timeout_page(request, status=410):
    return render(request, "applications/registration/timeout.html",
                  {"limit_hours": 2}, status=status)


def _timer(draft: RegistrationDraft) -> dict:
    remaining = service.remaining_seconds(draft)
    hours, rest = divmod(remaining, 3600)
    minutes, seconds = divmod(rest, 60)
    return {
        "remaining_seconds": remaining,
        "remaining_text": (_("%(h)d時間%(m)02d分%(s)02d秒") % {"h": hours, "m": minutes, "s": seconds}
                           if hours else _("%(m)d分%(s)02d秒") % {"m": minutes, "s": seconds}),
        "expires_at": timezone.localtime(draft.expires_at),
        "warning": "final" if remaining <= 60 else ("soon" if remaining <= 600 else ""),
    }


def with_draft(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        draft, timed_out = _session_draft(request)
        if timed_out:
            return _timeout_page(request)
        if draft is None:
            if request.session.get(SESSION_DONE) and view.__name__ == "register_confirm":
                return redirect("applications:register_done")  # a second 「登録する」
            messages.info(request, _("オンライン登録は、このページの「登録を始める」から始めてください。"))
            return redirect("applications:apply")
        return view(request, draft, *args, **kwargs)
    return wrapped


def _step_url(step: int) -> str:
    if step >= CONFIRM_STEP:
        return reverse("applications:register_confirm")
    return reverse("applications:register", kwargs={"step": step})


@never_cache
@require_http_methods(["GET"])
def apply(request):
    call = call_current()
    draft, _timed_out = _session_draft(request)
    return render(request, "applications/apply.html", {
        "call": call, "intake": intake_state(call), "draft": draft,
        "draft_url": _step_url(draft.step) if draft else "",
        "timer": _timer(draft) if draft else None,
    })


@never_cache
@require_POST
def register_start(request):
    """Start the clock. Refused when intake is closed (INTAKE-CAP)."""
    draft, _timed_out = _session_draft(request)
    if draft is not None:  # already running: continue, the clock is not reset
        return redirect(_step_url(draft.step))
    call = call_current()
    if request.session.session_key is None:
        request.session.save()
    try:
        draft = service.registration_start(call=call, session_key=request.session.session_key)
    except service.IntakeClosed as exc:
        return render(request, "applications/apply.html",
                      {"call": call, "intake": exc.state, "draft": None}, status=403)
    request.session.pop(SESSION_DONE, None)
    request.session[SESSION_DRAFT] = str(draft.public_id)
    return redirect(_step_url(1))


def _forms_from_draft(draft: RegistrationDraft) -> dict:
    return {step: form_class(data=draft.data.get(section, {}))
            for step, (section, form_class, _label) in STEPS.items()}


@never_cache
@require_http_methods(["GET", "POST"])
@with_draft
def register(request, draft, step: int):
    if step not in STEPS:
        return redirect(_step_url(1))
    if step > draft.step:  # steps are filled in order
        return redirect(_step_url(min(draft.step, LAST_STEP)))
    section, form_class, title = STEPS[step]
    if request.method == "POST":
        if request.POST.get("action") == "back" and step > 1:
            try:  # keep what was typed, unchecked (back/forward keeps the input)
                service.registration_save_step(draft=draft, section=section,
                                               values=raw_values(form_class, request.POST),
                                               reached=step)
            except service.RegistrationError:
                return _timeout_page(request)
            return redirect(_step_url(step - 1))
        form = form_class(data=request.POST)
        if form.is_valid():
            try:
                service.registration_save_step(draft=draft, section=section,
                                               values=stored_values(form), reached=step + 1)
            except service.RegistrationError:
                request.session.pop(SESSION_DRAFT, None)
                return _timeout_page(request)
            return redirect(_step_url(step + 1))
    else:
        form = form_class(initial=draft.data.get(section, {}))
    return render(request, f"applications/registration/step{step}.html", {
        "form": form, "step": step, "title": title, "steps": _step_nav(step),
        "timer": _timer(draft), "draft": draft,
    })


def _step_nav(current: int) -> list[dict]:
    items = [{"number": n, "title": title, "current": n == current}
             for n, (_s, _f, title) in STEPS.items()]
    items.append({"number": CONFIRM_STEP, "title": _("確認"), "current": current == CONFIRM_STEP})
    return items


@never_cache
@require_http_methods(["GET", "POST"])
@with_draft
def register_confirm(request, draft):
    forms = _forms_from_draft(draft)
    for step, form in forms.items():
        if not form.is_valid():
            messages.warning(request, _("入力内容に不足があります。ご確認ください。"))
            return redirect(_step_url(step))
    company, contact, project = (forms[n].cleaned_data for n in sorted(forms))
    if request.method == "POST":
        try:
            application = service.registration_complete(
                draft_id=draft.pk, company=company, contact=contact, project=project)
        except service.RegistrationExpired:
            request.session.pop(SESSION_DRAFT, None)
            return _timeout_page(request)
        except service.RegistrationGone:
            request.session.pop(SESSION_DRAFT, None)
            done = service.registration_result(draft_public_id=draft.public_id)
            if done is None:
                return _timeout_page(request)
            _remember_done(request, done)
            return redirect("applications:register_done")
        except service.IntakeClosed as exc:
            call = draft.call
            return render(request, "applications/apply.html",
                          {"call": call, "intake": exc.state, "draft": None}, status=403)
        request.session.pop(SESSION_DRAFT, None)
        _remember_done(request, application)
        return HttpResponseRedirect(reverse("applications:register_done"))
    return render(request, "applications/registration/confirm.html", {
        "sections": [
            {"title": title, "items": items, "edit_url": _step_url(n)}
            for n, (title, items) in enumerate(
                service.summary_sections(company, contact, project), start=1)
        ],
        "step": CONFIRM_STEP, "steps": _step_nav(CONFIRM_STEP), "timer": _timer(draft),
        "draft": draft,
    })


@never_cache
@require_http_methods(["GET"])
def register_done(request):
    done = request.session.get(SESSION_DONE)
    if not done:
        return redirect("applications:apply")
    return render(request, "applications/registration/done.html", {"done": done})


@never_cache
@require_http_methods(["GET"])
def register_timeout(request):
    """Where the countdown sends the browser at zero; also erases an expired draft."""
    draft, _timed_out = _session_draft(request)
    if draft is not None:  # still running: nothing has timed out
        return redirect(_step_url(draft.step))
    return _timeout_page(request, status=200)
