import pytest

from policytag.errors import PolicytagError
from policytag.gazetteer import load_gazetteer
from policytag.ingest import Document
from policytag.metadata import document_meta, from_filename, from_text, read_manifest


@pytest.mark.parametrize(
    "name, full, province",
    [
        ("柳州", "柳州市", "广西壮族自治区"),
        ("柳州市", "柳州市", "广西壮族自治区"),
        ("恩施", "恩施土家族苗族自治州", "湖北省"),
        ("恩施土家族苗族自治州", "恩施土家族苗族自治州", "湖北省"),
        ("新疆", "新疆维吾尔自治区", "新疆维吾尔自治区"),
        ("广西", "广西壮族自治区", "广西壮族自治区"),
        ("上海", "上海市", "上海市"),
        ("吉林", "吉林省", "吉林省"),
        ("吉林市", "吉林市", "吉林省"),
        ("锡林郭勒", "锡林郭勒盟", "内蒙古自治区"),
    ],
)
def test_gazetteer_resolves_full_and_short_names(name, full, province):
    place = load_gazetteer().lookup(name)
    assert (place.name, place.province) == (full, province)


def test_gazetteer_covers_every_province_and_prefecture():
    places = load_gazetteer().places
    assert sum(p.level == "province" for p in places) >= 31
    assert sum(p.level == "prefecture" for p in places) >= 330


def test_idioms_that_contain_a_short_name_are_not_places():
    assert load_gazetteer().mentions("维护社会长治久安，祝大家幸福安康") == []


@pytest.mark.parametrize(
    "name, city, year",
    [
        ("2026_上海市_政府工作报告.txt", "上海市", 2026),
        ("柳州_2023.docx", "柳州市", 2023),
        ("广西柳州2021年报告.pdf", "柳州市", 2021),
        ("report.txt", None, None),
    ],
)
def test_metadata_from_file_names(name, city, year):
    found = from_filename(name)
    assert (found.get("city"), found.get("year")) == (city, year)


def test_the_title_wins_over_cities_named_later_in_the_text():
    title = "2024年镇江市政府工作报告\n——2024年1月10日在镇江市第十届人民代表大会第三次会议上\n"
    text = title + "学习南京、苏州、苏州、苏州的经验。\n" * 5
    found = from_text(text)
    assert (found["city"], found["year"], found["title"]) == ("镇江市", 2024, "2024年镇江市政府工作报告")


def test_the_speech_line_and_government_name_locate_an_untitled_report():
    text = (
        "政府工作报告\n——2023年2月8日在恩施土家族苗族自治州第八届人民代表大会第三次会议上\n"
        "各位代表：\n武汉的经验值得学习。"
    )
    assert from_text(text)["city"] == "恩施土家族苗族自治州"
    assert from_text(text)["year"] == 2023


def test_an_article_without_a_place_in_its_title_uses_its_opening():
    text = (
        "您的位置：首页 > 新闻\n深化改革推动绿色发展\n记者 某某\n"
        "近年来，常德经开区坚持绿色发展。\n常德的经验表明，长沙和岳阳也在学习。"
    )
    assert from_text(text)["city"] == "常德市"


@pytest.mark.parametrize("text, city, province", [
    # a county-level city: its opening names the prefecture it belongs to, which must not take its place
    ("2024年昆山市政府工作报告\n——2024年1月10日在昆山市第十八届人民代表大会第三次会议上\n各位代表：\n"
     "过去一年，在苏州市委、市政府的坚强领导下，全市上下奋力拼搏。", "昆山市", None),
    ("2024年江苏省昆山市政府工作报告\n各位代表：\n在苏州市委的领导下。", "昆山市", "江苏省"),
    # a prefecture-level city since merged away: not filed under its province
    ("2009年巢湖市人民政府工作报告\n各位代表：\n在安徽省委、省政府的正确领导下。", "巢湖市", None),
    ("政府工作报告\n——2012年1月5日在襄樊市第十五届人民代表大会第一次会议上\n各位代表：\n湖北省", "襄樊市", None),
    ("2024年苏州工业园区政府工作报告\n各位代表：", "苏州工业园区", "江苏省"),
    ("2024年广西柳州市政府工作报告\n各位代表：", "柳州市", "广西壮族自治区"),
])
def test_a_report_is_filed_under_the_government_it_names_even_one_the_gazetteer_lacks(text, city, province):
    found = from_text(text)
    assert (found["city"], found["province"]) == (city, province)


@pytest.mark.parametrize("name, city, province", [
    ("2024_江苏省昆山市_政府工作报告.txt", "昆山市", "江苏省"),  # not 江苏省
    ("广西柳州市2023.docx", "柳州市", "广西壮族自治区"),
    ("2024_江苏省苏州市_报告.txt", "苏州市", "江苏省"),
])
def test_a_file_name_naming_a_unit_inside_a_province_files_it_under_the_unit(name, city, province):
    found = from_filename(name)
    assert (found["city"], found["province"]) == (city, province)


def test_nothing_is_guessed_when_nothing_names_a_place_or_year():
    found = from_text("关于对xx产业园区绿色低碳发展的调查报告\n目前，xx省拥有各类园区xxx家。")
    assert "city" not in found and "year" not in found


def test_manifest_beats_file_name_beats_text(tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,city,year,title\n2021_柳州_报告.txt,常德,,手写标题\n", encoding="utf-8")
    document = Document("2021_柳州_报告.txt", "2019年镇江市政府工作报告\n正文。")
    meta = document_meta(document, read_manifest(manifest))
    assert (meta.city, meta.year, meta.title) == ("常德市", 2021, "手写标题")
    assert meta.sources == {"city": "manifest", "year": "filename", "title": "manifest"}
    meta = document_meta(Document("报告.txt", "2019年镇江市政府工作报告\n正文。"), {})
    assert (meta.city, meta.year, meta.sources["city"]) == ("镇江市", 2019, "text")


def test_table_columns_come_before_the_text():
    document = Document("t.csv#1", "2019年镇江市政府工作报告\n正文。", meta={"city": "全国", "year": "2018"})
    meta = document_meta(document, {})
    assert (meta.city, meta.province, meta.year) == ("全国", None, 2018)


@pytest.mark.parametrize(
    "content, message, line",
    [
        ("city,year\n柳州,2020\n", "needs a 'file' column", 1),
        ("file,city,year\na.txt,柳州,2020\na.txt,常德,2021\n", "listed twice", 3),
        ("file,city,year\na.txt,柳州,二〇二〇\n", "not a four-digit year", 2),
    ],
)
def test_bad_manifests_are_one_error_with_the_line(tmp_path, content, message, line):
    path = tmp_path / "manifest.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PolicytagError, match=message) as error:
        read_manifest(path)
    assert error.value.line == line
