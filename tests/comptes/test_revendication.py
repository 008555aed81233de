"""SIRET claims of self-registered applicants (« Mes entreprises »): the key, the company directory (a recorded
response, never the network), the refusals, and the national team's withdrawal."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from ti.comptes import actions, annuaire_entreprises, inscription
from ti.comptes.models import Habilitation, Role, Verification
from ti.core.etats import Refus
from ti.core.models import Journal
from ti.core.validateurs import cle_luhn_valide

from ..factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

SIRET = "73282932000074"
REPONSE_ENREGISTREE = Path(__file__).parent / "donnees" / f"recherche_entreprises_{SIRET}.json"
MES_ENTREPRISES = reverse("comptes:mes_entreprises")


@pytest.fixture
def demandeur(db):
    return UtilisateurFactory(
        email="claire.durand@fonderie-exemple.fr", inscription_autonome=True, adresse_confirmee_le=timezone.now()
    )


@pytest.fixture
def annuaire(settings, monkeypatch):
    """The directory switched on; its answers come from the recorded file (or the failure a test gives)."""
    settings.ANNUAIRE_ENTREPRISES_VERIFICATION = True
    etat = SimpleNamespace(reponse=REPONSE_ENREGISTREE.read_bytes(), appels=[])

    def repondre(url, delai):
        etat.appels.append((url, delai))
        if isinstance(etat.reponse, Exception):
            raise etat.reponse
        return etat.reponse

    monkeypatch.setattr(annuaire_entreprises, "_telecharger", repondre)
    return etat


def siret_valide(numero: int) -> str:
    """A SIRET with a right Luhn key: 13 digits from `numero`, then the key."""
    debut = f"{numero:013d}"
    return next(debut + str(cle) for cle in range(10) if cle_luhn_valide(debut + str(cle)))


def test_siret_verifie_nom_et_adresse_repris_de_l_annuaire(demandeur, annuaire, settings):
    habilitation = inscription.revendiquer_siret(par=demandeur, siret="732 829 320 00074", organisme="saisi")
    assert annuaire.appels == [
        (f"https://recherche-entreprises.api.gouv.fr/search?q={SIRET}", settings.ANNUAIRE_ENTREPRISES_DELAI)
    ]
    assert (habilitation.role, habilitation.siret, habilitation.revendiquee) == (Role.PORTEUR, SIRET, True)
    assert habilitation.verification == Verification.VERIFIE
    assert habilitation.organisme == "FONDERIE DU GATINAIS (EXEMPLE)"
    assert habilitation.adresse == "12 RUE DES FORGES 45200 MONTARGIS"  # the establishment's, not the head office's
    assert habilitation.active and habilitation.accordee_par is None
    journal = Journal.objects.get(action="siret_revendique")
    assert journal.acteur == demandeur and journal.details["verification"] == Verification.VERIFIE


def test_annuaire_injoignable_revendication_gardee_a_verifier(demandeur, annuaire):
    annuaire.reponse = TimeoutError("timed out")
    habilitation = inscription.revendiquer_siret(par=demandeur, siret=SIRET, organisme="Fonderie du Gâtinais")
    assert habilitation.active and habilitation.verification == Verification.A_VERIFIER
    assert habilitation.organisme == "Fonderie du Gâtinais"


def test_annuaire_illisible_revendication_gardee_a_verifier(demandeur, annuaire):
    annuaire.reponse = b"<html>maintenance</html>"
    assert inscription.revendiquer_siret(par=demandeur, siret=SIRET).verification == Verification.A_VERIFIER


def test_page_dit_que_le_siret_est_a_verifier(client, demandeur, annuaire):
    annuaire.reponse = OSError("réseau injoignable")
    client.force_login(demandeur)
    reponse = client.post(MES_ENTREPRISES, {"siret": SIRET, "organisme": "Fonderie"}, follow=True)
    assert "À vérifier : l’annuaire des entreprises n’a pas répondu" in reponse.content.decode()


def test_siret_inconnu_de_l_annuaire_refuse(demandeur, annuaire):
    annuaire.reponse = b'{"results": [], "total_results": 0}'
    with pytest.raises(Refus, match="Aucun établissement ne porte le SIRET 73282932000074"):
        inscription.revendiquer_siret(par=demandeur, siret=SIRET)
    assert not Habilitation.objects.exists()


def test_etablissement_ferme_refuse(demandeur, annuaire):
    annuaire.reponse = REPONSE_ENREGISTREE.read_bytes().replace(
        b'"etat_administratif": "A",\n          "est_siege": false', b'"etat_administratif": "F",\n "est_siege": false'
    )
    with pytest.raises(Refus, match="est fermé selon l’annuaire"):
        inscription.revendiquer_siret(par=demandeur, siret=SIRET)


def test_annuaire_desactive_aucun_appel(demandeur, annuaire, settings):
    settings.ANNUAIRE_ENTREPRISES_VERIFICATION = False
    habilitation = inscription.revendiquer_siret(par=demandeur, siret=SIRET, organisme="Fonderie")
    assert annuaire.appels == [] and habilitation.verification == Verification.NON_INTERROGE


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("", "Saisissez le SIRET de l’entreprise."),
        ("7328293200007", "Le SIRET doit compter 14 chiffres."),
        ("73282932000075", "La clé de contrôle de ce SIRET est fausse."),
        ("35600000000049", "La clé de contrôle de ce SIRET est fausse."),  # La Poste's SIREN, digit sum not % 5
    ],
)
def test_siret_mal_forme_refuse_en_francais(client, demandeur, siret, message):
    client.force_login(demandeur)
    reponse = client.post(MES_ENTREPRISES, {"siret": siret, "organisme": "Fonderie"})
    assert reponse.status_code == 400
    assert reponse.context["form"].errors["siret"] == [message]
    assert reponse.context["form"]["organisme"].value() == "Fonderie"
    assert not Habilitation.objects.exists()


def test_meme_siret_deux_fois_refuse(demandeur):
    inscription.revendiquer_siret(par=demandeur, siret=SIRET)
    with pytest.raises(Refus, match="figure déjà dans « Mes entreprises »"):
        inscription.revendiquer_siret(par=demandeur, siret=SIRET)


def test_nombre_de_revendications_borne(demandeur):
    for numero in range(5):
        inscription.revendiquer_siret(par=demandeur, siret=siret_valide(4520800000 + numero))
    with pytest.raises(Refus, match="au plus 5 entreprises"):
        inscription.revendiquer_siret(par=demandeur, siret=siret_valide(4520800009))


def test_un_agent_ne_revendique_pas(client, chef_projet_cvl):
    """Accounts opened by the national team get their SIRETs from it, never by a claim."""
    client.force_login(chef_projet_cvl)
    assert client.get(MES_ENTREPRISES).status_code == 403
    with pytest.raises(Exception, match="habilitation ne permet pas"):
        inscription.revendiquer_siret(par=chef_projet_cvl, siret=SIRET)


def test_retrait_par_l_equipe_nationale_journalise_avec_motif(
    client, demandeur, equipe_nationale, django_capture_on_commit_callbacks, executer_travaux, mailoutbox
):
    habilitation = inscription.revendiquer_siret(par=demandeur, siret=SIRET, organisme="Fonderie")
    client.force_login(equipe_nationale)
    liste = client.get(reverse("comptes:revendications"))
    assert SIRET in liste.content.decode() and demandeur.email in liste.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("comptes:revoquer", args=[habilitation.pk]), {"motif": "Le demandeur n’est pas de l’entreprise."}
        )
    assert reponse.status_code == 302
    habilitation.refresh_from_db()
    assert not habilitation.active and habilitation.revoquee_par == equipe_nationale
    journal = Journal.objects.get(action="habilitation_revoquee")
    assert journal.acteur == equipe_nationale and journal.motif == "Le demandeur n’est pas de l’entreprise."
    executer_travaux()
    assert [c.to for c in mailoutbox] == [[demandeur.email]]


def test_siret_retire_ne_se_revendique_pas_de_nouveau(demandeur, equipe_nationale):
    habilitation = inscription.revendiquer_siret(par=demandeur, siret=SIRET)
    actions.revoquer_habilitation(par=equipe_nationale, habilitation=habilitation, motif="Déclaration infondée.")
    with pytest.raises(Refus, match="L’équipe nationale a retiré votre habilitation sur le SIRET 73282932000074"):
        inscription.revendiquer_siret(par=demandeur, siret=SIRET)


def test_mes_entreprises_montre_le_retrait_et_son_motif(client, demandeur, equipe_nationale):
    habilitation = inscription.revendiquer_siret(par=demandeur, siret=SIRET, organisme="Fonderie")
    actions.revoquer_habilitation(par=equipe_nationale, habilitation=habilitation, motif="Déclaration infondée.")
    client.force_login(demandeur)
    contenu = client.get(MES_ENTREPRISES).content.decode()
    assert "Retirée" in contenu and "Déclaration infondée." in contenu


def test_liste_des_revendications_reservee_a_l_equipe_nationale(client, demandeur, instructeur_cvl):
    for personne in (demandeur, instructeur_cvl):
        client.force_login(personne)
        assert client.get(reverse("comptes:revendications")).status_code == 403


def test_pages_en_requetes_bornees(client, demandeur, equipe_nationale, django_assert_max_num_queries):
    for numero, siret in enumerate(["73282932000074", "35600000000048", siret_valide(4520800001)]):
        personne = UtilisateurFactory(inscription_autonome=True, adresse_confirmee_le=timezone.now())
        inscription.revendiquer_siret(par=personne, siret=siret, organisme=f"Entreprise {numero}")
        inscription.revendiquer_siret(par=demandeur, siret=siret)
    client.force_login(demandeur)
    with django_assert_max_num_queries(7):
        assert client.get(MES_ENTREPRISES).status_code == 200
    client.force_login(equipe_nationale)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("comptes:revendications")).status_code == 200


def test_mes_donnees_ne_contient_pas_les_dossiers_des_autres_sur_un_siret_declare(client, demandeur):
    from ..factories import DossierFactory, EnveloppeFactory

    inscription.revendiquer_siret(par=demandeur, siret=SIRET)
    enveloppe = EnveloppeFactory()
    DossierFactory(enveloppe=enveloppe, deposant=demandeur, porteur_siret=SIRET, intitule="Le mien")
    DossierFactory(enveloppe=enveloppe, porteur_siret=SIRET, intitule="Celui d’un autre")
    client.force_login(demandeur)
    donnees = client.get(reverse("comptes:mes_donnees_json")).json()
    assert [d["intitule"] for d in donnees["dossiers"]] == ["Le mien"]
    assert donnees["compte"]["inscrit_par_lui_meme"] is True
    assert donnees["habilitations"][0]["declaree_par_la_personne"] is True
