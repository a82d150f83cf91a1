"""One exercise drawing as an image file. Public: the drawings are the same for everyone."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from sijcoach.web.plans import present

YEAR = 365 * 24 * 3600
STALE_MAX_AGE = 3600


@require_safe
def picture(request: HttpRequest, slug: str, kind: str, side: str, digest: str) -> HttpResponse:
    """The current drawing. Its address carries a hash of its content, so when the hash is the current
    one the browser may keep it for a year without asking again. Any other hash (a page from an older
    deployment, or a newer one while a rolling deployment still runs this process) still gets this
    process's drawing, but only for an hour: that address may name a different drawing."""
    if kind not in present.PICTURE_KINDS or side not in present.FILE_SIDES:
        raise Http404("No such picture")
    file = present.picture_file(slug, kind, present.FILE_SIDES[side])
    if file is None:
        raise Http404("No such picture")
    return svg_file(file.svg, fresh=digest == file.digest)


def svg_file(svg: str | bytes, fresh: bool) -> HttpResponse:
    """A public drawing whose address carries a hash of its content: kept for a year when the hash is
    the current one (`fresh`), for an hour otherwise. The lessons' diagrams are served the same way."""
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable" if fresh else f"public, max-age={STALE_MAX_AGE}"
    return response
