"""The shared taxonomy every installation starts with (disciplines, themes, facilities).

Codes are stable identifiers used in URLs, filters, feeds and the API; labels can be
edited in the admin afterwards. URIs point to Wikidata where a clear concept exists.
"""

from django.db import migrations

DISCIPLINES = [
    ("literature", "Literatuur", "Literature", "Literatur", "Littérature", "Q8242"),
    ("dance", "Dans", "Dance", "Tanz", "Danse", "Q11639"),
    ("music", "Muziek", "Music", "Musik", "Musique", "Q638"),
    ("theatre", "Theater", "Theatre", "Theater", "Théâtre", "Q11635"),
    ("visual-arts", "Beeldende kunst", "Visual arts", "Bildende Kunst", "Arts visuels", "Q36649"),
    ("film", "Film", "Film", "Film", "Cinéma", "Q11424"),
    ("heritage", "Erfgoed", "Heritage", "Kulturerbe", "Patrimoine", "Q210272"),
    ("nature", "Natuur", "Nature", "Natur", "Nature", "Q7860"),
    ("science", "Wetenschap", "Science", "Wissenschaft", "Science", "Q336"),
    ("ceramics", "Keramiek", "Ceramics", "Keramik", "Céramique", "Q45621"),
    ("photography", "Fotografie", "Photography", "Fotografie", "Photographie", "Q11633"),
    ("design", "Vormgeving", "Design", "Design", "Design", "Q82604"),
    (
        "dialect",
        "Dialect en taal",
        "Dialect and language",
        "Dialekt und Sprache",
        "Dialecte et langue",
        "Q33384",
    ),
    ("festival", "Festival", "Festival", "Festival", "Festival", "Q132241"),
]
THEMES = [
    ("family", "Familie", "Family", "Familie", "Famille"),
    (
        "history-of-maastricht",
        "Geschiedenis van Maastricht",
        "History of Maastricht",
        "Geschichte Maastrichts",
        "Histoire de Maastricht",
    ),
    ("amateur-arts", "Amateurkunst", "Amateur arts", "Amateurkunst", "Arts amateurs"),
    (
        "talk",
        "Lezing en gesprek",
        "Talk and conversation",
        "Vortrag und Gespräch",
        "Conférence et débat",
    ),
    ("workshop", "Workshop", "Workshop", "Workshop", "Atelier"),
    ("guided-tour", "Rondleiding", "Guided tour", "Führung", "Visite guidée"),
    ("exhibition", "Tentoonstelling", "Exhibition", "Ausstellung", "Exposition"),
    ("concert", "Concert", "Concert", "Konzert", "Concert"),
    ("youth", "Jongeren", "Young people", "Jugendliche", "Jeunes"),
    ("seniors", "Senioren", "Seniors", "Senioren", "Seniors"),
]
FACILITIES = [
    (
        "wheelchair-accessible",
        "Rolstoeltoegankelijk",
        "Wheelchair accessible",
        "Rollstuhlgerecht",
        "Accessible en fauteuil roulant",
    ),
    (
        "accessible-toilet",
        "Toegankelijk toilet",
        "Accessible toilet",
        "Barrierefreie Toilette",
        "Toilettes accessibles",
    ),
    ("hearing-loop", "Ringleiding", "Hearing loop", "Induktionsschleife", "Boucle magnétique"),
    (
        "sign-language",
        "Gebarentolk",
        "Sign language interpreter",
        "Gebärdensprachdolmetscher",
        "Interprète en langue des signes",
    ),
    (
        "audio-description",
        "Audiodescriptie",
        "Audio description",
        "Audiodeskription",
        "Audiodescription",
    ),
    ("subtitles", "Ondertiteling", "Subtitles", "Untertitel", "Sous-titres"),
    (
        "relaxed-performance",
        "Prikkelarme voorstelling",
        "Relaxed performance",
        "Reizarme Vorstellung",
        "Représentation adaptée",
    ),
    (
        "assistance-dogs",
        "Hulphonden welkom",
        "Assistance dogs welcome",
        "Assistenzhunde willkommen",
        "Chiens d'assistance bienvenus",
    ),
    ("easy-language", "Eenvoudige taal", "Plain language", "Leichte Sprache", "Langage simple"),
    ("quiet-room", "Stilteruimte", "Quiet room", "Ruheraum", "Espace calme"),
]


def seed(apps, schema_editor):
    Term = apps.get_model("core", "Term")
    for position, (code, nl, en, de, fr, qid) in enumerate(DISCIPLINES):
        Term.objects.update_or_create(
            kind="discipline",
            code=code,
            defaults={
                "label": {"nl": nl, "en": en, "de": de, "fr": fr},
                "position": position,
                "uri": f"http://www.wikidata.org/entity/{qid}",
            },
        )
    for kind, rows in (("theme", THEMES), ("facility", FACILITIES)):
        for position, (code, nl, en, de, fr) in enumerate(rows):
            Term.objects.update_or_create(
                kind=kind,
                code=code,
                defaults={"label": {"nl": nl, "en": en, "de": de, "fr": fr}, "position": position},
            )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
