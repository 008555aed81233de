"""« Mes données personnelles »: what the platform holds on the person, never a secret, in a bounded number of
queries."""

import json

from django.urls import reverse

from ti.comptes import double_facteur, jetons
from ti.core.models import journaliser
from ti.financements.models import Message
from ti.projets.models import NoteSuivi

from ..connexion import application_confirmee
from ..factories import DossierFactory, EnveloppeFactory, ProjetFactory
from .conftest import SIRET_VALIDE

PAGE = reverse("comptes:mes_donnees")
FICHIER = reverse("comptes:mes_donnees_json")


def test_le_lien_est_dans_mon_espace(client, porteur):
    client.force_login(porteur)
    assert PAGE in client.get(reverse("comptes:mon_espace")).content.decode()


def test_le_fichier_contient_ce_que_la_personne_a_fait_et_rien_d_autrui(client, porteur, chef_projet_cvl):
    enveloppe = EnveloppeFactory()
    depose = DossierFactory(enveloppe=enveloppe, deposant=porteur, intitule="Four électrique")
    porte = DossierFactory(
        enveloppe=enveloppe, porteur_siret=SIRET_VALIDE, intitule="Chaudière biomasse"
    )  # a colleague's
    DossierFactory(enveloppe=enveloppe, intitule="Dossier d’un autre")
    fiche = ProjetFactory(cree_par=porteur, titre="Ma fiche", referent_email=porteur.email.upper())
    NoteSuivi.objects.create(projet=fiche, auteur=porteur, texte="Réunion avec la DREETS")
    NoteSuivi.objects.create(projet=fiche, auteur=chef_projet_cvl, texte="Note d’un autre")
    Message.objects.create(dossier=depose, auteur=porteur, texte="Pièce ajoutée")
    journaliser(acteur=porteur, action="dossier_depose", objet=depose)
    jeton, cle = jetons.creer_jeton(par=porteur, nom="Tableau de bord")
    appareil = application_confirmee(porteur)
    codes = double_facteur.regenerer_codes_de_secours(par=porteur)

    client.force_login(porteur)
    reponse = client.get(FICHIER)
    assert reponse["Content-Disposition"] == 'attachment; filename="mes-donnees-territoires-industrie.json"'
    assert reponse["Cache-Control"] == "no-store"
    texte = reponse.content.decode()
    donnees = json.loads(texte)

    assert donnees["compte"]["email"] == porteur.email
    assert [h["siret"] for h in donnees["habilitations"]] == [SIRET_VALIDE]
    assert {d["intitule"] for d in donnees["dossiers"]} == {depose.intitule, porte.intitule}
    assert [f["titre"] for f in donnees["fiches_action"]] == ["Ma fiche"]
    assert [f["titre"] for f in donnees["fiches_action_ou_vous_etes_referent"]] == ["Ma fiche"]
    assert [n["texte"] for n in donnees["notes_de_suivi"]] == ["Réunion avec la DREETS"]
    assert [m["texte"] for m in donnees["messages"]] == ["Pièce ajoutée"]
    assert {j["action"] for j in donnees["journal"]} >= {"dossier_depose", "jeton_api_cree"}
    assert [j["nom"] for j in donnees["jetons_api"]] == ["Tableau de bord"]
    assert {a["name"] for a in donnees["double_authentification"]} == {
        "Application d’authentification",
        "Codes de secours",
    }
    # No secret: password hash, API key or its hash, device key, recovery codes.
    for secret in (porteur.password, cle, jeton.empreinte, appareil.key, *codes):
        assert secret not in texte


def test_la_page_resume_en_requetes_bornees(client, porteur, django_assert_max_num_queries):
    enveloppe = EnveloppeFactory()
    for n in range(30):
        DossierFactory(enveloppe=enveloppe, deposant=porteur, intitule=f"Dossier {n}")
    client.force_login(porteur)
    with django_assert_max_num_queries(13):
        page = client.get(PAGE)
    html = page.content.decode()
    assert "Mes données personnelles" in html
    assert "30 éléments ; les 20 plus récents" in html
    with django_assert_max_num_queries(13):
        assert client.get(FICHIER).status_code == 200


def test_il_faut_etre_connecte(client, db):
    assert client.get(FICHIER)["Location"].startswith(reverse("comptes:connexion"))
