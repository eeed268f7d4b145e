"""Fifty common words of Mestreechs (the Maastricht dialect) with their meanings in Dutch
and English. Spellings follow the usual Maastricht forms (for example `sjoen`,
"beautiful"; `sjoon` is the form of other Limburgish dialects). Example sentences are
short everyday phrases; no audio recordings are included (see loader.add_demo_audio)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.text import slugify

from reisgezel.heritage.models import PartOfSpeech as P


@dataclass(frozen=True)
class Word:
    lemma: str
    pos: str
    nl: str
    en: str
    gender: str = ""
    plural: str = ""
    variants: str = ""
    origin: tuple[str, str] = ("", "")
    examples: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)
    objects: tuple[str, ...] = ()
    """Object types in the demo collection this word is about (cups for `tas`)."""
    in_exhibit: bool = False

    @property
    def slug(self) -> str:
        return slugify(self.lemma)


WORDS = (
    Word(
        "sjiek",
        P.ADJECTIVE,
        "chic, mooi, netjes",
        "smart, fine, neat",
        in_exhibit=True,
        examples=(("Dat is hendig sjiek.", "Dat is heel mooi.", "That is very fine."),),
    ),
    Word(
        "sjoen",
        P.ADJECTIVE,
        "mooi",
        "beautiful",
        examples=(
            (
                "De Mestreechter taol, 't sjoenst van allemaol.",
                "De Maastrichtse taal, de mooiste van allemaal.",
                "The Maastricht language, the most beautiful of all.",
            ),
        ),
    ),
    Word("hendig", P.ADVERB, "heel, erg (versterkend)", "very (intensifier)"),
    Word("mooder", P.NOUN, "moeder", "mother", gender="f"),
    Word("vaader", P.NOUN, "vader", "father", gender="m"),
    Word("keend", P.NOUN, "kind", "child", gender="n", plural="kinder"),
    Word("jong", P.NOUN, "jongen", "boy, lad", gender="m"),
    Word(
        "Sjeng", P.NOUN, "Maastrichtenaar (man uit Maastricht)", "man from Maastricht", gender="m"
    ),
    Word(
        "Hollender", P.NOUN, "iemand van buiten Limburg", "someone from outside Limburg", gender="m"
    ),
    Word("Mestreech", P.NOUN, "Maastricht", "Maastricht"),
    Word("Mestreechs", P.NOUN, "het Maastrichts (dialect)", "the Maastricht dialect", gender="n"),
    Word("kaffee", P.NOUN, "koffie", "coffee", in_exhibit=True, objects=("cup-and-saucer",)),
    Word(
        "vlaai",
        P.NOUN,
        "vlaai (Limburgse vruchtentaart)",
        "vlaai (Limburg fruit tart)",
        gender="f",
        plural="vlaaie",
        in_exhibit=True,
        objects=("plate", "dish"),
        examples=(("Kaffee mèt vlaai", "Koffie met vlaai", "Coffee with vlaai"),),
    ),
    Word(
        "tas",
        P.NOUN,
        "kop, kopje",
        "cup",
        in_exhibit=True,
        objects=("cup-and-saucer",),
        origin=("Uit het Frans: tasse.", "From French: tasse."),
        examples=(("'n Tas kaffee", "Een kop koffie", "A cup of coffee"),),
    ),
    Word(
        "versjèt",
        P.NOUN,
        "vork",
        "fork",
        in_exhibit=True,
        origin=("Uit het Frans: fourchette.", "From French: fourchette."),
        examples=(("Ich höb gein versjèt.", "Ik heb geen vork.", "I don't have a fork."),),
    ),
    Word("mets", P.NOUN, "mes", "knife", in_exhibit=True),
    Word("tuut", P.NOUN, "zak, (boodschappen)tas", "bag, carrier bag", in_exhibit=True),
    Word("moos", P.NOUN, "groente", "vegetables"),
    Word(
        "Mooswief",
        P.NOUN,
        "groenteverkoopster; het beeld op de Markt",
        "woman selling vegetables; the statue on the Markt",
    ),
    Word(
        "kemissies",
        P.NOUN,
        "boodschappen",
        "shopping, errands",
        origin=("Uit het Frans: commission.", "From French: commission."),
    ),
    Word(
        "enne",
        P.INTERJECTION,
        "en? hoe is het? (begroeting)",
        "and? how are things? (greeting)",
        examples=(("Enne?", "Hoe is het?", "How are things?"),),
    ),
    Word("bedaank", P.INTERJECTION, "dank je, bedankt", "thank you", variants="daanke"),
    Word("ezzebleef", P.INTERJECTION, "alsjeblieft", "please"),
    Word("hoeg", P.ADJECTIVE, "hoog", "high"),
    Word("neet", P.ADVERB, "niet", "not"),
    Word("ich", P.PRONOUN, "ik", "I"),
    Word("dao", P.ADVERB, "daar", "there"),
    Word("nao", P.PREPOSITION, "naar", "to, towards"),
    Word("oet", P.PREPOSITION, "uit", "out of, from"),
    Word("ouch", P.ADVERB, "ook", "also, too"),
    Word(
        "trök",
        P.ADVERB,
        "terug",
        "back",
        examples=(("Trök geit gawwer.", "Terug gaat sneller.", "The way back is quicker."),),
    ),
    Word("oor", P.NOUN, "uur", "hour", examples=(("drei oor", "drie uur", "three hours"),)),
    Word("meuj", P.ADJECTIVE, "moe", "tired"),
    Word(
        "kepot",
        P.ADJECTIVE,
        "kapot; ook: doodmoe",
        "broken; also: exhausted",
        examples=(("Daan biste kepot meuj.", "Dan ben je doodmoe.", "Then you are worn out."),),
    ),
    Word("koechele", P.VERB, "stiekem lachen, gniffelen", "to giggle, to laugh up one's sleeve"),
    Word("sjevraoje", P.NOUN, "rillingen", "shivers"),
    Word("strabender", P.NOUN, "kwajongen", "rascal", gender="m"),
    Word("aomere", P.NOUN, "houtskool", "charcoal"),
    Word("uileger", P.NOUN, "orgel", "organ (instrument)"),
    Word("vleegmachien", P.NOUN, "vliegtuig", "aeroplane"),
    Word(
        "naobersjap",
        P.NOUN,
        "buurt, de buren",
        "neighbourhood, the neighbours",
        examples=(("oet de naobersjap", "uit de buurt", "from the neighbourhood"),),
    ),
    Word("poen", P.NOUN, "kus", "kiss"),
    Word("Vastelaovend", P.NOUN, "carnaval", "carnival"),
    Word("kirk", P.NOUN, "kerk", "church"),
    Word("hoes", P.NOUN, "huis", "house"),
    Word("straot", P.NOUN, "straat", "street"),
    Word("peerd", P.NOUN, "paard", "horse"),
    Word("höbbe", P.VERB, "hebben", "to have"),
    Word(
        "Sint-Servaos",
        P.NOUN,
        "Sint-Servaas, de schutspatroon van Maastricht",
        "Saint Servatius, patron saint of Maastricht",
    ),
    Word(
        "Mestreechter Geis",
        P.EXPRESSION,
        "de Maastrichtse geest: gemoedelijk, bourgondisch",
        "the spirit of Maastricht: easy-going, enjoying life",
    ),
)
