"""The organisers change and cancel their events (registrants told through the queue, with the reason) and export
the registrations in CSV, XLSX and ODS."""

import io
from datetime import timedelta

import pytest
import tablib
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ti.animation import actions
from ti.animation.models import Evenement, Inscription, StatutEvenement, StatutInscription
from ti.animation.notifications import rappeler_evenements
from ti.comptes.models import Role, Utilisateur
from ti.core.models import Journal
from ti.notifications.models import Notification, Type

from ..factories import utilisateur_avec
from .conftest import creer_evenement

FORMAT = "%Y-%m-%dT%H:%M"


@pytest.fixture
def atelier_cvl(referent_region_cvl, cvl, territoire_cvl):
    """Two seats taken, one person waiting, in the referent's région; times to the minute, as the form gives them."""
    debut = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    evenement = creer_evenement(
        referent_region_cvl, region=cvl, debut=debut, fin=debut + timedelta(hours=3),
        cloture_inscriptions=debut - timedelta(days=3),
    )  # fmt: skip
    for _ in range(3):
        actions.inscrire(evenement=evenement, par=utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl))
    return evenement


def champs(evenement, **modifies) -> dict:
    valeurs = {
        "titre": evenement.titre, "type": evenement.type, "description": evenement.description,
        "debut": timezone.localtime(evenement.debut).strftime(FORMAT),
        "fin": timezone.localtime(evenement.fin).strftime(FORMAT),
        "cloture_inscriptions": timezone.localtime(evenement.cloture_inscriptions).strftime(FORMAT),
        "lieu": evenement.lieu, "lien": evenement.lien, "region": evenement.region_id or "",
        "capacite": evenement.capacite,
    }  # fmt: skip
    return {**valeurs, **modifies}


def test_l_organisateur_modifie_et_les_places_en_plus_vont_a_la_liste_d_attente(
    client, atelier_cvl, referent_region_cvl, executer_travaux, django_capture_on_commit_callbacks
):
    client.force_login(referent_region_cvl)
    page = client.get(atelier_cvl.get_absolute_url()).content.decode()
    assert reverse("animation:modifier_evenement", args=[atelier_cvl.pk]) in page
    url = reverse("animation:modifier_evenement", args=[atelier_cvl.pk])
    assert "Modifier « Atelier décarbonation »" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, champs(atelier_cvl, capacite=3, lieu="Tours"))
    assert reponse.status_code == 302
    atelier_cvl.refresh_from_db()
    assert (atelier_cvl.capacite, atelier_cvl.lieu) == (3, "Tours")
    assert not Inscription.objects.filter(statut=StatutInscription.ATTENTE).exists()
    assert Journal.objects.get(action="animation.evenement_modifie").details == {"champs": ["capacite", "lieu"]}
    executer_travaux()
    assert Notification.objects.get().type == Type.PLACE_EVENEMENT


def test_la_capacite_ne_descend_pas_sous_les_inscrits(client, atelier_cvl, referent_region_cvl):
    client.force_login(referent_region_cvl)
    reponse = client.post(
        reverse("animation:modifier_evenement", args=[atelier_cvl.pk]), champs(atelier_cvl, capacite=1, lieu="Tours")
    )
    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert "2 personnes sont déjà inscrites : la capacité ne peut pas descendre en dessous de 2." in page
    assert 'value="Tours"' in page  # what was typed stays
    assert Evenement.objects.get().lieu == "Orléans"


@pytest.mark.parametrize(
    ("role", "attendu"),
    [("equipe_nationale", 200), ("referent_region_cvl", 200), ("chef_projet_cvl", 403), ("instructeur_cvl", 403),
     ("instructeur_bretagne", 404)],
)  # fmt: skip
def test_qui_modifie_et_annule(client, atelier_cvl, role, attendu, request):
    client.force_login(request.getfixturevalue(role))
    for nom in ("modifier_evenement", "annuler_evenement"):
        assert client.get(reverse(nom.join(["animation:", ""]), args=[atelier_cvl.pk])).status_code == attendu
    refus = client.post(reverse("animation:annuler_evenement", args=[atelier_cvl.pk]), {"motif": "x"})
    assert refus.status_code == (302 if attendu == 200 else attendu)


def test_l_annulation_previent_les_inscrits_avec_le_motif(
    client, atelier_cvl, referent_region_cvl, chef_projet_cvl, executer_travaux, django_capture_on_commit_callbacks
):
    client.force_login(referent_region_cvl)
    url = reverse("animation:annuler_evenement", args=[atelier_cvl.pk])
    assert "Annuler l’événement et prévenir les inscrits" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, {"motif": "L’intervenant est malade ; une nouvelle date suivra."})
    assert reponse["Location"] == atelier_cvl.get_absolute_url()
    atelier_cvl.refresh_from_db()
    assert atelier_cvl.statut == StatutEvenement.ANNULE
    journal = Journal.objects.get(action="animation.statut_evenement")
    assert journal.details == {"de": "programme", "vers": "annule"} and journal.motif.startswith("L’intervenant")
    executer_travaux()
    avis = Notification.objects.filter(type=Type.EVENEMENT_ANNULE)
    assert avis.count() == 3  # the two registered and the one waiting
    assert "L’intervenant est malade ; une nouvelle date suivra." in avis.first().corps

    client.force_login(chef_projet_cvl)
    page = client.get(atelier_cvl.get_absolute_url()).content.decode()
    assert "Événement annulé" in page and "L’intervenant est malade" in page and "M’inscrire" not in page
    assert "Annulé" in client.get(reverse("animation:programme")).content.decode()
    with pytest.raises(actions.Refus, match="« Atelier décarbonation » est annulé : les inscriptions sont fermées."):
        actions.inscrire(evenement=atelier_cvl, par=chef_projet_cvl)
    ics = Calendar.from_ical(client.get(reverse("animation:agenda", args=[atelier_cvl.pk])).content)
    assert str(ics.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_annulation_refusee_sans_motif_deux_fois_ou_apres_la_fin(client, atelier_cvl, referent_region_cvl):
    client.force_login(referent_region_cvl)
    url = reverse("animation:annuler_evenement", args=[atelier_cvl.pk])
    assert "Ce champ est obligatoire." in client.post(url, {"motif": ""}).content.decode()
    with pytest.raises(actions.Refus, match="Dites aux inscrits pourquoi"):
        actions.annuler_evenement(evenement=atelier_cvl, par=referent_region_cvl, motif="  ")
    client.post(url, {"motif": "Salle indisponible"})
    assert "Cet événement est déjà annulé." in client.post(url, {"motif": "Encore"}).content.decode()
    with pytest.raises(actions.Refus, match="Un événement annulé ne se modifie plus."):
        actions.modifier(evenement=atelier_cvl, par=referent_region_cvl, lieu="Blois")
    debut = timezone.now() - timedelta(days=2)
    passe = creer_evenement(referent_region_cvl, debut=debut, fin=debut + timedelta(hours=2),
                            cloture_inscriptions=debut - timedelta(days=1))  # fmt: skip
    with pytest.raises(actions.Refus, match="Un événement terminé ne s’annule plus."):
        actions.annuler_evenement(evenement=passe, par=referent_region_cvl, motif="Trop tard")
    assert Journal.objects.filter(action="animation.statut_evenement").count() == 1


def test_un_evenement_annule_n_envoie_pas_de_rappel(atelier_cvl, referent_region_cvl):
    Evenement.objects.filter(pk=atelier_cvl.pk).update(debut=timezone.now() + timedelta(hours=5),
                                                       fin=timezone.now() + timedelta(hours=8))  # fmt: skip
    actions.annuler_evenement(evenement=atelier_cvl, par=referent_region_cvl, motif="Grève")
    assert rappeler_evenements() == 0


@pytest.mark.parametrize("format_", ["xlsx", "ods"])
def test_export_des_inscriptions_en_tableur(client, atelier_cvl, referent_region_cvl, format_):
    Utilisateur.objects.filter(pk=Inscription.objects.first().participant_id).update(organisation='=HYPERLINK("x")')
    client.force_login(referent_region_cvl)
    page = client.get(atelier_cvl.get_absolute_url()).content.decode()
    url = reverse("animation:exporter_inscriptions", args=[atelier_cvl.pk, format_])
    assert url in page
    reponse = client.get(url)
    assert reponse.status_code == 200 and f'inscriptions-{atelier_cvl.pk}.{format_}"' in reponse["Content-Disposition"]
    donnees = tablib.Dataset().load(io.BytesIO(reponse.content), format=format_)
    assert donnees.headers == ["Nom", "Courriel", "Organisation", "Statut", "Depuis", "Présent"]
    assert sorted(donnees["Statut"]) == ["En liste d’attente", "Inscrit", "Inscrit"]
    assert '\'=HYPERLINK("x")' in donnees["Organisation"]  # no formula in the file
    assert client.get(reverse("animation:exporter_inscriptions", args=[atelier_cvl.pk, "pdf"])).status_code == 404


def test_pages_de_l_organisateur_en_requetes_bornees(
    client, atelier_cvl, referent_region_cvl, territoire_cvl, django_assert_max_num_queries
):
    for _ in range(20):
        actions.inscrire(evenement=atelier_cvl, par=utilisateur_avec(Role.BINOME, territoire=territoire_cvl))
    client.force_login(referent_region_cvl)
    for nom in ("modifier_evenement", "annuler_evenement"):
        with django_assert_max_num_queries(10):
            assert client.get(reverse(f"animation:{nom}", args=[atelier_cvl.pk])).status_code == 200
    for format_ in ("csv", "xlsx"):
        with django_assert_max_num_queries(10):
            client.get(reverse("animation:exporter_inscriptions", args=[atelier_cvl.pk, format_]))
