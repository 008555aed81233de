"""A fake scanner for the tests (ANTIVIRUS = "tests.core.faux_antivirus.FauxAntivirus"): no ClamAV needed.

It finds a threat in any file holding the EICAR marker, and is « unreachable » while `EN_PANNE` is true."""

from ti.core.antivirus import AntivirusIndisponible, Resultat

MARQUE = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"
MENACE = "Eicar-Test-Signature"
CHEMIN = "tests.core.faux_antivirus.FauxAntivirus"


class FauxAntivirus:
    EN_PANNE = False
    analyses: list[bytes] = []

    def analyser(self, flux) -> Resultat:
        if FauxAntivirus.EN_PANNE:
            raise AntivirusIndisponible("faux antivirus en panne")
        contenu = flux.read()
        FauxAntivirus.analyses.append(contenu)
        return Resultat(menace=MENACE if MARQUE in contenu else "")
