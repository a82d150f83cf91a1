"""The one settings file. Everything a deployment changes comes from the environment.

SQLite in ./var by default, so a checkout just runs; DATABASE_URL=postgres://... for PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, str(default)).strip().lower() in ("1", "true", "yes", "on")


def env_float(name: str, default: float) -> float:
    try:
        return float(env(name, str(default)))
    except ValueError:
        raise SystemExit(f"{name} must be a number, for example {default}") from None


def database_from_url(url: str, data_dir: Path) -> dict:
    """sqlite:///path/to/file or postgres://user:password@host:port/name."""
    if not url:
        url = f"sqlite:///{data_dir / 'sijcoach.sqlite3'}"
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {
            # Django's SQLite backend, with writers queued instead of polling (see sqlite/base.py).
            "ENGINE": "sijcoach.web.sqlite",
            "NAME": parts.path if parts.path != "/:memory:" else ":memory:",
            # WAL lets readers go on while one request writes; IMMEDIATE takes the write lock at the
            # start of a transaction, so concurrent writers wait instead of failing half-way.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Keep each thread's connection: opening and setting up SQLite per request cost a third
            # of the Today page's time.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme in ("postgres", "postgresql"):
        return {
            # Django's, with a health check that needs no round trip while the connection is busy
            # (see postgres/base.py).
            "ENGINE": "sijcoach.web.postgres",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # Parameters bound by the server, and a statement prepared after its fifth run on a
            # connection (Django's default prepares nothing). The sign-in read then cost PostgreSQL a
            # third of what it did, and Today's throughput rose by a seventh (make bench). The whole
            # suite passes on it. Behind a pooler in transaction mode that cannot keep prepared
            # statements (PgBouncer before 1.21), drop "prepare_threshold". A migration that changes
            # a column's type needs the workers restarted (make run migrates before it serves).
            "OPTIONS": {"server_side_binding": True, "prepare_threshold": 5},
        }
    raise SystemExit(f"DATABASE_URL must start with sqlite:/// or postgres://, not {parts.scheme or url!r}")


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env("SIJCOACH_DATA_DIR", str(Path.cwd() / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if env("SECRET_KEY"):
        return env("SECRET_KEY")
    # A key made once per data folder, so sessions survive restarts without a key in the repository.
    path = DATA_DIR / "secret.key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
HTTPS = env_bool("SIJCOACH_HTTPS")  # behind TLS: secure cookies and HSTS

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves its Swagger UI from local static files, so the docs work offline and under CSP
    "sijcoach.web.accounts",
    "sijcoach.web.plans",
    "sijcoach.web.coaching",
    "sijcoach.web.sharing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sijcoach.web.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "sijcoach.web.accounts.backends.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sijcoach.web.urls"
WSGI_APPLICATION = "sijcoach.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sijcoach.web.coaching.context.coach",
            ],
        },
    }
]

DATABASES = {"default": database_from_url(env("DATABASE_URL"), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per process: cached pages are keyed by the person's data version, read from the database on each
# request, so no process can serve a page another one made stale. Set a shared cache for many servers.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "OPTIONS": {"MAX_ENTRIES": int(env_float("PAGE_CACHE_ENTRIES", 2000))}}}
# Messages travel in a cookie, so a page with a message to show is known before it is rendered.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
AUTHENTICATION_BACKENDS = ["sijcoach.web.accounts.backends.Backend"]
SESSION_ENGINE = "sijcoach.web.accounts.backends"
PASSWORD_HASHERS = [
    "sijcoach.web.accounts.hashers.Argon2idHasher",  # OWASP's minimum costs; see its docstring
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("SIJCOACH_FAST_HASHER"):
    # Tests and benchmarks create many accounts; the real hasher is tested on its own.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-up offers "I am a coach" (the coach role; otherwise an administrator grants it with make_coach).
COACH_SIGNUP = env_bool("SIJCOACH_COACH_SIGNUP")
LOGIN_URL = "signin"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG or env_bool("SIJCOACH_TESTING"):
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    WHITENOISE_USE_FINDERS = True

# Security headers and cookies. The Content Security Policy allows no inline script or style.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

# Sign-in limits: this many failures for one account (or from one address, times four) within the
# window lock further tries until the window has passed.
SIGNIN_MAX_FAILURES = int(env("SIJCOACH_SIGNIN_MAX_FAILURES", "5"))
SIGNIN_WINDOW_S = 15 * 60

# The guided session's timers are multiplied by this (browser tests shorten them).
TIMER_SCALE = env_float("SIJCOACH_TIMER_SCALE", 1.0)
GET_READY_S = 5

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
