"""Django settings for mesohair.

Every setting comes from the environment, parsed by the small typed helpers in
``mesohair.env`` that reject bad values at start-up (the healthchecks habit).
SQLite in ``var/`` is the default database; set ``DATABASE_URL`` for PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from mesohair.env import env_bool, env_int, env_list, env_str, persistent_secret_key, secret

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(env_str("MESOHAIR_DATA_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("MESOHAIR_DEBUG", False)
# A key from the environment (or MESOHAIR_SECRET_KEY_FILE); otherwise one is
# generated once and kept in the data directory, so sessions survive restarts.
SECRET_KEY = secret("MESOHAIR_SECRET_KEY", "") or persistent_secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("MESOHAIR_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("MESOHAIR_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "django_tasks_db",
    "mesohair.accounts",
    "mesohair.clinics",
    "mesohair.patients",
    "mesohair.assessments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "mesohair.clinics.middleware.ActiveClinicMiddleware",
    "mesohair.accounts.middleware.RequireAdminTOTPMiddleware",
    # Axes must be last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mesohair.urls"
WSGI_APPLICATION = "mesohair.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

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
                "mesohair.clinics.context_processors.active_clinic",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    """PostgreSQL from DATABASE_URL, else SQLite tuned for a small clinic."""
    url = env_str("DATABASE_URL", "")
    if url:
        return dj_database_url.parse(url, conn_max_age=env_int("MESOHAIR_DB_CONN_MAX_AGE", 60))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "mesohair.sqlite3",
        "OPTIONS": {
            # IMMEDIATE avoids "database is locked" upgrades when the web server
            # and the task worker write at once; WAL lets readers go on.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# django-allauth: e-mail + password, no self sign-up (clinics invite their staff).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "mesohair.accounts.adapter.ClinicAccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = False  # django-axes does the lockout, one mechanism only
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "mesohair"
# Accept the code of the period just ended as well: a code typed in the last
# seconds of its 30 s window would otherwise fail on arrival (RFC 6238 §5.2
# recommends allowing one time step of transmission delay).
MFA_TOTP_TOLERANCE = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# django-axes: lock an account+address after repeated failures.
AXES_FAILURE_LIMIT = env_int("MESOHAIR_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("MESOHAIR_LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "mesohair.accounts.adapter.axes_username"
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_AGE = env_int("MESOHAIR_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("MESOHAIR_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

from django.utils.csp import CSP  # noqa: E402  (needs settings-free import only)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "style-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("MESOHAIR_DEFAULT_TIME_ZONE", "Europe/Madrid")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

TASKS = {
    "default": {
        "BACKEND": env_str("MESOHAIR_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

MAILERS = {
    "default": {
        "BACKEND": env_str(
            "MESOHAIR_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("MESOHAIR_FROM_EMAIL", "mesohair@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MESOHAIR_LOG_LEVEL", "WARNING")},
}
