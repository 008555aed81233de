"""Which writes make the cached figures stale (`ti.core.cache`), in one place.

Every model a cached figure reads invalidates the cache when one of its rows is saved or deleted, or when one of
its many-to-many links changes. Writes that send no signal — `bulk_create`, `bulk_update`, `QuerySet.update`,
`_raw_delete`, raw SQL — call `invalider()` themselves: the COG import (`ti.referentiel.importer.importer_cog`),
the territories' perimeters (`ti.territoires.perimetres.ecrire_perimetres`, used by the import and the demo), the
fiches import (`ti.projets.import_ecriture.ecrire`) and the scale dataset (`bench.donnees_synthetiques`).

Who caches a figure that reads another model adds it here (and its bulk writes call `invalider()`).

Whole pages kept for anonymous visitors (`ti.core.cache_pages`) show any model: a write to any other model bumps the
pages' generation only (`invalider_pages`), except the bookkeeping that no page shows (`SANS_PAGE`: sessions, the
job queue, login attempts, the admin's log). Bulk writes made through the web are covered by the middleware itself
(every successful POST bumps it); those made by a command or a job outside a request are bounded by the pages' short
life (`ti.core.cache_pages.DUREE`).
"""

from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.test.signals import setting_changed

from ti.core.cache import GENERATION_PAGES, invalider, invalider_pages

# The models the cached figures read, by their selectors:
MODELES = (
    # ti.pilotage.selectors (home page, /api/v1/chiffres): territories per phase, their perimeters' communes (whose
    # own columns give the EPCI, département and région counted: those tables themselves are not read), régions.
    "territoires.Territoire",
    "territoires.CommuneTerritoire",
    "referentiel.Commune",
    "referentiel.Region",
    # ti.projets.selectors_chiffres (figures of fiches-action): fiches, their themes and financing lines, the names
    # and régions of their territories.
    "projets.Projet",
    "projets.Theme",
    "projets.LigneFinancement",
    # ti.territoires.views (a territory's cached table of communes): also the names of the départements.
    "referentiel.Departement",
    # ti.animation.selectors_chiffres.resume (the network's summary on the national board): who is in the network,
    # their registrations, the questions and their answers. The accounts' rows are not listed (they change at every
    # login); their activity flag changes through the retention job, on accounts without active habilitation, which
    # are not counted, or through the admin's technical form.
    "comptes.Habilitation",
    "animation.Inscription",
    "animation.Fil",
    "animation.Reponse",
)
# Their many-to-many links. A territory's régions also decide which fiches a regional agent sees.
LIENS = (
    ("territoires.Territoire", "communes"),  # through CommuneTerritoire: `.add()` sends only m2m_changed
    ("territoires.Territoire", "regions"),
    ("projets.Projet", "themes"),
)
_ACTIONS_M2M = {"post_add", "post_remove", "post_clear"}
# Apps whose rows no page shows, written on many requests: they leave the pages' cache alone.
SANS_PAGE = {"sessions", "django_q", "axes", "admin", "contenttypes", "otp_totp", "otp_static"}


def _ecriture(sender, **kwargs) -> None:
    invalider()


def _liens_modifies(sender, action, **kwargs) -> None:
    if action in _ACTIONS_M2M:
        invalider()


def _ecriture_page(sender, **kwargs) -> None:
    if sender._meta.app_label not in SANS_PAGE and sender not in _modeles_des_chiffres:
        invalider_pages()


def _liens_page(sender, action, **kwargs) -> None:
    if action in _ACTIONS_M2M and sender._meta.app_label not in SANS_PAGE:
        invalider_pages()


_modeles_des_chiffres: set = set()


def _reglage_modifie(**kwargs) -> None:
    """Pages show settings too (the host, the contact): a test that changes one must not read the page rendered
    before. In production, settings change with a deployment, which empties the cache. No transaction here: the
    generation is dropped, and starts again from the clock."""
    cache.delete(GENERATION_PAGES)


def connecter() -> None:
    """Called once by `CoreConfig.ready()`; the uids keep a second call from connecting twice."""
    for nom in MODELES:
        modele = apps.get_model(nom)
        post_save.connect(_ecriture, sender=modele, dispatch_uid=f"invalidation:save:{nom}")
        post_delete.connect(_ecriture, sender=modele, dispatch_uid=f"invalidation:delete:{nom}")
        _modeles_des_chiffres.add(modele)
    for nom, champ in LIENS:
        through = getattr(apps.get_model(nom), champ).through
        uid = f"invalidation:{nom}.{champ}"
        m2m_changed.connect(_liens_modifies, sender=through, dispatch_uid=f"{uid}:m2m")
        if through._meta.auto_created:
            # Deleting link rows directly (the territories import does) sends post_delete once receivers listen.
            post_delete.connect(_ecriture, sender=through, dispatch_uid=f"{uid}:delete")
    post_save.connect(_ecriture_page, dispatch_uid="invalidation:pages:save")
    post_delete.connect(_ecriture_page, dispatch_uid="invalidation:pages:delete")
    m2m_changed.connect(_liens_page, dispatch_uid="invalidation:pages:m2m")
    setting_changed.connect(_reglage_modifie, dispatch_uid="invalidation:pages:reglages")
