"""Static files as WhiteNoise serves them in production (hashed names, compressed), with the ES module
imports of the session player rewritten to the hashed names too (Django's documented
`support_js_module_import_aggregation`): so the modules a page imports are the very files the service
worker keeps for offline use, and a deployment never mixes an old module with a new one."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class Storage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
