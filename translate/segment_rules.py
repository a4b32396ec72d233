"""Word lists and patterns behind the German sentence and paragraph rules.

Kept apart from :mod:`translate.segment` so the rules read as code and the
vocabulary as data. Every list is a ``frozenset`` of exact tokens (case
matters unless a comment says otherwise). Sources: the abbreviation lists of
the Duden ("Abkürzungen"), the DIN 5008 rules for dates and ordinals, and the
errors found on WMT newstest2014 (original German) and NTREX-128 with
``benchmarks/segmentation.py --errors``; each fix there has a case in
``tests/test_segment_cases.py``.
"""

from __future__ import annotations

import re

# --- abbreviations ----------------------------------------------------------
# A token "X." whose X is in one of these sets is an abbreviation. The three
# sets differ in what may follow before the period can end a sentence.

ABBREV_NEVER_FINAL: frozenset[str] = frozenset(
    """
    Dr Prof Hr Hrn Fr Frl St Nr Nrn Str Dipl Ing med jur phil rer nat dent vet habil Mag
    Univ Doz Dir Pfr Kard hl Hl Mr Mrs Ms Messrs Sen Rep Gov Gen Lt Col Sgt Kpt Hptm Maj Adm
    vgl Vgl bzw Bzw ca Ca ggf Ggf ggfs sog Sog bspw Bspw insb Insb inkl Inkl exkl zzgl abzgl einschl
    Tel Fax geb gest verh verw gem lt Lt evtl Evtl od resp vs bzgl Bzgl betr Betr entspr zw rd Rd
    mind max min urspr stv stellv Stv Stellv Vors Präs Abg Bgm Gebr Wwe Nachf Kfm kfm ehem Ehem
    sen jun Pl Bd Bde Kap Abb Tab Fn Anm Bsp Hrsg hrsg Jg Jhg Ziff Sp vorm nachm
    Mo Di Mi Do Sa So Jan Feb Mär Mrz Apr Jun Jul Aug Sep Sept Okt Nov Dez
    allg bes dgl eigtl erg gen hg jew Ltd Bros Verf Verl Ztg Zt zt zit ebd ebda ders
    Abt Abtlg Anh Aufl Ausg Beil Best Bez Bezirksh Dt dt Dtzd Erl Forts Gde Ges gez
    Hg hg Hs Inh Inst Kat Kl Kr Lkr Lfg Mt Mskr Neuaufl No Orig Pkt Reg Rel Slg
    Tsd Übers übers Verz Vol Wdh Zchn Zus zus Jh Jhd Jhdt Chr
    Abs Art Bl Hft Rn Rz Tz Vers
    Ing Obj Ref Sek Sekr Stud Techn Verw Vizepräs Präsid Bürgerm Gen-Sekr
    u.a u.ä o.ä z.B z.T d.h i.d.R u.U v.a s.o s.u a.a.O i.A i.V m.E u.v.m u.s.w
    n.Chr v.Chr e.V a.D i.R z.Zt z.Hd o.g u.g
    """.split()
)
"""Abbreviations after which a sentence never ends (titles, ``vgl.``, ``bzw.``, ``ca.``).
(:data:`ABBREV_FINAL_CAPABLE` and :data:`ABBREV_BEFORE_NUMBER` take precedence.)"""

ABBREV_FINAL_CAPABLE: frozenset[str] = frozenset(
    """
    usw etc uvm usf Chr Jh Jhd Jhdt Mio Mrd Tsd Bio Jr Inc Ltd Corp Co Std Min Sek ff
    u.a u.ä o.ä u.v.m u.s.w n.Chr v.Chr e.V a.D i.R Mill Milliard
    Bhf Hbf ggf Ggf ggfs D.C
    """.split()
)
"""Abbreviations that also end sentences: split after them only before a
:data:`SENTENCE_STARTERS` word (``… 3 Mio. Euro`` stays, ``… usw. Die`` splits)."""

ABBREV_BEFORE_NUMBER: frozenset[str] = frozenset(
    "Art Abs Bl Hft Rn Rz Tz Vers S Nr Bd Kap Ziff Tab Abb Fig No Vol Jg Sa So Mo Di Mi Do Fr".split()
)
"""Abbreviations that are words too (``Art``): no split when a number follows."""

ABBREV_ENDS_PHRASE: frozenset[str] = frozenset("usw etc uvm usf u.s.w u.v.m e.V D.C".split())
"""Abbreviations that close an enumeration or a name (``… Wurst usw.``,
``Heimatverein Gutach e.V.``, ``Washington D.C.``): a following capitalised
word opens a new sentence even when it is a noun (``usw. Kinder bekamen …``;
issue 12). Inside a sentence they are followed by a lower-case word or
punctuation."""

AMOUNT_ABBREVS: frozenset[str] = frozenset("Mio Mrd Tsd Bio Mill Milliard".split())
"""Amount abbreviations (``3 Mio. Euro``): they end a sentence before a
capitalised word unless it is a :data:`MEASURE_NOUNS` word."""

MEASURE_NOUNS: frozenset[str] = frozenset(
    """
    Euro EUR Dollar USD US-Dollar Franken CHF Pfund Yen Yuan Rubel Kronen Schilling Mark DM Lire Rupien
    Menschen Einwohner Besucher Zuschauer Nutzer Kunden Mitglieder Fahrgäste Passagiere Stimmen Wähler
    Arbeitsplätze Jobs Haushalte Fälle Tonnen Liter Barrel Kilometer Quadratkilometer Hektar Kubikmeter
    Jahre Jahren Stück Exemplare Dosen Downloads Klicks Follower Abonnenten Aufrufe Tiere Bäume Autos
    Fahrzeuge Wohnungen Beschäftigte Mitarbeiter Mitarbeitende Schüler Studierende Studenten Kinder
    Flüchtlinge Patienten Infizierte Tote Opfer Dosen Impfdosen Touristen Übernachtungen Gäste
    """.split()
)
"""Nouns counted in millions (``3 Mio. Euro``, ``2 Mio. Menschen``): no
sentence end between the amount abbreviation and these."""

STREET_SUFFIXES: tuple[str, ...] = ("str", "Str", "pl", "Pl")
"""Endings of abbreviated street names (``Goethestr.``, ``Marktpl.``): no
sentence end when a house number follows (``Hauptstr. 12``)."""

CLUB_PREFIXES: frozenset[str] = frozenset(
    """
    FC FSV SC SV VfB VfL TSV TSG TuS SpVgg BV BSC FFC SSV KSC SG SpG JSG ESV MSV TV TSC HSV
    """.split()
)
"""Club-name abbreviations after an ordinal (``1. FC Köln``, ``1. FSV Mainz 05``):
the ordinal is part of the name, never a sentence end."""

TOP_LEVEL_DOMAINS: frozenset[str] = frozenset(
    """
    de at ch li lu com org net eu info io biz gov edu int uk fr it es nl be pl cz dk se no fi us tv me
    """.split()
)
"""Top-level domains: ``orf.at.`` ends a sentence like any word (IANA root zone, a common subset)."""

ABBREV_NEVER_FINAL = ABBREV_NEVER_FINAL - ABBREV_FINAL_CAPABLE - (ABBREV_BEFORE_NUMBER - {"Nr", "Fr", "Mo", "Di", "Mi", "Do", "Sa", "So"})

LETTER_NOUNS: frozenset[str] = frozenset(
    """
    Gruppe Plan Vitamin Typ Klasse Kategorie Block Halle Terminal Teil Stufe Note Buchstabe Punkt
    Option Variante Modell Version Trakt Haus Gleis Zone Sektor Tribüne Kurve Säule Stufe Level
    Kabine Raum Saal Tor Eingang Ausgang Bahnsteig Flügel Reihe Sitz Pool Topf Liste Serie
    Anlage Anhang Abschnitt Spalte Zeile Szenario Fall Absatz Ebene Seite Feld Achse Schema
    """.split()
)
"""Nouns naming a letter-labelled thing: after ``Gruppe A.`` a sentence may end."""

# --- words around numbers ------------------------------------------------------

MONTHS: frozenset[str] = frozenset(
    """
    Januar Jänner Februar Feber März April Mai Juni Juli August September Oktober November Dezember
    Jan Feb Mär Mrz Apr Jun Jul Aug Sep Sept Okt Nov Dez
    """.split()
)
"""German month names and their abbreviations: ``13. September`` is a date."""

ORDINAL_CONTEXT: frozenset[str] = frozenset(
    w
    for word in """
    der die das dem den des am im vom zum zur beim ins ans aufs
    ein eine einem einen einer eines kein keine keinem keinen keiner
    sein seine seinem seinen seiner seines ihr ihre ihrem ihren ihrer ihres
    unser unsere unserem unseren unserer mein meine meinem meinen meiner dein deine
    jeder jedes jedem jeden jede diese dieser diesem diesen dieses jene jener jenem jenen
    dessen deren welche welcher welchem welchen welches insgesamt bereits
    """.split()
    for w in (word, word.capitalize())
)
"""Words after which ``17.`` is an ordinal (``der 17. Sieg``, ``am 3. Oktober``)."""

ORDINAL_LINKS: frozenset[str] = frozenset("und oder bis bzw. sowie und/oder – - —".split())
"""Words linking two ordinals (``vom 18. bis 20. Juli``, ``3. und 4. Platz``)."""

ORDINAL_NOUNS: frozenset[str] = frozenset(
    """
    Jahrhundert Jahrhunderts Jahrhunderten Jahrtausend Jahrtausends Jahrestag Jahrestages Jahrestags
    Geburtstag Geburtstags Geburtstages Todestag Todestags Hochzeitstag Jubiläum Jubiläums
    Mal Platz Platzes Rang Runde Spieltag Spieltags Minute Etappe Stock Stockwerk Etage Klasse
    Liga Bundesliga Sitzung Sitzungstag Legislaturperiode Amtszeit Auflage Ausgabe Folge Staffel
    Kapitel Akt Satz Strophe Lauf Durchgang Lebensjahr Lebensjahres Jahrgang Jahrgangs Semester
    Schuljahr Kalenderwoche Quartal Quartals Halbjahr Halbjahres Wahlgang Versuch Tor Treffer
    Saisonsieg Saisontor Sieg Titel Weltkrieg Weltkrieges Weltkriegs Parteitag Parteitags
    Bundestag Jahreshälfte Monatshälfte Advent Adventssonntag Sonntag Fastensonntag Bezirk
    Armee Division Brigade Symphonie Sinfonie Internationale Reich Reiches Reichs
    """.split()
)
"""Nouns that take an ordinal (``im 19. Jahrhundert``, ``zum 3. Mal``)."""

WEEKDAYS: frozenset[str] = frozenset(
    "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonnabend Sonntag "
    "Mo Di Mi Do Fr Sa So".split()
)
"""Weekdays: ``Samstag, 26. Oktober``."""

# --- words that open sentences -------------------------------------------------

SENTENCE_STARTERS: frozenset[str] = frozenset(
    """
    Der Die Das Dem Den Des Ein Eine Einer Eines Einem Einen Er Sie Es Ich Wir Ihr Man Du
    Mein Meine Sein Seine Seinem Seinen Seiner Ihre Ihrem Ihren Ihrer Unser Unsere
    Dies Diese Dieser Dieses Diesem Diesen Jene Jener Jenes Solche Solch Alle Alles Viele Einige
    Manche Mehrere Beide Beides Kein Keine Keiner Nichts Niemand Jeder Jede Jedes Jeweils
    Wer Was Wo Wie Warum Wann Weshalb Wieso Weswegen Welche Welcher Welches Wohin Woher
    Auch Aber Doch Und Oder Denn Sondern Dann Danach Daher Darum Deshalb Deswegen Dabei Dafür
    Dagegen Damit Dazu Davon Darauf Daraus Darin Darüber Dadurch Dahinter Davor Dort Hier Heute
    Gestern Jetzt Nun Noch Schon Bereits Zudem Außerdem Ebenso Ebenfalls Allerdings Jedoch
    Trotzdem Dennoch Zwar Zuvor Zunächst Später Schließlich Inzwischen Mittlerweile Immerhin
    Vielleicht Wahrscheinlich Offenbar Offensichtlich Laut Nach Vor Bei Mit Von Aus In Im Am An Auf
    Für Gegen Ohne Um Unter Über Seit Bis Während Wegen Trotz Zum Zur Als Wenn Weil Obwohl Ob
    Dass Daß Da So Sogar Nur Erst Insgesamt Allein Genau Gleichzeitig Anschließend Demnach Somit
    Also Ja Nein Bitte Eigentlich Hinzu Neben Zwischen Durch Dank Gemäß Ab Mehr Weitere Weiterhin
    Ferner Überdies Freilich Gerade Wieder Damals Derzeit Zurzeit Bisher Künftig Zuletzt
    Erstmals Ende Anfang Mitte Seither Seitdem Stattdessen Andererseits Einerseits Vor allem
    Hintergrund Grund Insbesondere Besonders Vor Zuerst Zweitens Drittens Erstens Letztlich
    """.split()
)
"""Capitalised function words that open sentences (articles, pronouns,
conjunctions, sentence adverbs, prepositions). German capitalises every noun,
so after an ambiguous period (``Mio.``, ``usw.``, a number) only these count
as evidence of a new sentence."""

# --- quotes, brackets, list markers ---------------------------------------------

CLOSERS: str = "\"'“”»«’‘›‹)]}"
"""Characters that may close a sentence after its final punctuation (``.“``, ``!»``, ``.)``)."""

OPENERS: str = "\"'„“«»‚‘‹›([{"
"""Characters that may open a sentence (``„``, ``»``, ``"``, ``(``)."""

DASHES: str = "-–—"

BULLET_RE = re.compile(r"[-–—•*·▪▫◦‣►▶→✓✔+]\s+\S")
"""A bullet list item: marker, space, text (``- Punkt eins``)."""

NUMBERED_RE = re.compile(r"(?:\d{1,3}|[a-zA-Z])[.)]\s+\S|\(\s*(?:\d{1,3}|[a-zA-Z])\s*\)\s+\S")
"""A numbered list item: ``1. Punkt``, ``2) Punkt``, ``a) Punkt``, ``(3) Punkt``."""

NUMBERING_ONLY_RE = re.compile(
    r"[(\[]?(?:\d{1,3}[.):\]]{1,2}|\(\d{1,3}\)|\[\d{1,3}\]|(?:[IVXLCDM]{1,7}|[ivxlcdm]{1,7}|[A-Za-z])[.):\]]{0,2})"
)
"""A line that is only a numbering marker (``1.``, ``2)``, ``(3)``, ``IV.``, ``a)``): a separator, passed through.
A bare number (``2021``, ``12``) or a year with a period (``2014.``) is no marker."""

# --- paragraph kinds -------------------------------------------------------------

AMOUNT_UNITS: frozenset[str] = frozenset(
    """
    Euro EUR € Dollar USD US-Dollar $ Franken CHF Pfund £ Yen Yuan Rubel Kronen Cent Rappen Prozent %
    Mio Mrd Tsd Millionen Milliarden Tausend km m cm mm kg g t l Liter Tonnen Grad °C Punkte Stück
    """.split()
)
"""Units of a line that is only a figure (``10 Euro``, ``3,5 Mio. Euro``): such a line is body, not a heading."""

AGENCIES: frozenset[str] = frozenset(
    """
    reuters dpa afp ap kna epd dapd sid apa sda keystone-sda keystone xinhua ansa efe tass interfax
    bloomberg dj awp ots idw rtr ddp aa afx dpa-afx dow jones upi itar-tass ria kyodo yonhap pti ani
    red eb dts kap ntv n-tv cnn bbc reuters/dpa dpa/afp afp/dpa dpa/reuters ap/dpa dpa/ap mz mm
    """.split()
)
"""News agency tags seen in datelines (``SEOUL (Reuters) –``), lower case."""

DATELINE_RE = re.compile(
    r"(?P<place>[A-ZÄÖÜ][\wÄÖÜäöüß.'’/-]{0,40}(?:[ ][A-ZÄÖÜ/][\wÄÖÜäöüß.'’/-]{0,40}){0,3})"
    r"(?:,[ ][^()\n]{1,40}?)?[ ]?\((?P<agency>[^()\n]{1,40})\)[ ]?[-–—:][ ]"
)
"""``SEOUL (Reuters) – ``, ``BERLIN (dpa) - ``, ``Washington, 3. Mai (AP) – ``.
Matched with ``re.match`` at a paragraph start; the agency must be in :data:`AGENCIES`."""

CAPS_DATELINE_RE = re.compile(r"[A-ZÄÖÜ]{3,}(?:[ /-][A-ZÄÖÜ]{2,}){0,3}(?:,[ ][^\n–—]{1,30}?)?[ ][-–—][ ](?=\S)")
"""A dateline without agency in capitals: ``SEOUL – ``."""

CAPS_PERIOD_DATELINE_RE = re.compile(r"[A-ZÄÖÜ]{3,}(?:[ /-][A-ZÄÖÜ]{2,}){0,2}\.[ ](?=[A-ZÄÖÜ„\"»])")
"""A place in capitals and a period leading the first body paragraph
(``STUTTGART. Der Landtag …``, regional papers' style; issue 12)."""

PLACE_DASH_RE = re.compile(r"[A-ZÄÖÜ][a-zäöüß]{2,}(?:[ -][A-ZÄÖÜ][a-zäöüß]+)?[ ]–[ ](?=[A-ZÄÖÜ„\"»])")
"""``Wien – Die Regierung …`` (DER STANDARD style), only for the first body paragraph."""

CAPTION_START_RE = re.compile(
    r"(?:©|\(c\)[ ]|\(C\)[ ]|Copyright\b|(?:Fotos?|Bild(?:er)?|Grafik|Quelle|Archivfoto|Archivbild|Symbolbild|"
    r"Illustration|Bildquelle|Bildunterschrift|Bildnachweis|Photo|Image|Credit|Video|Screenshot)[ ]?(?:/[ ]?\w+[ ]?)?:)"
)
"""Caption or credit at the start of a paragraph: ``© Reuters.``, ``Foto: dpa``."""

CAPTION_END_RE = re.compile(
    r"(?:(?:Fotos?|Bild|Grafik|Quelle|Archivfoto|Archivbild|Symbolbild)[ ]?:[ ]?[^.:;!?\n]{1,60}|©[ ]?[^.:;!?\n]{1,60})\)?$"
)
"""Credit at the end of a short paragraph: ``… Foto: Michael Kappeler/dpa``."""

BYLINE_RE = re.compile(
    r"(?:Von|VON|Text|Autor|Autorin|Ein Kommentar von|Eine Analyse von|Ein Gastbeitrag von|Eine Reportage von)"
    r"(?:[ ]|:[ ])(?:unsere[mnr]?[ ]|(?=[A-ZÄÖÜ]))"
)
"""A byline opening: ``Von Josh Smith``, ``Von unserem Korrespondenten …``."""

NAME_PARTICLES: frozenset[str] = frozenset(
    "von van der de den da di du la le zu und aus in mit vom zur zum bin al el ibn ben y dos das del "
    "unserem unserer unseren unser korrespondenten korrespondentin redakteur redakteurin "
    "mitarbeiter mitarbeiterin reporter reporterin".split()
)
"""Lower-case words allowed inside a byline name (``Ursula von der Leyen``)."""

# --- news web-copy lines: timestamps, kickers, boilerplate (issue 17) -----------

_MONTH_NAMES = (
    r"(?:Januar|Jänner|Februar|Feber|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|"
    r"Jan|Feb|Mär|Mrz|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|Dez)\.?"
)
_DATE = rf"(?:\d{{1,2}}\.[ ]?\d{{1,2}}\.[ ]?(?:\d{{4}}|\d{{2}})|\d{{1,2}}\.[ ]?{_MONTH_NAMES}(?:[ ]\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})"
_TIME = r"\d{1,2}[:.]\d{2}(?:[ ]?Uhr)?|\d{1,2}[ ]Uhr"
_WEEKDAY = r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag|Mo|Di|Mi|Do|Fr|Sa|So)\.?"

TIMESTAMP_RE = re.compile(
    rf"(?:(?:Stand|Aktualisiert|Zuletzt[ ]aktualisiert|Letzte[ ]Aktualisierung|Veröffentlicht|Erstellt|Publiziert|"
    rf"Update|Erschienen|Datum)(?:[ ]am)?[ ]?:?[ ]*)?"
    rf"(?:{_WEEKDAY},?[ ](?:den[ ])?)?"
    rf"(?:{_DATE}(?:[ ]?[,|·–-]?[ ]?(?:um[ ])?(?:{_TIME}))?|{_TIME}|(?:vor[ ]\d+[ ](?:Minuten|Stunden|Tagen)))"
    r"(?:[ ]?(?:Uhr|MEZ|MESZ|CET|CEST))?\.?"
)
"""A timestamp line of a web copy (matched against the whole line):
``Stand: 08.09.2023 14:32 Uhr``, ``Aktualisiert am 8. September 2023, 10:15 Uhr``,
``Montag, 11.09.2023``, ``08.09.2023 | 14:32``. Such a line gets the paragraph
kind ``timestamp`` and is never joined to the title (issue 17)."""

MAX_TIMESTAMP_CHARS = 80


def is_timestamp(line: str) -> bool:
    """Is ``line`` (stripped) only a timestamp (:data:`TIMESTAMP_RE`)?"""
    return len(line) <= MAX_TIMESTAMP_CHARS and TIMESTAMP_RE.fullmatch(line) is not None


MAX_KICKER_WORDS = 4
MAX_KICKER_CHARS = 50
"""A kicker (``Politik``, ``Tourismusattraktion in England``) is at most this
long: a topical label above the real title, not a headline."""


def _load_boilerplate() -> tuple[re.Pattern[str], ...]:
    from importlib.resources import files

    text = files("translate").joinpath("data/boilerplate_de.txt").read_text(encoding="utf-8")
    patterns = []
    for raw in text.split("\n"):
        line = raw.strip()
        if line and not line.startswith("#"):
            patterns.append(re.compile(line, re.IGNORECASE))
    return tuple(patterns)


BOILERPLATE_PATTERNS: tuple[re.Pattern[str], ...] = _load_boilerplate()
"""The rules of ``translate/data/boilerplate_de.txt`` (whole-line, case-insensitive)."""

MAX_BOILERPLATE_CHARS = 240
"""Only lines up to this long are ever boilerplate (``Lesen Sie auch: …`` with its teaser title)."""


ICON_NAME_RE = re.compile(
    r"(?:[a-z]+(?:_[a-z]+)+|headset|headphones|share|print|mail|email|bookmark|bookmarks|comment|forum|chat|"
    r"schedule|timer|favorite|send|link|download|visibility|volume_up|today|event)[ ]+(?=\S)"
)
"""A Material Icons ligature name opening a widget line (``bookmark_border Auf die Merkliste``,
``headset Vorlesen``, ``chat_bubble 0 Kommentare``): the icon font draws the name as a picture, but
text extraction keeps it as a word. Lower case only: any ``snake_case`` name, or one of the single-word
icon names of article toolbars. Source: the toolbar of nachrichten.at
(``<i class="material-icons">bookmark_border</i>``, ``../shared/corpus/html/pages/0b96fc66e2c94f45a1b923ec9a31fcf2.html``)."""


def strip_icon_name(line: str) -> str:
    """``line`` without an opening icon ligature name (:data:`ICON_NAME_RE`); unchanged when it has none."""
    m = ICON_NAME_RE.match(line)
    return line[m.end() :] if m else line


def is_boilerplate(line: str) -> bool:
    """Does ``line`` (stripped) match a boilerplate rule as a whole (``Anzeige``, ``Zur Startseite``)?

    A line opening with an icon ligature name (:data:`ICON_NAME_RE`) is
    boilerplate when the rest of it is (``chat_bubble 0 Kommentare``).
    """
    if len(line) > MAX_BOILERPLATE_CHARS:
        return False
    if any(p.fullmatch(line) for p in BOILERPLATE_PATTERNS):
        return True
    rest = strip_icon_name(line)
    return rest != line and any(p.fullmatch(rest) for p in BOILERPLATE_PATTERNS)
