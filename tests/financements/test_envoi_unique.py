"""A creation form sent twice creates once (ti/core/envois.py): the dossier, a credit transfer, a message."""

import re
from decimal import Decimal

from django.urls import reverse

from ti.core.envois import DEJA_ENVOYE
from ti.financements.models import Dossier, Enveloppe, Message, Statut, TransfertCredits

from ..factories import DossierFactory, EnveloppeFactory
from ..projets.test_envoi_unique import JETON, jeton_de
from ..projets.test_fiches_formulaire import messages_de
from .test_depot_eligibilite import donnees as eligibilite


def deux_fois(client, url, donnees):
    donnees = {**donnees, "jeton_envoi": jeton_de(client.get(url))}
    return client.post(url, donnees), client.post(url, donnees)


def test_le_dossier_envoye_deux_fois_est_cree_une_fois(client, porteur, dispositif, territoire_fv, enveloppe_cvl):
    client.force_login(porteur)

    premier, second = deux_fois(client, reverse("financements:eligibilite", args=[dispositif.code]), eligibilite())

    dossier = Dossier.objects.get()
    assert premier["Location"] == second["Location"] == reverse("financements:modifier", args=[dossier.reference])
    assert DEJA_ENVOYE in messages_de(second)


def test_le_transfert_envoye_deux_fois_n_est_fait_qu_une_fois(client, dispositif, cvl, bretagne, equipe_nationale):
    depuis = EnveloppeFactory(dispositif=dispositif, region=cvl, montant=Decimal("5600000"))
    vers = EnveloppeFactory(dispositif=dispositif, region=bretagne, montant=Decimal("3000000"))
    client.force_login(equipe_nationale)
    donnees = {"depuis": depuis.pk, "vers": vers.pk, "montant": "600 000,00", "motif": "Sous-consommation"}

    deux_fois(client, reverse("financements:transferer", args=[dispositif.code]), donnees)

    assert TransfertCredits.objects.count() == 1
    assert Enveloppe.objects.get(pk=vers.pk).montant == Decimal("3600000")


def test_le_message_envoye_deux_fois(client, porteur, enveloppe_cvl, territoire_fv, montargis):
    dossier = DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur)
    client.force_login(porteur)
    donnees = {"texte": "Bonjour", "jeton_envoi": jeton_de(client.get(dossier.get_absolute_url()))}

    for _ in range(2):
        client.post(reverse("financements:message", args=[dossier.reference]), donnees)

    assert Message.objects.filter(dossier=dossier).count() == 1


def test_le_formulaire_des_pieces_porte_un_jeton(client, porteur, enveloppe_cvl, territoire_fv, montargis):
    dossier = DossierFactory(
        enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur, statut=Statut.BROUILLON
    )
    client.force_login(porteur)

    page = client.get(reverse("financements:modifier", args=[dossier.reference]))

    assert page.status_code == 200
    assert jeton_de(page)


# The dossier page kept for its reader (ti/core/trous.py): its tokens are new at every answer.

# The message form's own token (the header's logout form, outside the kept content, has one too).
CSRF = re.compile(r'id="formulaire-message">\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"')


def test_deux_onglets_de_la_page_gardee_ont_chacun_leur_jeton_et_envoient_chacun_leur_message(
    porteur, enveloppe_cvl, territoire_fv, montargis
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..connexion import ClientVerifie

    dossier = DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur)
    client = ClientVerifie(enforce_csrf_checks=True)
    client.force_login(porteur)
    premier = client.get(dossier.get_absolute_url()).content.decode()
    with CaptureQueriesContext(connection) as lues:
        second = client.get(dossier.get_absolute_url()).content.decode()  # kept: the dossier is not read again
    assert not any("financements_dossier" in q["sql"] for q in lues.captured_queries)

    assert jeton_de_page(premier) != jeton_de_page(second)
    assert "<!--ti:" not in premier + second
    url = reverse("financements:message", args=[dossier.reference])
    for page, texte in ((premier, "Depuis le premier onglet"), (second, "Depuis le second onglet")):
        envoi = {"texte": texte, "jeton_envoi": jeton_de_page(page), "csrfmiddlewaretoken": CSRF.search(page)[1]}
        assert client.post(url, envoi).status_code == 302

    assert set(Message.objects.filter(dossier=dossier).values_list("texte", flat=True)) == {
        "Depuis le premier onglet",
        "Depuis le second onglet",
    }
    assert "Depuis le second onglet" in client.get(dossier.get_absolute_url()).content.decode()  # a write: rendered


def test_la_page_gardee_sert_dans_un_autre_navigateur_du_meme_compte(porteur, enveloppe_cvl, territoire_fv, montargis):
    from ..connexion import ClientVerifie

    dossier = DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur)
    bureau, telephone = ClientVerifie(enforce_csrf_checks=True), ClientVerifie(enforce_csrf_checks=True)
    for navigateur in (bureau, telephone):
        navigateur.force_login(porteur)
    bureau.get(dossier.get_absolute_url())  # rendered with the office's session
    page = telephone.get(dossier.get_absolute_url()).content.decode()  # kept: the phone's own CSRF token in it

    envoi = {
        "texte": "Depuis le téléphone",
        "jeton_envoi": jeton_de_page(page),
        "csrfmiddlewaretoken": CSRF.search(page)[1],
    }
    assert telephone.post(reverse("financements:message", args=[dossier.reference]), envoi).status_code == 302


def test_une_marque_ecrite_par_un_utilisateur_reste_du_texte(client, porteur, enveloppe_cvl, territoire_fv, montargis):
    dossier = DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur)
    Message.objects.create(dossier=dossier, auteur=porteur, texte="<!--ti:csrf--> et <!--ti:jeton-->")
    client.force_login(porteur)
    client.get(dossier.get_absolute_url())

    page = client.get(dossier.get_absolute_url()).content.decode()

    assert "&lt;!--ti:csrf--&gt; et &lt;!--ti:jeton--&gt;" in page


def jeton_de_page(html: str) -> str:
    return JETON.search(html)[1]
