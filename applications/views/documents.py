from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from applications.selectors import documents_for_download
from handson.files import attachment_response
from handson.roles import get_permitted_object_or_404


@require_GET
@login_required
def document_download(request, public_id):
    document = get_permitted_object_or_404(
        request.user, "applications.download_document", documents_for_download(),
        public_id=public_id,
    )
    return attachment_response(document.file, document.download_name, "application/pdf")
