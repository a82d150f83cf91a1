"""Pages for the errors a person can meet, in the site's layout. Django's own handlers render the
templates 403.html, 404.html and 500.html (and 403_csrf.html for an expired form); a 405, which
Django answers with an empty body (require_POST and the like), gets its page here."""

from django.shortcuts import render

API = "/api/"


class MethodNotAllowedPageMiddleware:
    """A 405 with no body, outside the API (which answers in JSON), becomes the 405 page, keeping
    the response's Allow header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.path.startswith(API):
            return response
        allowed = response.get("Allow", "")
        page = render(request, "405.html", {"allowed": [m.strip() for m in allowed.split(",") if m.strip()]},
                      status=405)
        page["Allow"] = allowed
        return page
