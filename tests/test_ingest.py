import codecs

import pytest

from policytag.errors import PolicytagError
from policytag.ingest import find_documents, read_document
from policytag.segment import segment_document

TEXT = "一、推进污染防治\n全面完成钢铁企业超低排放改造，城市污水处理率达到98%。\n今年新增光伏装机50万千瓦。"
EXPECTED = ["一、推进污染防治", "全面完成钢铁企业超低排放改造，城市污水处理率达到98%。", "今年新增光伏装机50万千瓦。"]


def sentences_of(path):
    document = read_document(path)
    return [s.text for s in segment_document(document.doc_id, document.text)]


@pytest.mark.parametrize(
    "name, data",
    [
        ("utf8.txt", TEXT.encode("utf-8")),
        ("bom.txt", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
        ("gbk.txt", TEXT.encode("gbk")),
        ("gb18030.txt", TEXT.replace("\n", "\r\n").encode("gb18030")),
        ("utf16.txt", TEXT.encode("utf-16")),
        ("utf16le-nobom.md", TEXT.encode("utf-16-le")),
    ],
)
def test_text_files_in_every_supported_encoding(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    assert sentences_of(path) == EXPECTED


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    document = docx.Document()
    for line in TEXT.split("\n"):
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "建成绿色工厂12家。"
    path = tmp_path / "report.docx"
    document.save(path)
    assert sentences_of(path) == EXPECTED + ["建成绿色工厂12家。"]


def test_pdf_text_with_layout_line_wraps_undone(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "report.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 12)
    page.drawString(72, 760, "一、推进污染防治")
    page.drawString(72, 720, "全面完成钢铁企业超低排放改造，城市")
    page.drawString(72, 705, "污水处理率达到98%。")
    page.drawString(72, 665, "今年新增光伏装机50万千瓦。")
    page.save()
    assert sentences_of(path) == EXPECTED


def test_html_drops_scripts_and_navigation_and_keeps_inline_text_together(tmp_path):
    html = (
        '<html><head><meta charset="gbk"><title>报告</title><script>var a="打印";</script></head><body>'
        "<nav>首页 | 政务公开</nav><h2>一、推进污染防治</h2>"
        "<p>全面完成<b>钢铁企业</b>超低排放改造，城市污水处理率达到<span>98%</span>。<br>今年新增光伏装机50万千瓦。</p>"
        "<footer>版权所有</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("gbk"))
    assert sentences_of(path) == EXPECTED


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "no text"),
        ("blank.txt", b"\n \n\t\n", "no text"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("bad_utf16.txt", codecs.BOM_UTF16_LE + b"\x00\xd8\x81\x30", "byte-order mark but is not valid UTF-16"),
        ("bad_utf8.txt", codecs.BOM_UTF8 + "节能".encode() + b"\xff\xfe", "byte-order mark but is not valid UTF-8"),
        ("fake.docx", b"not a zip archive", "not a readable .docx"),
        ("fake.pdf", b"%PDF-1.4 garbage", "not a readable PDF"),
        ("table.xlsx", b"PK", "unsupported file type"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", r"cannot read \.doc \(Word 97-2003 file: save it as \.docx\)"),
    ],
)
def test_bad_documents_are_one_error_naming_the_file(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(PolicytagError, match=message) as error:
        read_document(path)
    assert name in str(error.value)


def test_folders_yield_supported_visible_files_with_relative_ids(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("甲。", encoding="utf-8")
    (tmp_path / "sub" / "b.html").write_text("<p>乙。</p>", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,city\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("丙。", encoding="utf-8")
    (tmp_path / "sub" / "c.doc").write_bytes(b"")
    (tmp_path / "d.png").write_bytes(b"")
    assert [doc_id for _, doc_id in find_documents([tmp_path])] == ["a.txt", "sub/b.html", "sub/c.doc"]


def test_a_pdf_without_a_text_layer_is_named_as_needing_ocr(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    page = canvas.Canvas(str(path))
    page.rect(72, 72, 200, 200, fill=1)
    page.save()
    with pytest.raises(PolicytagError, match="scanned PDF has no text layer"):
        read_document(path)


def test_a_missing_path_is_an_error(tmp_path):
    with pytest.raises(PolicytagError, match="no such file"):
        list(find_documents([tmp_path / "missing.txt"]))
