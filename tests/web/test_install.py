"""The installable app as deployed: static files with hashed names (collectstatic with the production
storage), the player's module imports rewritten to them, and the service worker keeping those files."""

from __future__ import annotations

import json
import re

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command

from sijcoach.web.plans import install

IMPORT = re.compile(r"""^import .* from ["']([^"']+)["'];$""", re.M)


def test_deployed_player_modules_import_each_other_by_hashed_name_and_the_worker_keeps_those(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "sijcoach.web.staticfiles.Storage"}}
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]  # ours, not ninja's
    call_command("collectstatic", interactive=False, verbosity=0)
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", install._worker.__wrapped__()).group(1))
    modules = [path for path in install.SHELL if path.endswith(".js")]
    for path in modules:
        hashed = staticfiles_storage.stored_name(path)
        assert hashed != path and f"/static/{hashed}" in shell, path
        imported = IMPORT.findall((tmp_path / hashed).read_text())
        for name in imported:
            # ./dom.<hash>.js: the very file the worker keeps, never the unhashed one
            assert re.fullmatch(r"\./[a-z]+\.[0-9a-f]{12}\.js", name), (path, name)
            assert f"/static/sijcoach/player/{name[2:]}" in shell, (path, name)
    assert IMPORT.findall((tmp_path / staticfiles_storage.stored_name("sijcoach/player/main.js")).read_text())
