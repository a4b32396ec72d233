"""The DOCX reader: files built with python-docx (headings, lists, a table, empty), damaged and hostile packages, .doc."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")

from translate.document import check_alignment  # noqa: E402
from translate.errors import InputError  # noqa: E402
from translate.pipeline import read_document  # noqa: E402
from translate.readers import read_input  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _build(path: Path) -> Path:
    d = docx.Document()
    d.core_properties.title = "Haushaltsstreit"
    d.core_properties.author = "Erika Mustermann"
    d.core_properties.created = datetime.datetime(2024, 5, 17, 9, 30)
    d.add_paragraph("Koalition einigt sich auf Haushalt", style="Title")
    d.add_paragraph("Berlin (dpa) - Nach langen Verhandlungen hat sich die Koalition auf den Haushalt geeinigt. Die Einigung kam in der Nacht.")
    d.add_heading("Die wichtigsten Punkte", level=1)
    d.add_paragraph("Mehr Geld für Schulen.", style="List Bullet")
    d.add_paragraph("Weniger Subventionen für Diesel.", style="List Bullet")
    d.add_paragraph("Ein Zitat der Ministerin steht hier.", style="Quote")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Ressort"
    table.cell(0, 1).text = "Betrag"
    table.cell(1, 0).text = "Bildung und Forschung"
    table.cell(1, 1).text = "Zwei Milliarden Euro mehr als im Vorjahr."
    d.add_heading("Kritik", level=2)
    d.add_paragraph("")
    d.add_paragraph("Die Opposition kritisierte die Pläne scharf.")
    d.save(path)
    return path


def test_docx_structure_and_metadata(tmp_path: Path) -> None:
    source = read_input(_build(tmp_path / "haushalt.docx"))
    blocks = source.text.split("\n\n")
    assert list(zip(source.blocks, blocks)) == [
        ("headline", "Koalition einigt sich auf Haushalt"),
        ("body", "Berlin (dpa) - Nach langen Verhandlungen hat sich die Koalition auf den Haushalt geeinigt. Die Einigung kam in der Nacht."),
        ("heading", "Die wichtigsten Punkte"),
        ("list", "Mehr Geld für Schulen.\nWeniger Subventionen für Diesel."),
        ("quote", "Ein Zitat der Ministerin steht hier."),
        ("body", "Ressort\nBetrag"),
        ("body", "Bildung und Forschung\nZwei Milliarden Euro mehr als im Vorjahr."),
        ("heading", "Kritik"),
        ("body", "Die Opposition kritisierte die Pläne scharf."),
    ]
    assert source.info is not None and source.info.format == "docx"
    assert source.info.title == "Haushaltsstreit" and source.info.author == "Erika Mustermann"
    assert source.info.date == "2024-05-17"


def test_docx_document_kinds_and_alignment(tmp_path: Path) -> None:
    doc = read_document(_build(tmp_path / "haushalt.docx"))
    check_alignment(doc, require_targets=False)
    kinds = [p.kind for p in doc.paragraphs]
    assert kinds[:5] == ["headline", "dateline", "heading", "list", "quote"]
    table_row = doc.paragraphs[6]
    assert [s.source for s in table_row.sentences] == ["Bildung und Forschung", "Zwei Milliarden Euro mehr als im Vorjahr."]
    assert doc.name == "haushalt" and doc.source is not None and doc.source.author == "Erika Mustermann"


def test_empty_docx_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "leer.docx"
    docx.Document().save(path)
    with pytest.raises(InputError, match=r"leer\.docx is empty"):
        read_input(path)


def test_corrupted_zip_is_one_line_error(tmp_path: Path) -> None:
    path = _build(tmp_path / "kaputt.docx")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as err:
        read_input(path)
    assert "kaputt.docx" in str(err.value) and "not a valid .docx" in str(err.value) and "\n" not in str(err.value)


def test_legacy_doc_is_refused_with_hint(tmp_path: Path) -> None:
    path = tmp_path / "alt.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(InputError, match=r"alt\.doc is a legacy Word \.doc file.*convert it to \.docx"):
        read_input(path)
    renamed = tmp_path / "alt.bin"
    renamed.write_bytes(path.read_bytes())
    with pytest.raises(InputError, match="legacy Word"):
        read_input(renamed)  # found by its signature, whatever the extension


def _rewrite(src: Path, dst: Path, replace: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, replace.pop(item.filename, zin.read(item.filename)))
        for name, data in replace.items():
            zout.writestr(name, data)
    return dst


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    base = _build(tmp_path / "base.docx")
    bomb = _rewrite(base, tmp_path / "bombe.docx", {"word/media/filler.xml": b"<a>" + b" " * 50_000_000 + b"</a>"})
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(InputError) as err:
        read_input(bomb)
    assert "bombe.docx" in str(err.value) and "zip bomb" in str(err.value)


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    base = _build(tmp_path / "base.docx")
    with zipfile.ZipFile(base) as z:
        document = z.read("word/document.xml")
    entities = '<!DOCTYPE w:document [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ) + "]>"
    head, rest = document.split(b"?>", 1)
    hostile = head + b"?>" + entities.encode() + rest.replace(b"Die Opposition kritisierte", b"&lol9; Die Opposition kritisierte", 1)
    path = _rewrite(base, tmp_path / "lachen.docx", {"word/document.xml": hostile})
    with pytest.raises(InputError, match=r"lachen\.docx: refused, part word/document\.xml declares a DTD"):
        read_input(path)


def test_comments_are_left_out_with_a_warning(tmp_path: Path) -> None:
    base = _build(tmp_path / "base.docx")
    comments = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b'<w:comment w:id="0" w:author="R"><w:p><w:r><w:t>Bitte pruefen</w:t></w:r></w:p></w:comment></w:comments>'
    )
    path = _rewrite(base, tmp_path / "kommentiert.docx", {"word/comments.xml": comments})
    source = read_input(path)
    assert "Bitte pruefen" not in source.text
    assert any("comments left out" in w for w in source.warnings)


def test_cli_segment_text_of_docx(tmp_path: Path) -> None:
    path = _build(tmp_path / "haushalt.docx")
    run = subprocess.run([sys.executable, "-m", "translate", "segment", "--text", str(path)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Koalition einigt sich auf Haushalt\n\nBerlin (dpa)")


def _plain(path: Path, **props) -> Path:
    """A .docx from python-docx's default template (its core properties untouched unless given)."""
    d = docx.Document()
    for key, value in props.items():
        setattr(d.core_properties, key, value)
    d.add_paragraph("Berlin (dpa) - Die Koalition hat sich auf den Haushalt geeinigt. Die Einigung kam in der Nacht.")
    d.save(path)
    return path


def test_python_docx_template_defaults_are_no_byline_or_date(tmp_path: Path) -> None:
    """python-docx's default template says author "python-docx", created/modified 2013-12-23T23:15:00Z: not the
    article's author and date, in the source information and in the TMX header alike."""
    from translate.writers.tmx import render

    path = _plain(tmp_path / "plain.docx")
    props = docx.Document(str(path)).core_properties
    assert props.author == "python-docx" and props.created == datetime.datetime(2013, 12, 23, 23, 15, tzinfo=datetime.timezone.utc)  # the defaults
    source = read_input(path)
    assert source.info is not None
    assert (source.info.title, source.info.author, source.info.date) == (None, None, None)
    tmx = render(read_document(path))[".tmx"]
    assert "x-dewire-author" not in tmx and "x-dewire-date" not in tmx
    assert "python-docx" not in tmx and "2013-12-23" not in tmx


def test_real_core_properties_beside_template_defaults(tmp_path: Path) -> None:
    source = read_input(_plain(tmp_path / "a.docx", author="Erika Mustermann"))
    assert (source.info.author, source.info.date) == ("Erika Mustermann", None)
    source = read_input(_plain(tmp_path / "b.docx", modified=datetime.datetime(2024, 5, 17, 9, 30)))
    assert (source.info.author, source.info.date) == (None, "2024-05-17")  # created is the template's: modified counts
    source = read_input(_plain(tmp_path / "c.docx", created=datetime.datetime(2023, 1, 2, 8, 0), author="Python-Docx"))
    assert (source.info.author, source.info.date) == (None, "2023-01-02")


def test_docx_without_core_properties_has_no_invented_date(tmp_path: Path) -> None:
    """Without ``docProps/core.xml`` python-docx makes up the title "Word Document" and the current time."""
    src = _plain(tmp_path / "src.docx", created=datetime.datetime(2023, 1, 2, 8, 0), author="Erika Mustermann")
    dst = tmp_path / "nocore.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                continue
            if item.filename == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*core-properties[^>]*/>", b"", data)
            if item.filename == "[Content_Types].xml":
                data = re.sub(rb"<Override [^>]*core\.xml[^>]*/>", b"", data)
            zout.writestr(item.filename, data)
    source = read_input(dst)
    assert (source.info.title, source.info.author, source.info.date) == (None, None, None)
    assert "Die Koalition hat sich auf den Haushalt geeinigt." in source.text
