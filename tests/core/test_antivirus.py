"""The antivirus interface (ti/core/antivirus.py): the verdict of a file with a fake scanner, and the ClamAV
adapter speaking INSTREAM to a fake clamd daemon on a socket (no ClamAV needed)."""

import io
import socket
import struct
import threading

import pytest
from django.core.management import CommandError, call_command

from ti.core.antivirus import Analyse, AntivirusIndisponible, ClamAV, analyser_fichier, analyseur
from ti.core.models import Journal

from ..factories import ProjetFactory
from .faux_antivirus import CHEMIN, MARQUE, MENACE, FauxAntivirus


@pytest.fixture
def faux_antivirus(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ANTIVIRUS = CHEMIN
    FauxAntivirus.EN_PANNE, FauxAntivirus.analyses = False, []
    yield FauxAntivirus
    FauxAntivirus.EN_PANNE = False


def document(contenu: bytes):
    from django.core.files.base import ContentFile

    from ti.projets.models import Document

    projet = ProjetFactory()
    return Document.objects.create(
        projet=projet,
        fichier=ContentFile(contenu, name="etude.pdf"),
        nom="etude.pdf",
        type_mime="application/pdf",
        taille=len(contenu),
    )


@pytest.mark.django_db
def test_un_fichier_sain_est_servable(faux_antivirus):
    depot = document(b"%PDF-1.4 sain")

    assert analyser_fichier(depot) == Analyse.SAIN
    depot.refresh_from_db()
    assert depot.servable and depot.analyse_le is not None and depot.menace == ""
    assert faux_antivirus.analyses == [b"%PDF-1.4 sain"]


@pytest.mark.django_db
def test_un_fichier_infecte_est_mis_en_quarantaine_et_journalise(faux_antivirus):
    depot = document(b"%PDF-1.4 " + MARQUE)

    assert analyser_fichier(depot) == Analyse.QUARANTAINE
    depot.refresh_from_db()
    assert not depot.servable and depot.menace == MENACE
    journal = Journal.objects.get(action="fichier_en_quarantaine")
    assert journal.objet_id == str(depot.pk) and journal.details == {"menace": [None, MENACE]}


@pytest.mark.django_db
def test_antivirus_injoignable_le_fichier_attend_et_n_est_pas_servi(faux_antivirus):
    faux_antivirus.EN_PANNE = True
    depot = document(b"%PDF-1.4 sain")

    assert analyser_fichier(depot) == Analyse.EN_ATTENTE
    assert not depot.servable and depot.analyse_le is None

    faux_antivirus.EN_PANNE = False  # the daemon is back: a new scan (the job queue's) clears the file
    assert analyser_fichier(depot) == Analyse.SAIN and depot.servable


@pytest.mark.django_db
def test_sans_antivirus_le_fichier_est_servi_comme_avant(settings, tmp_path):
    settings.MEDIA_ROOT, settings.ANTIVIRUS = tmp_path, "aucun"
    depot = document(b"%PDF-1.4 " + MARQUE)

    assert analyseur() is None
    assert analyser_fichier(depot) == Analyse.NON_ANALYSE and depot.servable


def test_clamav_est_choisi_par_le_reglage(settings):
    settings.ANTIVIRUS, settings.CLAMAV_ADRESSE, settings.CLAMAV_DELAI = "clamav", "clamav.interne:3310", 5

    scanner = analyseur()

    assert isinstance(scanner, ClamAV) and (scanner.adresse, scanner.delai) == ("clamav.interne:3310", 5)


# ClamAV through a fake clamd: the INSTREAM protocol (a command, chunks prefixed by their length, a zero length).


class FauxClamd(threading.Thread):
    def __init__(self, serveur: socket.socket, reponse: bytes):
        super().__init__(daemon=True)
        self.serveur, self.reponse, self.commande, self.recu = serveur, reponse, b"", b""

    def run(self):
        connexion, _ = self.serveur.accept()
        with connexion, connexion.makefile("rb") as flux:
            while (octet := flux.read(1)) not in (b"\n", b"\0", b""):
                self.commande += octet
            while taille := struct.unpack("!L", flux.read(4))[0]:
                self.recu += flux.read(taille)
            connexion.sendall(self.reponse)


def clamd_unix(tmp_path, reponse: bytes) -> tuple[str, FauxClamd]:
    chemin = str(tmp_path / "clamd.ctl")
    serveur = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    serveur.bind(chemin)
    serveur.listen(1)
    demon = FauxClamd(serveur, reponse)
    demon.start()
    return chemin, demon


def test_clamav_fichier_sain_par_socket_unix(tmp_path):
    chemin, demon = clamd_unix(tmp_path, b"stream: OK\n")
    contenu = b"x" * 5000  # several chunks

    assert ClamAV(chemin, 5).analyser(io.BytesIO(contenu)).menace == ""
    demon.join(5)
    assert demon.commande.endswith(b"INSTREAM") and demon.recu == contenu


def test_clamav_menace_trouvee(tmp_path):
    chemin, _ = clamd_unix(tmp_path, b"stream: Win.Test.EICAR_HDB-1 FOUND\n")

    assert ClamAV(chemin, 5).analyser(io.BytesIO(MARQUE)).menace == "Win.Test.EICAR_HDB-1"


def test_clamav_par_tcp(tmp_path):
    serveur = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    serveur.bind(("127.0.0.1", 0))
    serveur.listen(1)
    FauxClamd(serveur, b"stream: OK\n").start()

    assert ClamAV(f"127.0.0.1:{serveur.getsockname()[1]}", 5).analyser(io.BytesIO(b"abc")).menace == ""


@pytest.mark.parametrize("reponse", [None, b"INSTREAM size limit exceeded. ERROR\n"])
def test_clamav_injoignable_ou_en_erreur(tmp_path, reponse):
    chemin = str(tmp_path / "absent.ctl") if reponse is None else clamd_unix(tmp_path, reponse)[0]

    with pytest.raises(AntivirusIndisponible):
        ClamAV(chemin, 2).analyser(io.BytesIO(b"abc"))


# The command that clears the files left waiting (cron until the job queue takes it over).


@pytest.mark.django_db
def test_la_commande_analyse_les_fichiers_en_attente(faux_antivirus):
    faux_antivirus.EN_PANNE = True
    en_attente, infecte = document(b"%PDF-1.4 sain"), document(b"%PDF-1.4 " + MARQUE)
    analyser_fichier(en_attente), analyser_fichier(infecte)
    faux_antivirus.EN_PANNE = False
    ancien = document(b"%PDF-1.4 deja la")  # uploaded before the antivirus: left alone unless asked
    sortie = io.StringIO()

    call_command("analyser_fichiers", stdout=sortie)

    assert sortie.getvalue().strip() == "2 fichier(s) analysé(s) : 1 sain(s), 1 en quarantaine, 0 encore en attente."
    for depot in (en_attente, infecte, ancien):
        depot.refresh_from_db()
    assert (en_attente.analyse, infecte.analyse, ancien.analyse) == (
        Analyse.SAIN,
        Analyse.QUARANTAINE,
        Analyse.NON_ANALYSE,
    )
    call_command("analyser_fichiers", "--non-analyses", stdout=sortie)
    ancien.refresh_from_db()
    assert ancien.analyse == Analyse.SAIN


@pytest.mark.django_db
def test_la_commande_sans_antivirus_le_dit(settings):
    settings.ANTIVIRUS = "aucun"

    with pytest.raises(CommandError, match="Aucun antivirus n’est configuré"):
        call_command("analyser_fichiers")
