"""Settings, all read from the environment (one module, no per-environment files).

Development needs nothing set: an SQLite file under var/, DEBUG on, e-mails on the console.
Production sets at least SECRET_KEY, DEBUG=0, ALLOWED_HOSTS and DATABASE_URL (see docs/exploitation.md).
"""

import ipaddress
import os
import warnings
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not env_bool("ALLOW_INSECURE_SECRET", False):
        raise ImproperlyConfigured("SECRET_KEY doit être défini quand DEBUG est désactivé.")
    SECRET_KEY = "dev-insecure-secret-key-not-for-production-use-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ti.comptes.apps_admin.AdministrationConfig",  # Django's admin behind two-factor authentication
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",
    "dsfr",
    "ninja",
    "axes",
    "mozilla_django_oidc",
    "django_q",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "ti.core",
    "ti.referentiel",
    "ti.territoires",
    "ti.projets",
    "ti.financements",
    "ti.comptes",
    "ti.pilotage",
    "ti.notifications",
    "ti.croisement",
    "ti.foncier",
    "ti.ingenierie",
    "ti.animation",
    "ti.demo",
    "bench",
    "ti.espace",
    "ti.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (a territory's page: 21 Ko → 5 Ko), decision 0071; after WhiteNoise, which serves static files
    # already compressed and never hands them on. Django's version pads each answer against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Absolute and idle expiry of signed-in sessions (ti/comptes/middleware.py).
    "ti.comptes.middleware.ExpirationSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Roles that need a second factor get nothing but its pages until it is given (ti/comptes/double_facteur.py).
    "ti.comptes.middleware.DoubleFacteurMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # The French 404 page with DEBUG on too (ti/core/erreurs.py); inside CommonMiddleware, which adds a missing slash.
    "ti.core.erreurs.PagesErreurEnFrancais",
    # Last, as django-axes requires: it turns a locked-out login into a clear page.
    "axes.middleware.AxesMiddleware",
]
# Whole pages for anonymous visitors, until the next write (ti/core/cache_pages.py, decision 0060); before the
# sessions, so that a page served from the cache costs no SQL query. PAGES_EN_CACHE=0 turns it off (to compare).
if env_bool("PAGES_EN_CACHE", True):
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "ti.core.cache_pages.PagesPubliquesEnCache",
    )
# Paths never served from nor kept in the pages' cache: the benchmark's floor, the admin, uploaded files.
PAGES_HORS_CACHE = ("/bench/", "/admin/", "/media/")
# The benchmark (`make bench`, bench/README.md): count SQL queries per request. Never set in production.
BENCH = env_bool("BENCH", False)
if BENCH:
    MIDDLEWARE.insert(0, "ti.core.middleware_bench.CompteurRequetesSQL")

# DSFR forms mark the optional fields « (Optionnel) » and no longer the required ones with « * », as the DSFR
# recommends and as the next major version of django-dsfr will do by default. django-dsfr 3.6 warns of the setting
# itself at every form render (it will go with that version): the choice is made, the notice is silenced
# (docs/decisions/0064-dependances-verrouillees-et-avertissements.md).
DSFR_MARK_OPTIONAL_FIELDS = True
warnings.filterwarnings("ignore", message="Transitional Django setting DSFR_MARK_OPTIONAL_FIELDS", category=UserWarning)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "ti.core.context_processors.plateforme",
                "ti.espace.context_processors.navigation",
            ],
            # « 1er mars 2024 à 10 h 05 » in every template (ti/core/templatetags/dates_fr.py).
            "builtins": ["ti.core.templatetags.dates_fr"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# SQLite (`make run`, the tests) under parallel requests: WAL lets readers go on while one writes; IMMEDIATE takes
# the write lock when a transaction begins, so that it never fails half way with « database is locked » when it
# turns from reading to writing; the busy timeout (seconds) makes the next writer wait for the lock.
OPTIONS_SQLITE = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**OPTIONS_SQLITE, **DATABASES["default"].get("OPTIONS", {})}
# PostgreSQL: no JIT compilation. Its threshold is a planner cost, and the estimate of a page query with correlated
# subqueries over the national table (the instruction queue) crosses it: 0.7 s spent compiling for a query that runs
# in 0.15 s (docs/decisions/0068-requetes-des-pages-connectees.md). Web pages run short queries; JIT never pays.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cached figures (ti/core/cache.py) must be shared by every worker in production: CACHE_URL=redis://host:6379/0.
# Without it each process keeps its own (enough for `make run` and the tests).
if env("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("CACHE_URL")}}
    # Sessions read from the shared cache, written through to the database: one query less per signed-in request.
    # Only with a shared cache: with one cache per process, a session closed in one worker would live on in others.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ti"}}

AUTH_USER_MODEL = "comptes.Utilisateur"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so that a locked-out account is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "comptes:connexion"
LOGIN_REDIRECT_URL = "espace:a_faire"
LOGOUT_REDIRECT_URL = "accueil"

# Lockout after repeated failed logins (django-axes): per account and per address.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "0.5"))  # hours
# Per account and address; ProConnect returns (no username) are not counted: see ti.comptes.proconnect.
AXES_LOCKOUT_PARAMETERS = "ti.comptes.proconnect.parametres_de_verrouillage"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "comptes/verrouille.html"
# Across accounts, one address is refused after this many failures within the cool-off (ti/comptes/verrouillage.py).
AXES_ECHECS_PAR_ADRESSE = int(env("AXES_ECHECS_PAR_ADRESSE", "50"))
AXES_HANDLER = "ti.comptes.verrouillage.VerrouillageParCompteEtAdresse"
# The client's address: X-Forwarded-For is read only from these reverse proxies (addresses or networks, comma
# separated, e.g. "10.0.0.5,10.1.0.0/16"); without them, the address the request comes from (ti/core/reseau.py).
PROXYS_DE_CONFIANCE = env_list("PROXYS_DE_CONFIANCE")
try:
    for _reseau in PROXYS_DE_CONFIANCE:
        ipaddress.ip_network(_reseau, strict=False)
except ValueError as _erreur:
    raise ImproperlyConfigured(f"PROXYS_DE_CONFIANCE : adresse ou réseau illisible ({_erreur}).") from _erreur
AXES_CLIENT_IP_CALLABLE = "ti.core.reseau.adresse_client"

# ProConnect (OpenID Connect), active only when its settings are present.
PROCONNECT_ENABLED = bool(env("PROCONNECT_CLIENT_ID"))
if PROCONNECT_ENABLED:
    _proconnect = env("PROCONNECT_DOMAIN").rstrip("/")
    OIDC_RP_CLIENT_ID = env("PROCONNECT_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env("PROCONNECT_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env("PROCONNECT_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = "openid email given_name usual_name siret"
    OIDC_OP_AUTHORIZATION_ENDPOINT = f"{_proconnect}/authorize"
    OIDC_OP_TOKEN_ENDPOINT = f"{_proconnect}/token"
    OIDC_OP_USER_ENDPOINT = f"{_proconnect}/userinfo"
    OIDC_OP_JWKS_ENDPOINT = f"{_proconnect}/jwks"
    OIDC_OP_LOGOUT_ENDPOINT = f"{_proconnect}/session/end"
    OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": "eidas1"}
    OIDC_CREATE_USER = False  # accounts are opened by the national team, then matched by e-mail
    LOGIN_REDIRECT_URL_FAILURE = "/comptes/connexion/?proconnect=echec"
    AUTHENTICATION_BACKENDS.append("ti.comptes.proconnect.ProConnectBackend")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files on S3-compatible object storage when S3_BUCKET is set (django-storages, decision 0062): then every
# application server reads and writes the same files. Otherwise a directory of this machine (MEDIA_ROOT), fit for a
# single server. The files are never served by address: the views check the permission and stream them.
if env("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("S3_ACCESS_KEY_ID") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
            "addressing_style": env("S3_ADDRESSING_STYLE", "path"),
            "location": env("S3_PREFIXE"),  # a folder inside the bucket, empty for its root
            "default_acl": None,  # private: the bucket's own policy, never public-read
            "querystring_auth": True,
            "file_overwrite": False,  # two uploads of « devis.pdf » keep two files
        },
    }
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
# Antivirus scan of uploaded files (ti/core/antivirus.py): « aucun », « clamav », or the dotted path of a scanner class.
ANTIVIRUS = env("ANTIVIRUS", "aucun")
CLAMAV_ADRESSE = env("CLAMAV_ADRESSE", "/var/run/clamav/clamd.ctl")  # a unix socket path, or host:port
CLAMAV_DELAI = float(env("CLAMAV_DELAI", "30"))  # seconds

# The daily anchors of the journal's chain (manage.py ancrer_journal): a file to keep apart from the database.
ANCRES_JOURNAL = Path(env("ANCRES_JOURNAL", str(BASE_DIR / "var" / "ancres-journal.jsonl")))
# Files waiting between the two steps of « Croiser un fichier » (shared by the application servers, like MEDIA_ROOT)
CROISEMENT_DEPOT = Path(env("CROISEMENT_DEPOT", str(BASE_DIR / "var" / "croisements")))

# The platform's public address, for the links in e-mails sent outside a request (account opened, habilitations).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Self-service accounts of applicants (ti/comptes/inscription.py): the confirmation link's life, the sign-ups one
# address may send within the lockout's cool-off, and the public company directory asked about claimed SIRETs
# (off unless ANNUAIRE_ENTREPRISES_VERIFICATION=1; a short timeout, then the claim waits « à vérifier »).
INSCRIPTION_LIEN_HEURES = int(env("INSCRIPTION_LIEN_HEURES", "48"))
INSCRIPTIONS_PAR_ADRESSE = int(env("INSCRIPTIONS_PAR_ADRESSE", "10"))
ANNUAIRE_ENTREPRISES_VERIFICATION = env_bool("ANNUAIRE_ENTREPRISES_VERIFICATION", False)
ANNUAIRE_ENTREPRISES_URL = env("ANNUAIRE_ENTREPRISES_URL", "https://recherche-entreprises.api.gouv.fr/search")
ANNUAIRE_ENTREPRISES_DELAI = float(env("ANNUAIRE_ENTREPRISES_DELAI", "3"))  # seconds
# What the public pages say of the operator (ti/core/views.py, docs/decisions/0059-pages-publiques.md); empty until
# the operator sets them, and the pages say so rather than show an invented value.
# HEBERGEUR: name, address and telephone of the host (loi pour la confiance dans l’économie numérique).
HEBERGEUR = env("HEBERGEUR")
CONTACT_PLATEFORME = env("CONTACT_PLATEFORME")  # e-mail address for accessibility, personal data and questions
# The data.gouv.fr page of each published dataset, when there is one (ti/pilotage/donnees_ouvertes.py):
# DATA_GOUV_<DATASET>=https://www.data.gouv.fr/fr/datasets/…, e.g. DATA_GOUV_SUBVENTIONS.
PAGES_DATA_GOUV = {
    nom.removeprefix("DATA_GOUV_").lower(): adresse
    for nom, adresse in os.environ.items()
    if nom.startswith("DATA_GOUV_") and adresse
}
for _nom, _adresse in PAGES_DATA_GOUV.items():
    if not _adresse.startswith("https://"):
        raise ImproperlyConfigured(f"DATA_GOUV_{_nom.upper()} : une adresse https:// est attendue.")

# E-mail: console in development, SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", "Territoires d'industrie <ne-pas-repondre@territoires-industrie.example>"
)
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The background job queue (django-q2, decision 0037): jobs are rows of the database, run by
# `manage.py qcluster` (`make run` starts it; docs/exploitation.md for production). A failed job is not
# acknowledged: it comes back after TRAVAUX_REPRISE seconds, up to TRAVAUX_TENTATIVES attempts, then stays in the
# admin's « Failed tasks ». The timeout must stay below the retry delay (django-q2 checks it).
Q_CLUSTER = {
    "name": "ti",
    "orm": "default",
    "workers": int(env("TRAVAUX_WORKERS", "2")),
    "timeout": int(env("TRAVAUX_DUREE_MAX", "120")),
    "retry": int(env("TRAVAUX_REPRISE", "300")),
    "max_attempts": int(env("TRAVAUX_TENTATIVES", "5")),
    "ack_failures": False,
    "save_limit": 1000,
    "poll": 1,
    "catch_up": False,
    "label": "File de travaux",
}

# Security: strict by default outside DEBUG, so that `check --deploy` is clean with production values.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Sessions end after SESSION_COOKIE_AGE at most (absolute: a working day, counted from the login) and after
# SESSION_INACTIVITE_MAX without a request (idle), see ti/comptes/middleware.py. Closing the browser ends them too.
SESSION_COOKIE_AGE = int(env("SESSION_DUREE_MAX_HEURES", "8")) * 3600
SESSION_INACTIVITE_MAX = int(env("SESSION_INACTIVITE_MAX_MINUTES", "30")) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Retention of accounts: without login nor habilitation for this many years, an account is anonymised by
# `manage.py appliquer_conservation` (docs/exploitation.md).
CONSERVATION_COMPTES_ANS = int(env("CONSERVATION_COMPTES_ANS", "3"))

# Two-factor authentication (django-otp, TOTP), see ti/comptes/double_facteur.py.
OTP_TOTP_ISSUER = "Territoires d’industrie"
OTP_TOTP_THROTTLE_FACTOR = 1  # after n failed codes, wait 2^(n-1) seconds before the next one is checked
OTP_STATIC_THROTTLE_FACTOR = 1

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from the platform only; the templates hold
# no inline script, style or event handler (tests/core/test_csp.py). `data:` images: the DSFR's CSS draws some icons
# with them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *([_proconnect] if PROCONNECT_ENABLED else [])],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # One line per queued or processed job is noise; failures are logged as errors.
        "django-q": {"level": env("LOG_LEVEL_TRAVAUX", "WARNING")},
    },
}

# The data shipped with the repository (COG, territories, maps).
DONNEES_DIR = BASE_DIR / "data"
