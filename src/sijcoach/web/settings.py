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
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": parts.path if parts.path != "/:memory:" else ":memory:",
            # WAL lets readers go on while one request writes; IMMEDIATE takes the write lock at the
            # start of a transaction, so concurrent writers wait (up to the timeout) instead of
            # failing half-way.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Each worker keeps its connection: opening and setting up SQLite per request is work
            # for nothing, and the file is local.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            # Django's connection pool (psycopg's): each worker keeps a few connections open and
            # checks one before handing it out (CONN_HEALTH_CHECKS). Django requires CONN_MAX_AGE 0
            # with it. SIJCOACH_DB_POOL=0 turns it off (for example behind PgBouncer).
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": True,
            # The pool's connections live as long as the worker, so PostgreSQL can keep a statement
            # it has parsed and planned: with server-side parameters a statement run five times on a
            # connection is prepared (psycopg's prepare_threshold; Django turns it off by default for
            # poolers that cannot keep prepared statements, hence not without our own pool). Measured
            # with bench/web.py at 16 clients: PostgreSQL's CPU for a person's day 16.6 -> 9.7 ms.
            # A request waits at most `timeout` seconds for a connection; during a database outage it
            # then answers 503 rather than hanging (security.server_error).
            "OPTIONS": {"pool": {"min_size": 1, "max_size": int(env_float("SIJCOACH_DB_POOL_SIZE", 4)),
                                 "timeout": 5},
                        "server_side_binding": True, "prepare_threshold": 5}
            if env_bool("SIJCOACH_DB_POOL", True) else {},
        }
    raise SystemExit(f"DATABASE_URL must start with sqlite:/// or postgres://, not {parts.scheme or url!r}")


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env("SIJCOACH_DATA_DIR", str(Path.cwd() / "var")))
# The data folder holds the database and the key: readable by the owner only, from the start.
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def private_file(path: Path, text: str = "") -> None:
    """Create `path` readable and writable by its owner only (never, even briefly, by others)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except (FileExistsError, FileNotFoundError):  # made already, or its folder is missing: not ours to make
        return
    with os.fdopen(fd, "w") as f:
        f.write(text)


def _secret_key() -> str:
    if env("SECRET_KEY"):
        return env("SECRET_KEY")
    # A key made once per data folder, so sessions survive restarts without a key in the repository.
    path = DATA_DIR / "secret.key"
    private_file(path, secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Keys being retired (comma-separated): sessions and links signed with them still work until they
# are dropped from the list, so a key can be changed without signing everyone out.
SECRET_KEY_FALLBACKS = [k for k in env("SECRET_KEY_FALLBACKS").split(",") if k]
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
    "sijcoach.web.learn",
    "sijcoach.web.reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sijcoach.web.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sijcoach.web.accounts.middleware.IdleExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sijcoach.web.errors.MethodNotAllowedPageMiddleware",
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
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and DATABASES["default"]["NAME"] != ":memory:":
    # SQLite gives its -wal and -shm files the database file's permissions.
    private_file(Path(DATABASES["default"]["NAME"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every worker and server when SIJCOACH_CACHE_URL names a Redis server; sessions then
# live in the database behind it (cached_db). Without it, a cache of this process only, and sessions
# read from the database on each request: a per-process cache must never hold sessions, or one
# signed out on one worker would live on in the others.
CACHE_URL = env("SIJCOACH_CACHE_URL")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise SystemExit(f"SIJCOACH_CACHE_URL must start with redis://, rediss:// or unix://, not {CACHE_URL!r}")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
    SESSION_ENGINE = "sijcoach.web.accounts.sessions_cached"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "sijcoach.web.accounts.sessions"
# Template fragments that are the same for everyone who is shown the same thing ({% cache %} in
# plans/_card.html, plans/_pain_scale.html and Today's morning question), keyed by all that the
# fragment shows, so no write ever has to clear them. This process only, even with Redis: what else a
# fragment depends on (the templates, the exercise catalogue, the static files' hashed names) changes
# only with a new release, which starts new processes, whereas a shared cache would keep serving the
# old release's markup. Rendering a card costs about 0.35 ms; reading it from here about 0.04 ms.
# {% cache %} uses the cache of this name when there is one.
CACHES["template_fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments",
                                "TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 5000}}
AUTHENTICATION_BACKENDS = ["sijcoach.web.accounts.backends.Backend"]
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
    "staticfiles": {"BACKEND": "sijcoach.web.staticfiles.Storage"},
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
# A session ends after this many days without a visit (accounts/middleware.py moves it on once a day).
SESSION_COOKIE_AGE = 60 * 60 * 24 * int(env_float("SIJCOACH_SESSION_IDLE_DAYS", 14))
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

# Email (the daily reminders, reminders/): an SMTP server named by Django's own settings from the
# environment; without EMAIL_HOST (development), messages are written to the console instead.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                 else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = int(env_float("EMAIL_PORT", 25))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")  # STARTTLS, usually on port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")  # TLS from the start, usually on port 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise SystemExit("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true: STARTTLS (587) or TLS from the start (465)")
EMAIL_TIMEOUT = 30  # seconds: a mail server that hangs does not hold the sender up for long
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "SI Joint Coach <reminders@localhost>")
# The site's public address, for the links in emails (a message has no request to take it from).
BASE_URL = env("SIJCOACH_BASE_URL").rstrip("/")
if BASE_URL and not BASE_URL.startswith(("https://", "http://")):
    raise SystemExit(f"SIJCOACH_BASE_URL is the site's address with its scheme, e.g. https://coach.example.org, "
                     f"not {BASE_URL!r}")

# The guided session's timers are multiplied by this (browser tests shorten them).
TIMER_SCALE = env_float("SIJCOACH_TIMER_SCALE", 1.0)
GET_READY_S = 5
# Before an exercise done in another position than the one before it (standing to the floor, say): time to
# get there safely, with a cue to take it slowly (an older user had 5 s to get from standing to the floor).
POSITION_CHANGE_READY_S = 20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# The security review (issue 13) ----------------------------------------------------------------------
import ipaddress  # noqa: E402

from sijcoach.web.gunicorn_conf import workers as _workers  # noqa: E402


def env_networks(name: str) -> list:
    try:
        return [ipaddress.ip_network(a.strip(), strict=False) for a in env(name).split(",") if a.strip()]
    except ValueError:
        raise SystemExit(f"{name} lists the reverse proxies' addresses or networks, comma-separated, "
                         "for example 127.0.0.1,10.0.0.0/8") from None


# Behind a reverse proxy every visitor arrives from its address: list it, and the client's address is
# read from the X-Forwarded-For header the proxy adds (only when the request comes from a listed one).
TRUSTED_PROXIES = env_networks("SIJCOACH_TRUSTED_PROXIES")
# Sign-in limits (accounts/throttle.py): this many wrong passwords in a row for an account (four times
# as many from an address), then a wait before each further try, doubling up to the longest; failures
# are forgotten a day after the last one. The right password from an address that has not been failing
# is always checked, so nobody can lock anybody out.
SIGNIN_FREE_TRIES = int(env_float("SIJCOACH_SIGNIN_FREE_TRIES", 5))
SIGNIN_FIRST_WAIT_S = 60
SIGNIN_LONGEST_WAIT_S = 60 * 60
SIGNIN_FORGET_S = 24 * 60 * 60
# Handouts being made at once (each takes seconds of one core): by default one fewer than the workers,
# so one is always free for the pages (sharing/handouts.py).
HANDOUT_RENDERS = max(1, int(env_float("SIJCOACH_HANDOUT_RENDERS", _workers - 1)))
