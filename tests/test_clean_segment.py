from policytag.clean import clean_sentence, clean_text
from policytag.segment import segment_document, split_sentences


def sentences(raw: str) -> list[str]:
    return [s.text for s in segment_document("d", raw)]


def test_page_numbers_spliced_into_sentences_are_removed_and_the_sentence_joined():
    raw = (
        "1、这座工业城市曾长期受到环境污染困扰，经过十年治理，如今已是山清水秀，群众都说“绿水青山就是金山\n"
        "2、银山”，企业也在这里找到了转型的出路。"
    )
    assert sentences(raw) == [
        "这座工业城市曾长期受到环境污染困扰，经过十年治理，如今已是山清水秀，群众都说“绿水青山就是金山银山”，"
        "企业也在这里找到了转型的出路。"
    ]


def test_a_real_numbered_list_after_a_heading_is_kept():
    raw = "（一）推进园区整合\n1、整合低效园区。\n2、盘活闲置土地。"
    assert sentences(raw) == ["（一）推进园区整合", "1、整合低效园区。", "2、盘活闲置土地。"]


def test_web_chrome_lines_are_dropped_and_headings_stay_sentences():
    raw = (
        "下载\n打印\n【字号：\n加大\n还原\n减小\n】\n来源：某某日报\n时间：2026-02-09\n"
        "二、今年主要任务\n各位代表：\n现在，我代表市人民政府报告工作。"
    )
    assert sentences(raw) == ["二、今年主要任务", "各位代表：", "现在，我代表市人民政府报告工作。"]


def test_half_width_punctuation_in_chinese_becomes_full_width_and_splits():
    raw = "柳州,又称龙城:工业重镇?是的!空气质量优良率达到95.3%,PM2.5浓度下降。"
    assert sentences(raw) == ["柳州，又称龙城：工业重镇？", "是的！", "空气质量优良率达到95.3%，PM2.5浓度下降。"]


def test_closing_quotes_stay_with_their_sentence():
    assert split_sentences("他说：“要加快节能降碳。”随后开会。") == ["他说：“要加快节能降碳。”", "随后开会。"]


def test_full_width_digits_zero_width_and_stray_spaces():
    assert clean_text("\u200b单位ＧＤＰ能耗下降３．２％，\u3000\u3000市 长 张 某") == "单位GDP能耗下降3.2%，市长张某"


def test_blank_and_punctuation_only_pieces_are_not_sentences():
    assert sentences("\n\n……\n。\n——\n推进节水。\r\n") == ["推进节水。"]


def test_sentence_cleaning_matches_document_cleaning():
    assert clean_sentence("推进节能 降碳,建设\n零碳园区。") == "推进节能降碳，建设零碳园区。"


def test_seed_document_heals_its_page_breaks(shared_dir):
    text = (shared_dir / "seeds" / "000_b4ab0edacaec3ed6.txt").read_text(encoding="utf-8")
    found = sentences(text)
    assert any("金山银山" in s for s in found)
    assert not any(s.startswith(("1、", "2、")) for s in found)
    assert not any("由会员分享" in s for s in found)
