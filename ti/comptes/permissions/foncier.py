"""Industrial sites: who keeps a site, who reads and answers the investors' requests (decision 0042)."""

from django.db.models import Q

from ti.comptes.models import ROLES_REGIONAUX, ROLES_TERRITORIAUX, Role

from .socle import est_equipe_nationale, habilitations, regions_des_roles, regle, territoires_des_roles


def q_demandes_visibles(user) -> Q:
    """Investors' requests: the teams of the site's territories and the roles of its région. Nobody else, not even
    the national team: they hold personal data, and only those who answer need them (decision 0042)."""
    regions = regions_des_roles(user)
    territoires = territoires_des_roles(user)
    from ti.foncier.models import communes_des_territoires  # the permission layer sits above the models' apps

    return Q(site__commune__region_id__in=regions) | Q(site__commune_id__in=communes_des_territoires(territoires))


@regle("gerer_site")
def _gerer_site(user, site=None) -> bool:
    """The national team keeps every site, a chef de projet those of his territories; imports are national."""
    if est_equipe_nationale(user):
        return True
    if site is None:
        return False
    territoires = set(site.territoires().values_list("pk", flat=True))
    return any(h.role == Role.CHEF_PROJET and h.territoire_id in territoires for h in habilitations(user))


@regle("suivre_demande")
def _suivre_demande(user, demande) -> bool:
    """Who reads a request answers it: the site's territory teams and its région's roles."""
    site = demande.site
    territoires = set(site.territoires().values_list("pk", flat=True))
    return any(
        (h.role in ROLES_REGIONAUX and h.region_id == site.commune.region_id)
        or (h.role in ROLES_TERRITORIAUX and h.territoire_id in territoires)
        for h in habilitations(user)
    )
