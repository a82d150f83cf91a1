"""The Django web app: server-rendered pages and the JSON API over the engine."""
