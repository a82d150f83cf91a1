"""The installable app: the web app manifest and the service worker, both public and the same for
everyone. The service worker keeps the app shell (styles, the player's modules, icons) and only
today's session (its page and its drawings); signed-in pages stay no-store for every other cache."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.http import require_safe

THEME = "#0b5cad"
SHELL = [
    "sijcoach/site.css",  # first: the worker's "You are offline" page uses it "sijcoach/player.css", "sijcoach/icons/icon-192.png",
    *(f"sijcoach/player/{name}.js" for name in
      ("app", "main", "dom", "timer", "cues", "pictures", "storage", "outbox", "hurt", "finish")),
]


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [{"src": static(f"sijcoach/icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
              "purpose": "any"} for size in (192, 512)]
    icons.append({"src": static("sijcoach/icons/maskable-512.png"), "sizes": "512x512", "type": "image/png",
                  "purpose": "maskable"})
    response = JsonResponse({
        "name": "SI Joint Coach", "short_name": "SI Coach", "id": "/today/", "start_url": "/today/", "scope": "/",
        "display": "standalone", "theme_color": THEME, "background_color": "#ffffff",
        "description": "Exercise guidance for sacroiliac joint pain; not a diagnosis.", "icons": icons,
    }, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@lru_cache(maxsize=1)
def _worker() -> str:
    shell = [static(path) for path in SHELL]
    # The cache's name changes with the shell's addresses (hashed in a deployment), so an update drops
    # the old shell.
    version = hashlib.sha256(" ".join(shell).encode()).hexdigest()[:10]
    return render_to_string("sw.js", {"shell": json.dumps(shell), "version": version})


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js: served from the root so its scope is the whole site. JavaScript, the site's CSP (the
    worker's own fetches are same-origin only), and revalidated on each check so updates arrive."""
    response = HttpResponse(_worker() if not settings.DEBUG else _worker.__wrapped__(),
                            content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response
