"""Files that pages hand out: one way to send them, and the content types they have."""

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A response the browser saves as ``filename`` instead of showing."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
