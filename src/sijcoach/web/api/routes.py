"""The JSON API under /api/v1/ (docs at /api/docs). Placeholder until the endpoints land."""

from ninja import NinjaAPI

api = NinjaAPI(title="SI Joint Coach API", version="1", docs_url="/docs", openapi_url="/openapi.json")
