"""« Mon espace »: the user's active habilitations, their scope, and the way to the territories in it."""

from django.urls import reverse
from django.utils import timezone

from ti.comptes.models import Role

from ..factories import HabilitationFactory, TerritoireFactory, utilisateur_avec

MON_ESPACE = reverse("comptes:mon_espace")


def test_anonyme_renvoye_vers_la_connexion(client, db):
    reponse = client.get(MON_ESPACE)
    assert reponse.status_code == 302
    assert reponse["Location"] == f"{reverse('comptes:connexion')}?next={MON_ESPACE}"


def test_chef_de_projet_voit_son_habilitation_et_son_territoire(
    client, chef_projet_cvl, territoire_cvl, django_assert_max_num_queries
):
    client.force_login(chef_projet_cvl)
    with django_assert_max_num_queries(5):
        reponse = client.get(MON_ESPACE)
    html = reponse.content.decode()
    assert "Chef de projet" in html
    assert reverse("territoires:detail", args=[territoire_cvl.identifiant]) in html
    assert "Gérer les comptes et habilitations" not in html
    assert reverse("comptes:mot_de_passe_changer") in html


def test_instructeur_voit_les_territoires_de_sa_region(
    client, instructeur_cvl, cvl, territoire_cvl, territoire_bretagne, django_assert_max_num_queries
):
    autres = TerritoireFactory.create_batch(20)
    for territoire in autres:
        territoire.regions.set([cvl])
    client.force_login(instructeur_cvl)
    with django_assert_max_num_queries(6):
        html = client.get(MON_ESPACE).content.decode()
    assert "Instructeur régional" in html and "Centre-Val de Loire" in html
    assert reverse("territoires:region", args=["24"]) in html
    for territoire in [territoire_cvl, *autres]:
        assert reverse("territoires:detail", args=[territoire.identifiant]) in html
    assert reverse("territoires:detail", args=[territoire_bretagne.identifiant]) not in html


def test_equipe_nationale_a_le_lien_de_gestion(client, equipe_nationale, django_assert_max_num_queries):
    client.force_login(equipe_nationale)
    with django_assert_max_num_queries(5):
        html = client.get(MON_ESPACE).content.decode()
    assert "France entière" in html
    assert reverse("comptes:habilitations") in html
    assert reverse("territoires:liste") in html


def test_sans_habilitation_un_message_l_explique(client, sans_habilitation):
    client.force_login(sans_habilitation)
    html = client.get(MON_ESPACE).content.decode()
    assert "Aucune habilitation active" in html
    assert "Aucun territoire d’industrie ne relève de vos habilitations" in html


def test_une_habilitation_retiree_n_apparait_plus(client, territoire_cvl, equipe_nationale):
    habilitation = HabilitationFactory(role=Role.BINOME, territoire=territoire_cvl)
    habilitation.revoquee_le, habilitation.revoquee_par = timezone.now(), equipe_nationale
    habilitation.save()
    client.force_login(habilitation.utilisateur)
    html = client.get(MON_ESPACE).content.decode()
    assert "Aucune habilitation active" in html
    assert territoire_cvl.identifiant not in html


def test_porteur_voit_son_siret(client, porteur):
    client.force_login(porteur)
    html = client.get(MON_ESPACE).content.decode()
    assert "Porteur de projet" in html and "SIRET 91234567500017" in html


def test_le_porteur_trouve_ses_dossiers_et_l_instructeur_sa_file(client, db, cvl):
    porteur = utilisateur_avec(Role.PORTEUR, siret="73282932000074")
    client.force_login(porteur)
    page = client.get(reverse("comptes:mon_espace")).content.decode()
    assert reverse("financements:mes_dossiers") in page
    assert reverse("financements:file") not in page

    client.force_login(utilisateur_avec(Role.INSTRUCTEUR, region=cvl))
    page = client.get(reverse("comptes:mon_espace")).content.decode()
    assert reverse("financements:file") in page
    assert reverse("financements:mes_dossiers") not in page
