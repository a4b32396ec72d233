"""The HTML reader: real pages, structure, German cleanup rules, charsets, hostile pages, no article."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from translate.document import check_alignment
from translate.errors import InputError
from translate.pipeline import read_document
from translate.readers import read_input
from translate.readers.html import clean_author, clean_title, decode_html, is_boilerplate, is_credit, is_metadata_blob
from translate.segment import segment_blocks

DATA = Path(__file__).parent / "data" / "html"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
ROOT = Path(__file__).resolve().parents[1]


def _page(body: str, head: str = "<title>Testseite</title>", charset: str | None = "utf-8") -> bytes:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<!DOCTYPE html><html lang='de'><head>{meta}{head}</head><body>{body}</body></html>".encode(charset or "utf-8")


ARTICLE = (
    "<article><h1>Bundestag beschließt neues Gesetz</h1>"
    "<p>Berlin (dpa) - Der Bundestag hat am Freitag ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen. "
    "Die Abgeordneten stimmten mit großer Mehrheit für den Entwurf der Bundesregierung.</p>"
    "<p>Das Gesetz soll im kommenden Jahr in Kraft treten und die Genehmigung neuer Windräder deutlich beschleunigen. "
    "Kritiker bemängeln, dass der Naturschutz dabei zu kurz komme.</p>"
    "<h2>Reaktionen der Opposition</h2>"
    "<p>Die Opposition kündigte an, gegen das Gesetz vor dem Bundesverfassungsgericht zu klagen. "
    "Man werde alle rechtlichen Mittel prüfen, sagte eine Sprecherin in Berlin.</p>"
    "<ul><li>Windkraft an Land wird schneller genehmigt.</li><li>Solaranlagen auf Dächern werden gefördert.</li></ul>"
    "<blockquote><p>Das ist ein guter Tag für den Klimaschutz in Deutschland.</p></blockquote>"
    "<p>Lesen Sie auch: Wie die Energiewende gelingen kann</p>"
    "<p>Die Abstimmung im Bundesrat ist für den kommenden Monat geplant, eine Mehrheit gilt dort als sicher.</p>"
    "</article>"
)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_pages_keep_article_text_and_drop_boilerplate(name: str) -> None:
    source = read_input(DATA / name)
    item = EXPECTED[name]
    found = [s for s in item["with"] if s in source.text]
    leaked = [s for s in item["without"] if s in source.text]
    # trafilatura's evaluation snippets; the whole corpus is scored by benchmarks/html_reading.py
    assert len(found) >= len(item["with"]) - 1, (name, set(item["with"]) - set(found))
    assert len(leaked) <= 1, (name, leaked)
    assert source.info is not None and source.info.format == "html"
    assert len(source.blocks) == len(source.text.split("\n\n"))


def test_rnz_page_has_headline_dateline_and_metadata() -> None:
    doc = read_document(DATA / "rnz.de.witzel.html")
    check_alignment(doc, require_targets=False)
    kinds = [p.kind for p in doc.paragraphs]
    assert kinds[0] == "headline" and doc.paragraphs[0].sentences[0].source == "Frank Witzel erhält Deutschen Buchpreis 2015"
    assert kinds[1] == "dateline"  # "Frankfurt/Main (dpa) -": the segmenter's own dateline rule inside a reader body block
    assert doc.source is not None
    assert doc.source.date == "2019-05-07" and doc.source.site == "rnz.de" and doc.source.url.startswith("https://www.rnz.de/")


def test_autohaus_lead_recovered_and_bold_line_is_heading() -> None:
    source = read_input(DATA / "autohaus.de-skode.html")
    blocks = source.text.split("\n\n")
    assert blocks[1].startswith("Im Gegensatz zu Volkswagen hält sich Skoda")  # the lead (Vorspann) trafilatura leaves out
    assert source.blocks[:2] == ("headline", "body")
    assert '"Founders Edition" mit Vollausstattung' in blocks
    assert source.blocks[blocks.index('"Founders Edition" mit Vollausstattung')] == "heading"
    assert "Bildergalerie" not in blocks


def test_teaser_box_dropped_with_its_heading() -> None:
    text = read_input(DATA / "aerobuzz.de-bremen.html").text
    assert "Schon gelesen?" not in text
    assert "Folgen Sie uns" not in text


def test_structure_kinds_of_a_built_page() -> None:
    source = read_input("seite.html", data=_page(ARTICLE))
    kinds = dict(zip(source.text.split("\n\n"), source.blocks))
    assert kinds["Bundestag beschließt neues Gesetz"] == "headline"
    assert kinds["Reaktionen der Opposition"] == "heading"
    assert kinds["Windkraft an Land wird schneller genehmigt.\nSolaranlagen auf Dächern werden gefördert."] == "list"
    assert kinds["Das ist ein guter Tag für den Klimaschutz in Deutschland."] == "quote"
    assert "Lesen Sie auch" not in source.text
    paragraphs = segment_blocks(source.text, source.blocks)
    by_kind = {p.kind: p for p in paragraphs}
    assert len(by_kind["list"].sentences) == 2  # one list paragraph, one sentence per item
    assert paragraphs[1].kind == "dateline"


_BODY = (
    "<p>Sensation in der schwarzen Hochburg Petersberg bei Fulda! Aus dem Stand heraus wird die 32 Jahre alte "
    "Claudia Brandes Bürgermeisterin der wirtschaftlich und strukturell bestens aufgestellten Großgemeinde.</p>"
    "<p>Amtsinhaber und Verwaltungsmann Carsten Froß sowie die Petersberger CDU stehen vor einem Scherbenhaufen. "
    "Zunächst ist festzustellen, dass die CDU in Petersberg in den vergangenen Jahren keinen harmonischen Eindruck hinterlassen hat.</p>"
    "<p>Zum Anderen zeigen die Persönlichkeitswahlen immer wieder eigene Gesetzmäßigkeiten. Emotionen haben mehr Einfluss als Fakten, "
    "und in Petersberg wurde während des Wahlkampfs immer wieder von einem notwendigen Wechsel gesprochen.</p>"
)
_TITLE = "Claudia Brandes und ihr Bündnis müssen jetzt liefern"


def test_kicker_kept_apart_and_page_title_is_the_headline() -> None:
    # osthessen-news.de markup: <strong> and <span> in a kicker <div>, whitespace between them (trafilatura drops it)
    body = (f'<article><div class="kicker"><strong>KOMMENTAR</strong>\n   <span>Bürgermeisterwahl in Petersberg</span></div>'
            f'<h1 class="headline">{_TITLE}</h1>{_BODY}</article>')
    source = read_input("seite.html", data=_page(body, head=f"<title>{_TITLE}</title>"))
    blocks = source.text.split("\n\n")
    assert "KOMMENTARBürgermeisterwahl" not in source.text
    assert blocks[0] == "KOMMENTAR Bürgermeisterwahl in Petersberg" and source.blocks[0] == "kicker"
    assert blocks[1] == _TITLE and source.blocks[1] == "headline"
    paragraphs = segment_blocks(source.text, source.blocks)
    assert [p.kind for p in paragraphs[:2]] == ["kicker", "headline"]


@pytest.mark.skipif(not (ROOT.parent / "shared" / "corpus" / "html").is_dir(), reason="../shared/corpus/html is not here")
def test_real_kicker_page_has_headline() -> None:
    source = read_input(ROOT.parent / "shared" / "corpus" / "html" / "pages" / "Osthessen-news.de-Buergermeisterwahl.html")
    assert source.blocks[:2] == ("kicker", "headline")
    assert source.text.startswith("KOMMENTAR Bürgermeisterwahl in Petersberg\n\nClaudia Brandes")


def test_short_label_above_the_title_is_a_kicker() -> None:
    body = f'<article><p class="subtitle">Kommunalwahl</p><h1>{_TITLE}</h1>{_BODY}</article>'
    source = read_input("seite.html", data=_page(body, head=f"<title>{_TITLE} - Osthessen News</title>"))
    assert source.blocks[:2] == ("kicker", "headline")
    assert source.text.split("\n\n")[:2] == ["Kommunalwahl", _TITLE]


def test_date_above_the_title_is_a_timestamp_and_credit_is_no_kicker() -> None:
    body = f'<article><h2>02.01.2022</h2><h1>{_TITLE}</h1>{_BODY}</article>'
    source = read_input("seite.html", data=_page(body, head=f"<title>{_TITLE}</title>"))
    assert source.blocks[:2] == ("timestamp", "headline")
    body = f'<article><p>© Marcel Burkhardt</p><h1>{_TITLE}</h1>{_BODY}</article>'
    source = read_input("seite.html", data=_page(body, head=f"<title>{_TITLE}</title>"))
    assert "kicker" not in source.blocks and "Marcel Burkhardt" not in source.text
    assert source.blocks[0] == "headline"


def test_photo_credit_elements_split_from_the_text() -> None:
    # ekhn.de: <span class="image-wrapper-copyright"> glued to the next <span>; iwr.de: <em style="display: block">
    body = (f'<article><h1>{_TITLE}</h1>'
            '<div><span class="image-wrapper"><span class="image-wrapper-copyright">SilviaJansen/Gettyimages</span>'
            '<span class="image-description">Die meisten Heime haben zu wenig Pflegekräfte</span></span></div>'
            f'{_BODY}'
            '<p><a href="/bild.jpg"><em style="color: #aaa;display: block;margin-top: 5px;">Bild: Nordex</em></a>'
            'Hamburg (iwr-pressedienst) - Die vermehrte Stromerzeugung aus erneuerbaren Energien hat einen erheblichen '
            'Einfluss auf das elektrische Netz und die Netzbetreiber.</p></article>')
    source = read_input("seite.html", data=_page(body, head=f"<title>{_TITLE}</title>"))
    assert "GettyimagesDie" not in source.text and "NordexHamburg" not in source.text and "Nordex Hamburg" not in source.text
    kinds = dict(zip(source.text.split("\n\n"), source.blocks))
    assert kinds.get("SilviaJansen/Gettyimages", "boilerplate") == "boilerplate"  # trafilatura may drop it itself
    assert kinds["Die meisten Heime haben zu wenig Pflegekräfte"] == "body"
    assert any(block.startswith("Hamburg (iwr-pressedienst) - Die vermehrte") for block in kinds)
    assert "\u241c" not in source.text and "\u241d" not in source.text and "\u241e" not in source.text and "\u241f" not in source.text


CORPUS = ROOT.parent / "shared" / "corpus" / "html" / "pages"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/html is not here (not part of the repository)")
def test_real_pages_credits_split_off() -> None:
    source = read_input(CORPUS / "ekhn.de-Pflegefinanzierung.html")
    kinds = dict(zip(source.text.split("\n\n"), source.blocks))
    assert kinds["SilviaJansen/Gettyimages"] == "boilerplate"
    assert "Die meisten Heime haben zu wenig Pflegekräfte" in kinds
    text = read_input(CORPUS / "iwr.de.IWRpressedienst.Nordex.html").text
    assert "NordexHamburg" not in text and "\n\nHamburg (iwr-pressedienst) - Die vermehrte" in text
    text = read_input(CORPUS / "battery-news.de.ultium-cells.html").text
    assert "wp-content" not in text


def test_bold_label_glued_to_text_gets_a_space() -> None:
    body = f'<article><h1>{_TITLE}</h1><p><b>Fulda</b>Die Wahl in Petersberg hat überrascht, sagen viele Beobachter im Landkreis.</p>{_BODY}</article>'
    text = read_input("seite.html", data=_page(body, head=f"<title>{_TITLE}</title>")).text
    assert "FuldaDie" not in text and "Fulda Die Wahl" in text


BLOB = ("https://battery-news.de/wp-content/uploads/2022/12/221202_Material-1.png7201280Gerrit Bockey"
        "https://battery-news.de/wp-content/uploads/2021/01/Battery-News-Logo-1.-tansparentpsd-1030x568-1-300x165.png"
        "Gerrit Bockey2022-12-02 12:14:372022-12-02 15:15:17Batteriematerial in Europa (Stand: Dezember 2022)")


def test_metadata_blobs() -> None:
    assert is_metadata_blob(BLOB)
    assert not is_metadata_blob("Die Grafik (https://battery-news.de/grafik.png) zeigt, wo in Europa Batteriematerial hergestellt wird. Sie stammt von 2022.")
    assert not is_metadata_blob("Mehr dazu unter https://www.bundestag.de")
    assert not is_metadata_blob("Im Jahr 2022 wurden 1280 Anlagen gebaut.")


def test_metadata_blob_paragraphs_dropped_from_a_page() -> None:
    body = f"<article><h1>{_TITLE}</h1>{_BODY}<p>{BLOB}</p><p>{BLOB.replace('2022/12', '2022/11')}</p></article>"
    text = read_input("seite.html", data=_page(body, head=f"<title>{_TITLE}</title>")).text
    assert "wp-content" not in text and "Sensation in der schwarzen Hochburg" in text


def test_all_text_keeps_every_visible_block() -> None:
    data = _page("<nav><a href='/'>Startseite</a></nav>" + ARTICLE + "<footer><p>Impressum und Datenschutz</p></footer>")
    article = read_input("seite.html", data=data).text
    everything = read_input("seite.html", data=data, all_text=True).text
    assert "Impressum und Datenschutz" not in article
    assert "Impressum und Datenschutz" in everything and "Lesen Sie auch" in everything and "Startseite" in everything


def test_page_without_article_is_one_line_error_and_all_text_reads_it() -> None:
    data = _page("<nav><ul><li><a href='/a'>Start</a></li><li><a href='/b'>Kontakt</a></li></ul></nav>")
    with pytest.raises(InputError) as err:
        read_input("leer.html", data=data)
    message = str(err.value)
    assert message.startswith("leer.html: no article text found") and "\n" not in message and "--all-text" in message
    assert "Kontakt" in read_input("leer.html", data=data, all_text=True).text


def test_cli_page_without_article_exit_code_and_one_line(tmp_path: Path) -> None:
    page = tmp_path / "menu.html"
    page.write_bytes(_page("<nav><a href='/a'>Start</a></nav>"))
    run = subprocess.run([sys.executable, "-m", "translate", "segment", "--text", str(page)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode != 0 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "no article text found" in run.stderr and "menu.html" in run.stderr
    assert "Traceback" not in run.stderr


def test_latin1_declared_only_in_meta() -> None:
    body = ARTICLE.replace("Förderung", "Förderung für Straßen und Brücken")
    data = _page(body, charset="iso-8859-1")
    assert "ö".encode("latin-1") in data
    source = read_input("alt.html", data=data)
    assert "Förderung für Straßen und Brücken" in source.text
    assert source.encoding == "cp1252"  # WHATWG: the label iso-8859-1 means windows-1252


def test_http_header_charset_wins_over_meta() -> None:
    data = _page(ARTICLE, charset="utf-8").replace("ö".encode(), "ö".encode("latin-1"))
    text, encoding, _ = decode_html(data, "x.html", "text/html; charset=ISO-8859-1")
    assert encoding == "cp1252" and "Förderung" in text


def test_legacy_declaration_with_utf8_bytes_is_read_as_utf8() -> None:
    data = _page(ARTICLE, charset="utf-8").replace(b'charset="utf-8"', b'charset="iso-8859-1"')
    text, encoding, warnings = decode_html(data, "x.html")
    assert encoding == "utf-8" and "Förderung" in text and warnings and "UTF-8" in warnings[0]


def test_hostile_page_runs_nothing_and_fetches_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args, **kwargs):
        raise AssertionError("the HTML reader opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    hostile = (
        "<base href='http://evil.example/'>"
        "<script>document.write('SCRIPTTEXT'); fetch('http://evil.example/x')</script>"
        "<style>body{background:url(http://evil.example/bg.png)}</style>"
        "<iframe src='http://evil.example/frame.html'>IFRAMETEXT</iframe>"
        "<img src='http://evil.example/pixel.gif' onerror=\"alert('ONERRORTEXT')\">"
        "<object data='http://evil.example/o.swf'></object>"
        "<link rel='stylesheet' href='http://evil.example/s.css'>"
        + ARTICLE
    )
    for all_text in (False, True):
        source = read_input("boese.html", data=_page(hostile, head="<title>T</title><base href='http://evil.example/'>"), all_text=all_text)
        for marker in ("SCRIPTTEXT", "IFRAMETEXT", "ONERRORTEXT", "evil.example", "background"):
            assert marker not in source.text
        assert "Der Bundestag hat am Freitag" in source.text


def test_entity_bomb_is_not_expanded() -> None:
    lol = '<!ENTITY lol "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    data = (f'<?xml version="1.0"?><!DOCTYPE html [{lol}]><html><head><meta charset="utf-8"><title>B</title></head>'
            f"<body>{ARTICLE}<p>&lol9;</p></body></html>").encode()
    for all_text in (False, True):
        try:
            source = read_input("bombe.html", data=data, all_text=all_text)
        except InputError as err:  # refusing is fine too, as one line
            assert "\n" not in str(err)
            continue
        assert "lollollol" not in source.text
        assert len(source.text) < 20_000


@pytest.mark.parametrize(
    "line",
    ["Lesen Sie auch: Wie die Energiewende gelingen kann", "Mehr zum Thema", "Schon gelesen?", "Artikel teilen",
     "Facebook Twitter WhatsApp E-Mail", "Jetzt den Newsletter abonnieren", "Kommentieren Sie", "Anzeige",
     "Weitere Informationen:", "Kontakt:", "Telefon: +49 30 1234", "Folgen Sie uns auf Twitter", "Bildergalerie",
     "Das könnte Sie auch interessieren", "Zurück zur Übersicht", "Online-Pressemappe - alle Pressemitteilungen",
     # the article toolbar of nachrichten.at (tests/data/html/nachrichten.at-krebs-excerpt.html)
     "bookmark_border Auf die Merkliste", "headset Vorlesen", "chat_bubble 0 Kommentare", "Lesedauer etwa 2 Min",
     "Lesezeit: 3 Minuten", "Artikel vorlesen lassen"],
)
def test_boilerplate_rules_drop(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    ["Der Bundestag hat am Freitag ein neues Gesetz beschlossen.", "Mehrere Menschen wurden verletzt.",
     "Kontaktbeschränkungen gelten weiter bis Ende Mai, teilte die Landesregierung mit.",
     "Die Zeitung meldete, der Newsletter des Ministeriums habe falsche Zahlen enthalten, und die Opposition fordert nun Aufklärung über die Hintergründe und die Verantwortlichen im Haus des Ministers.",
     "Vorlesen macht Kindern Freude.", "Die Lesedauer beträgt etwa 2 Minuten.", "headset Das neue Modell ist leicht."],
)
def test_boilerplate_rules_keep_article_sentences(line: str) -> None:
    assert not is_boilerplate(line)


def test_credit_lines() -> None:
    assert is_credit("© Bundesrat | Frank Bräuer") and is_credit("Foto: dpa") and is_credit("Copyright: Gisele Wender")
    assert not is_credit("Die Fotos zeigen den Minister bei seiner Ankunft in Berlin am Montagmorgen.")


def test_clean_title() -> None:
    assert clean_title("«Wir waren fast 40 Tage in Quarantäne» - Rosa-Luxemburg-Stiftung") == "«Wir waren fast 40 Tage in Quarantäne»"
    assert clean_title("Skoda: Der lange Weg zum Strom") == "Skoda: Der lange Weg zum Strom"
    assert clean_title(None) is None


def test_rule_files_are_valid_and_general() -> None:
    from translate.readers.html import boilerplate_patterns, lead_classes

    assert len(boilerplate_patterns()) >= 20
    assert set(lead_classes().values()) == {"lead", "subtitle"}
    text = (ROOT / "translate" / "readers" / "data" / "de_boilerplate.txt").read_text(encoding="utf-8").lower()
    for site in ("rnz", "tagesschau", "aerobuzz", "autohaus", "bundespolizei", ".de"):
        assert site not in text  # rules are German-news rules, never page-specific


def test_toolbar_widgets_are_not_translated_as_a_list() -> None:
    """nachrichten.at's toolbar (icon ligature + label: ``bookmark_border Auf die Merkliste``, ``headset Vorlesen``,
    ``chat_bubble 0 Kommentare``, ``Lesedauer etwa 2 Min``) is page furniture, not a list to translate
    (excerpt of ../shared/corpus/html/pages/0b96fc66e2c94f45a1b923ec9a31fcf2.html, see tests/data/html/README.md)."""
    source = read_input(DATA / "nachrichten.at-krebs-excerpt.html")
    for widget in ("bookmark_border", "Merkliste", "headset", "Vorlesen", "chat_bubble", "Kommentare", "Lesedauer"):
        assert widget not in source.text, widget
    assert "Scharlatanerie oder berechtigte Hoffnung?" in source.text
    assert "Darüber diskutieren Experten seit gestern" in source.text
    doc = read_document(DATA / "nachrichten.at-krebs-excerpt.html")
    check_alignment(doc, require_targets=False)
    assert [p.kind for p in doc.paragraphs[:4]] == ["kicker", "headline", "heading", "body"]
    assert "list" not in [p.kind for p in doc.paragraphs]


def test_byline_styled_as_heading_is_a_byline() -> None:
    """90min.de puts the byline in an ``<h4>`` (``Von <a>Jan Kupitz</a>``): trafilatura gives a heading, dewire a byline
    (excerpt of ../shared/corpus/html/pages/90min.de-Bundesliga-Tabelle.html, see tests/data/html/README.md)."""
    doc = read_document(DATA / "90min.de-bundesliga-excerpt.html")
    check_alignment(doc, require_targets=False)
    first = [(p.kind, p.sentences[0].source) for p in doc.paragraphs[:3]]
    assert first[0][0] == "headline"
    assert first[1] == ("byline", "Von Jan Kupitz")
    assert first[2][0] == "body"


def test_site_name_is_not_repeated_as_author() -> None:
    """nachrichten.at names the paper in ``<meta name="Author">`` and the writer in JSON-LD; trafilatura joins both
    (``Oberösterreichische Nachrichten; Claudia Riedler``): the site's own name is no author
    (excerpt of ../shared/corpus/html/pages/0b96fc66e2c94f45a1b923ec9a31fcf2.html)."""
    info = read_input(DATA / "nachrichten.at-krebs-excerpt.html").info
    assert info is not None
    assert info.site == "Oberösterreichische Nachrichten"
    assert info.author == "Claudia Riedler"
    assert info.date == "2019-10-19"


@pytest.mark.parametrize(
    ("author", "site", "host", "expected"),
    [
        ("Oberösterreichische Nachrichten; Claudia Riedler", "Oberösterreichische Nachrichten", "nachrichten.at", "Claudia Riedler"),
        ("Claudia Riedler; Oberösterreichische Nachrichten; Claudia Riedler", "Oberösterreichische Nachrichten", None, "Claudia Riedler"),
        ("Nachrichten; Anna Muster", "Oberösterreichische Nachrichten", None, "Anna Muster"),  # contained in the site name
        ("Tagesschau De", "tagesschau.de", "tagesschau.de", None),
        ("Anna Muster; anna muster; Jan Kupitz", "90min.de", "90min.de", "Anna Muster; Jan Kupitz"),
        ("Anna Muster", None, None, "Anna Muster"),
        # the next two as trafilatura gives them on ../shared/corpus/html/pages/gruene-bundestag.de-COP26.html and focus.de.leasen.html
        ("Bündnis ; Die Grünen Bundestagsfraktion", "Bundestagsfraktion Bündnis 90/Die Grünen", "gruene-bundestag.de", None),
        ("FOCUS Online; FOCUS-Online-Experte Robin Tschöpe", "FOCUS Online", "focus.de", "FOCUS-Online-Experte Robin Tschöpe"),
        (None, "tagesschau.de", None, None),
    ],
)
def test_clean_author(author, site, host, expected) -> None:
    assert clean_author(author, site, host) == expected
