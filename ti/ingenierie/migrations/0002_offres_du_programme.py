"""The offers the programme's texts name (ANCT and the national operators), frozen here as they were first
published; the national team maintains them afterwards (the admin). Idempotent by title."""

from django.db import migrations

# (organisme, titre, thème, nature, description, qui peut demander, comment, durée, coût)
OFFRES = (
    (
        "ANCT",
        "Marché d’ingénierie Territoires d’industrie (cabinets de conseil)",
        "financement",
        "sur_mesure",
        "Recours à un cabinet conseil externe, sous le marché à bons de commande de l’ANCT, pour un accompagnement "
        "temporaire de quelques semaines à quelques mois : élaboration d’un diagnostic, étude d’impact, "
        "identification des financements possibles, feuille de route.",
        "Chef de projet ou binôme élu–industriel d’un territoire d’industrie",
        "Demande sur la plateforme, examinée par la région puis l’équipe nationale",
        "De quelques semaines à quelques mois",
        "Pris en charge par l’ANCT",
    ),
    (
        "ANCT",
        "Mission « choc industriel »",
        "financement",
        "sur_mesure",
        "Appui en ingénierie aux EPCI d’un bassin touché par une fermeture ou une crise industrielle, pour identifier "
        "les projets pouvant être soutenus financièrement et définir une feuille de route économique.",
        "Territoires d’industrie touchés par un choc industriel, sur proposition du préfet de région",
        "Demande sur la plateforme ou saisine du préfet de région",
        "Trois à six mois",
        "Pris en charge par l’ANCT",
    ),
    (
        "ANCT",
        "Mission « rebond industriel »",
        "innovation",
        "sur_mesure",
        "Accompagnement de la stratégie de rebond d’un territoire : diagnostic des filières, projets de "
        "diversification, mobilisation des financements.",
        "Territoires d’industrie, sur proposition de la région",
        "Demande sur la plateforme",
        "Trois à six mois",
        "Pris en charge par l’ANCT",
    ),
    (
        "Banque des Territoires",
        "Ingénierie et prêts de la Banque des Territoires",
        "foncier",
        "etudes",
        "Cofinancement d’études de préfiguration, de faisabilité et de programmation (foncier économique, "
        "immobilier productif), puis prêts et investissements en fonds propres pour les projets.",
        "Collectivités et EPCI d’un territoire d’industrie",
        "Auprès de la direction régionale de la Banque des Territoires",
        "Selon l’étude",
        "Cofinancement, en général jusqu’à 50 % de l’étude",
    ),
    (
        "Bpifrance",
        "Accélérateurs et accompagnement des PME industrielles (Bpifrance)",
        "innovation",
        "expertise",
        "Programmes d’accélération, diagnostics et conseil pour les PME et ETI industrielles du territoire, "
        "financements de l’innovation et de la croissance.",
        "Entreprises industrielles des territoires d’industrie, sur orientation du territoire",
        "Auprès de la direction régionale de Bpifrance",
        "De six mois à deux ans",
        "Aucun pour le territoire ; participation des entreprises",
    ),
    (
        "Business France",
        "Attractivité et prospection d’investisseurs étrangers (Business France)",
        "attractivite",
        "reseau",
        "Promotion des sites et des projets du territoire auprès des investisseurs étrangers, accompagnement des "
        "entreprises à l’export.",
        "Territoires d’industrie et leurs entreprises",
        "Auprès de la direction régionale de Business France ou de l’agence régionale d’attractivité",
        "Continue",
        "Aucun pour le territoire",
    ),
    (
        "France Travail",
        "Compétences et recrutements industriels (France Travail)",
        "competences",
        "expertise",
        "Diagnostic des besoins en compétences du bassin, actions de recrutement et de formation avec les "
        "entreprises industrielles.",
        "Territoires d’industrie et entreprises industrielles",
        "Auprès de l’agence France Travail du bassin d’emploi",
        "De quelques semaines à un an",
        "Aucun pour le territoire",
    ),
    (
        "ADEME",
        "Transition écologique des industries (ADEME)",
        "transition_ecologique",
        "etudes",
        "Études et accompagnement de la décarbonation, de l’efficacité énergétique et de l’écologie industrielle "
        "territoriale ; appui à l’instruction du Fonds vert.",
        "Collectivités et entreprises d’un territoire d’industrie",
        "Auprès de la direction régionale de l’ADEME",
        "Selon l’étude",
        "Aide aux études selon le régime d’aides de l’ADEME",
    ),
    (
        "Cerema",
        "Expertise foncière et aménagement (Cerema)",
        "foncier",
        "expertise",
        "Expertise sur le foncier économique, la sobriété foncière, la requalification des friches et "
        "l’aménagement des zones d’activités.",
        "Collectivités et EPCI d’un territoire d’industrie",
        "Auprès de la direction territoriale du Cerema",
        "Quelques mois",
        "Selon convention",
    ),
)


def creer_offres(apps, schema_editor):
    Offre = apps.get_model("ingenierie", "Offre")
    champs = ("organisme", "titre", "theme", "nature", "description", "beneficiaires", "modalites", "duree", "cout")
    for ligne in OFFRES:
        donnees = dict(zip(champs, ligne, strict=True))
        Offre.objects.get_or_create(titre=donnees.pop("titre"), defaults=donnees)


class Migration(migrations.Migration):
    dependencies = [("ingenierie", "0001_initial")]

    operations = [migrations.RunPython(creer_offres, migrations.RunPython.noop)]
