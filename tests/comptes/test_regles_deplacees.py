"""The role rules that lived in the views, selectors and the menu, now in the permission layer: role by role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ti.animation.forms import EvenementForm
from ti.comptes import permissions
from ti.comptes.models import Role

from ..factories import UtilisateurFactory

PERSONAS = [
    "equipe_nationale",
    "instructeur_cvl",
    "expert_ademe_cvl",
    "referent_region_cvl",
    "chef_projet_cvl",
    "binome_cvl",
    "porteur",
    "consultant",
    "sans_habilitation",
]


def _qui(admis: set[str]) -> list[tuple[str, bool]]:
    """Each persona and whether the rule lets it through."""
    return [(persona, persona in admis) for persona in PERSONAS]


@pytest.mark.parametrize(
    ("persona", "admis"),
    _qui({"equipe_nationale", "instructeur_cvl", "expert_ademe_cvl", "referent_region_cvl"}),
)
def test_qui_voit_la_file_d_instruction(db, request, persona, admis):
    """Was `selectors_file.ROLES_DE_LA_FILE`."""
    assert permissions.peut(request.getfixturevalue(persona), "voir_file") is admis


@pytest.mark.parametrize(("persona", "admis"), _qui({"expert_ademe_cvl", "referent_region_cvl", "binome_cvl"}))
def test_qui_voit_les_avis_attendus(db, request, persona, admis):
    """Was `views.avis_attendus.ROLES_QUI_RENDENT`: those who give opinions, not the instruction nor the national
    team (they read the opinions, they do not give them)."""
    assert permissions.peut(request.getfixturevalue(persona), "voir_avis_attendus") is admis


@pytest.mark.parametrize(("persona", "admis"), _qui(set(PERSONAS) - {"porteur", "sans_habilitation"}))
def test_qui_lit_les_noms_de_la_gouvernance(db, request, persona, admis):
    """Was `territoires.gouvernance.ROLES_PARTENAIRES`: every partner, a consultant too; never a porteur."""
    assert permissions.peut(request.getfixturevalue(persona), "voir_noms_gouvernance") is admis


def test_la_gouvernance_nommee_suit_la_regle(porteur, consultant, territoire_cvl):
    from ti.territoires.gouvernance import gouvernance

    assert gouvernance(territoire_cvl, consultant).nommee
    assert not gouvernance(territoire_cvl, porteur).nommee
    assert not gouvernance(territoire_cvl, AnonymousUser()).nommee


@pytest.mark.parametrize(
    ("persona", "regions"),
    [
        ("equipe_nationale", None),
        ("instructeur_cvl", {"24"}),
        ("expert_ademe_cvl", {"24"}),
        ("referent_region_cvl", {"24"}),
        ("chef_projet_cvl", set()),
        ("binome_cvl", set()),
        ("porteur", set()),
        ("consultant", set()),
    ],
)
def test_les_regions_dont_on_suit_les_enveloppes(db, request, persona, regions):
    """Was `selectors_file.enveloppes_suivies`: the national team all of them, a regional role its région."""
    assert permissions.regions_des_enveloppes_suivies(request.getfixturevalue(persona)) == regions


@pytest.mark.parametrize(
    ("persona", "au_centre", "en_bretagne"),
    [
        ("equipe_nationale", True, True),
        ("instructeur_cvl", True, False),
        ("expert_ademe_cvl", True, False),
        ("referent_region_cvl", True, False),
        ("instructeur_bretagne", False, True),
        ("chef_projet_cvl", False, False),  # a territory's role reads its territory, not the région
        ("binome_cvl", False, False),
        ("porteur", False, False),
        ("consultant", False, False),
    ],
)
def test_qui_lit_les_chiffres_d_une_region(db, request, bretagne, persona, au_centre, en_bretagne):
    """Was `projets.selectors_chiffres.regions_du_perimetre`."""
    utilisateur = request.getfixturevalue(persona)
    assert permissions.peut(utilisateur, "voir_chiffres_region", "24") is au_centre
    assert permissions.peut(utilisateur, "voir_chiffres_region", bretagne) is en_bretagne  # a région or its code


@pytest.mark.parametrize(
    ("persona", "demande"),
    [
        ("chef_projet_cvl", True),
        ("binome_cvl", True),
        ("equipe_nationale", False),  # the national team decides on the requests, it does not file them
        ("instructeur_cvl", False),
        ("referent_region_cvl", False),
        ("porteur", False),
        ("consultant", False),
    ],
)
def test_les_territoires_ou_l_on_demande_de_l_ingenierie(db, request, territoire_cvl, persona, demande):
    """Was `ingenierie.views._territoires_demandeurs`; the same roles as the rule « demander_ingenierie »."""
    utilisateur = request.getfixturevalue(persona)
    assert permissions.territoires_demandeurs(utilisateur) == ({territoire_cvl.pk} if demande else set())
    assert permissions.peut(utilisateur, "demander_ingenierie", territoire_cvl) is demande


@pytest.mark.parametrize(("persona", "exige"), _qui({"equipe_nationale", "instructeur_cvl"}))
def test_qui_doit_donner_un_second_facteur(db, request, persona, exige):
    """Was `double_facteur.ROLES_A_DOUBLE_FACTEUR`: those who decide on money and rights."""
    assert permissions.exige_double_facteur(request.getfixturevalue(persona)) is exige


def test_l_administrateur_technique_donne_un_second_facteur_et_le_visiteur_non(db):
    assert permissions.exige_double_facteur(UtilisateurFactory(is_staff=True))
    assert not permissions.exige_double_facteur(AnonymousUser())


@pytest.mark.parametrize(
    ("persona", "regions"),
    [
        ("referent_region_cvl", {"24"}),
        ("instructeur_cvl", set()),
        ("expert_ademe_cvl", set()),
        ("chef_projet_cvl", set()),
        ("equipe_nationale", set()),  # it plans everywhere, through its own rule, not through a région
        ("porteur", set()),
    ],
)
def test_les_regions_ou_le_referent_planifie(db, request, persona, regions):
    """Was a test of `Role.REFERENT_REGION` in `animation.forms.EvenementForm`."""
    assert permissions.regions_du_referent(request.getfixturevalue(persona)) == regions


def test_le_formulaire_d_evenement_du_referent_ne_propose_que_sa_region(referent_region_cvl, bretagne):
    form = EvenementForm(user=referent_region_cvl)
    assert [r.code for r in form.fields["region"].queryset] == ["24"]
    assert form.fields["region"].required


def test_le_formulaire_d_evenement_de_l_equipe_nationale_propose_toutes_les_regions(equipe_nationale, cvl, bretagne):
    form = EvenementForm(user=equipe_nationale)
    assert {r.code for r in form.fields["region"].queryset} >= {"24", "53"}


# --- The menu: the same rules, asked on the roles kept in the session -------------------------------------------------

MENU = {
    # rule: (roles let through, roles refused)
    "instruire": ({Role.INSTRUCTEUR, Role.EQUIPE_NATIONALE}, {Role.EXPERT_ADEME, Role.REFERENT_REGION, Role.PORTEUR}),
    "voir_avis_attendus": ({Role.EXPERT_ADEME, Role.REFERENT_REGION, Role.BINOME}, {Role.INSTRUCTEUR, Role.PORTEUR}),
    "voir_mes_dossiers": ({Role.PORTEUR}, {Role.EQUIPE_NATIONALE, Role.CHEF_PROJET, Role.CONSULTANT}),
    "suivre_ingenierie": ({Role.CONSULTANT, Role.CHEF_PROJET, Role.EQUIPE_NATIONALE}, {Role.PORTEUR}),
    "echanger_reseau": ({Role.EQUIPE_NATIONALE, Role.BINOME, Role.EXPERT_ADEME}, {Role.PORTEUR, Role.CONSULTANT}),
    "voir_chiffres_nationaux": ({Role.EQUIPE_NATIONALE}, {Role.INSTRUCTEUR, Role.REFERENT_REGION, Role.PORTEUR}),
}


@pytest.mark.parametrize("regle", sorted(MENU))
def test_les_regles_du_menu_role_par_role(regle):
    admis, refuses = MENU[regle]
    for role in admis:
        assert permissions.peut_selon_roles({role}, regle), role
    for role in refuses:
        assert not permissions.peut_selon_roles({role}, regle), role
    assert not permissions.peut_selon_roles(set(), regle)


@pytest.mark.parametrize("persona", [*PERSONAS, "instructeur_bretagne"])
def test_le_menu_et_les_pages_lisent_la_meme_regle(db, request, persona):
    """Asked on the roles alone (the menu) or on the person (the page), a rule says the same."""
    utilisateur = request.getfixturevalue(persona)
    for regle in MENU:
        assert permissions.peut_selon_roles(permissions.roles(utilisateur), regle) is permissions.peut(
            utilisateur, regle
        ), regle


def test_une_regle_qui_lit_l_objet_ne_se_decide_pas_sur_les_roles():
    with pytest.raises(TypeError):
        permissions.peut_selon_roles({Role.INSTRUCTEUR}, "instruire_dossier")


def test_une_regle_ne_se_declare_qu_une_fois():
    with pytest.raises(ValueError):
        permissions.regle("voir_file", lambda user, objet=None: True)
    assert isinstance(permissions.REGLES["voir_file"], permissions.RegleDeRoles)


# --- The to-do lists (ti/espace/collecteurs): the tasks of each role, read from the same layer ----------------------


@pytest.mark.parametrize(
    ("persona", "examinees", "instruites"),
    [
        ("referent_region_cvl", {"24"}, set()),
        ("instructeur_cvl", {"24"}, {"24"}),
        ("expert_ademe_cvl", set(), set()),
        ("equipe_nationale", set(), set()),  # it examines and decides everywhere, through its own rules
        ("chef_projet_cvl", set(), set()),
        ("porteur", set(), set()),
    ],
)
def test_les_regions_ou_l_on_examine_et_ou_l_on_instruit(db, request, persona, examinees, instruites):
    """Were `Role.REFERENT_REGION, Role.INSTRUCTEUR` and `Role.INSTRUCTEUR` in the to-do lists."""
    utilisateur = request.getfixturevalue(persona)
    assert permissions.regions_examinees(utilisateur) == examinees
    assert permissions.regions_instruites(utilisateur) == instruites


@pytest.mark.parametrize(("persona", "admis"), _qui({"consultant"}))
def test_qui_est_consultant(db, request, persona, admis):
    """Was `a_le_role(user, {Role.CONSULTANT})` in the engineering to-do list."""
    assert permissions.est_consultant(request.getfixturevalue(persona)) is admis


@pytest.mark.parametrize(
    ("persona", "a_valider", "a_rediger"),
    [
        ("binome_cvl", True, False),
        ("chef_projet_cvl", False, True),
        ("equipe_nationale", False, False),
        ("referent_region_cvl", False, False),
        ("porteur", False, False),
    ],
)
def test_les_territoires_des_plans_a_valider_et_a_reprendre(db, request, territoire_cvl, persona, a_valider, a_rediger):
    """Were `Role.BINOME` and `Role.CHEF_PROJET` in the plans' to-do list; the same roles as « valider_plan »."""
    utilisateur = request.getfixturevalue(persona)
    assert permissions.territoires_des_plans_a_valider(utilisateur) == ({territoire_cvl.pk} if a_valider else set())
    assert permissions.territoires_des_plans_a_rediger(utilisateur) == ({territoire_cvl.pk} if a_rediger else set())
    assert permissions.peut(utilisateur, "valider_plan", territoire_cvl) is a_valider


@pytest.mark.parametrize(
    ("persona", "attendu"),
    [
        ("expert_ademe_cvl", {"ademe": ({"24"}, set())}),
        ("referent_region_cvl", {"region": ({"24"}, set())}),
        ("binome_cvl", {"gouvernance": (set(), "territoire")}),
        ("instructeur_cvl", {}),
        ("equipe_nationale", {}),
        ("porteur", {}),
    ],
)
def test_les_perimetres_des_avis(db, request, territoire_cvl, persona, attendu):
    """Was a test of `Role.BINOME` over `ROLES_AVIS` in the opinions' to-do list."""
    perimetres = permissions.perimetres_des_avis(request.getfixturevalue(persona))
    remplis = {type_: p for type_, p in perimetres.items() if p != (set(), set())}
    if "gouvernance" in attendu:
        attendu = {"gouvernance": (set(), {territoire_cvl.pk})}
    assert remplis == attendu
