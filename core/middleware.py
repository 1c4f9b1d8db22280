"""Request limits enforced before any view runs, answered in the API's error shape."""

from django.conf import settings
from django.http import HttpResponse

from core.api.errors import error_response, is_api_path
from core.api.exceptions import UriTooLong


class UrlLengthLimitMiddleware:
    """414 for a URL (path and query string) over MAX_URL_LENGTH, which is kept below the
    request-line limit of gunicorn (config/gunicorn.py) so the app answers first, in JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = len(request.get_full_path())
        if length <= settings.MAX_URL_LENGTH:
            return self.get_response(request)
        detail = f"The URL is {length} characters long; the limit is {settings.MAX_URL_LENGTH}."
        if is_api_path(request.path):
            return error_response(UriTooLong.status_code, UriTooLong.default_code, detail)
        return HttpResponse(detail, status=UriTooLong.status_code, content_type="text/plain")
