"""Pages for the errors a person can meet, in the site's layout. Django's own handlers render the
templates 403.html, 404.html and 500.html (and 403_csrf.html for an expired form); a 405, which
Django answers with an empty body (require_POST and the like), gets its page here; an address under
/api/ that names nothing answers JSON, as the rest of the API does. HEAD is answered wherever the API
answers GET (RFC 9110 asks it of every server; django-ninja's routes answer it 405). The pages answer
it as Django's views do: plain views and class-based views take it, the few file downloads that are
GET only (require_GET: a PDF or a health record made on request) answer 405 with their Allow header."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults

API = "/api/"


class MethodNotAllowedPageMiddleware:
    """A 405 with no body becomes the 405 page, and any 405 of the API a problem in its JSON (ninja
    answers a bare 'Method not allowed'); both keep the response's Allow header. A HEAD that an API
    route refuses although it answers GET is answered as that GET's headers, without its body (gunicorn
    would drop the body too, but log a warning for each)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405:
            return response
        allowed = response.get("Allow", "")
        methods = [m.strip() for m in allowed.split(",") if m.strip()]
        if request.path.startswith(API) and "GET" in methods:
            if request.method == "HEAD":
                request.method = "GET"
                try:
                    response = self.get_response(request)
                finally:
                    request.method = "HEAD"
                response.content = b""
                return response
            methods.append("HEAD")
            allowed = ", ".join(methods)
        if request.path.startswith(API):
            listed = ", ".join(sorted(methods)) or "none"
            problem = JsonResponse({"detail": [{"field": "(method)", "value": request.method, "allowed": listed,
                                                "message": f"{request.method} is not allowed here; use {listed}"}]},
                                   status=405)
            problem["Allow"] = allowed
            return problem
        if response.content:
            return response
        page = render(request, "405.html", {"allowed": methods}, status=405)
        page["Allow"] = allowed
        return page


def not_found(request, exception):
    """handler404: the page for people; under /api/, JSON naming the address (the API's own 404s are
    JSON already; this is for an address no route matches, such as a trailing slash)."""
    if request.path.startswith(API):
        return JsonResponse({"detail": f"No such address in the API: {request.path}. The addresses are listed "
                                       "in /api/openapi.json."}, status=404)
    return defaults.page_not_found(request, exception)
