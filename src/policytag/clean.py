"""Normalise raw report text before segmentation.

Real input is scraped web pages, Word exports and PDF text: web chrome lines, page numbers spliced into
sentences at page breaks ("…金山\\n2、银山…"), half-width punctuation in Chinese text, full-width digits,
zero-width characters and stray spaces. Each is handled here, and only here, so that segmentation and the
model see one canonical form (the corpus goes through the same function).
"""

from __future__ import annotations

import re

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2009\u3000\t\x0b\x0c"), " ")
_FULLWIDTH_ALNUM = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
    ord("％"): "%",
}
_REPLACEMENT = {
    chr(code): (replacement if isinstance(replacement, str) else "" if replacement is None else chr(replacement))
    for table in (_ZERO_WIDTH, _SPACES, _FULLWIDTH_ALNUM)
    for code, replacement in table.items()
}
_SPECIAL_CHARACTER = re.compile("[" + re.escape("".join(_REPLACEMENT)) + "]")
_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_OR_FULL_PUNCT = _CJK + r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20“”‘’"
# These patterns start with the character they replace and check its neighbours after, so that scanning a long
# text looks for one character (or a small class) rather than testing a lookbehind at every position.
_HALF_PUNCT_NEAR_CJK = re.compile(
    rf"[,:;?!()](?:(?<=[{_CJK_OR_FULL_PUNCT}%][,:;?!()])|(?=[{_CJK_OR_FULL_PUNCT}]))"
)
_SPACE_BETWEEN_CJK = re.compile(rf" (?<=[{_CJK_OR_FULL_PUNCT}] ) *(?=[{_CJK_OR_FULL_PUNCT}])")
_FULLWIDTH_DOT_IN_NUMBER = re.compile(r"．(?<=\d．)(?=\d)")
_MULTISPACE = re.compile(r"  +")  # a literal two-space prefix, which the regex engine finds fast; " {2,}" has none

# Lines that are page furniture, not report text: toolbar words, font-size switches, share buttons,
# "source / time / views" stamps, document-sharing site banners.
_CHROME_LINE = re.compile(
    r"^(?:"
    r"下载|打印|全屏|收藏|分享|分享到[:：]?|关闭|关闭窗口|打印本页|返回顶部|返回|字号|加大|还原|减小|大|中|小"
    r"|【|】|【字号[:：]?|【?字号[:：]?\s*[大中小\s]*】?|扫一扫|扫码|上一篇.*|下一篇.*|相关链接|责任编辑[:：].*"
    r"|来源[:：].{0,30}|时间[:：]\s*\d{4}[-年./]\d{1,2}.{0,20}|发布时间[:：].{0,30}|浏览次数[:：].{0,20}|访问量[:：].{0,20}"
    r"|《.{1,80}》由会员分享.*|.*请在.{0,10}上搜索。?"
    r")$"
)
_TERMINAL = "。！？!?；;：:…”」』）)】"
_PAGE_NUMBER_PREFIX = re.compile(r"^(\d{1,3})、")
_MIN_BROKEN_LINE = 40


def clean_text(text: str) -> str:
    """Return the text with canonical characters, chrome lines dropped and page breaks healed."""
    text = _canonical_characters(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _normalise_spacing(_FULLWIDTH_DOT_IN_NUMBER.sub(".", text))  # whole text at once: far fewer calls
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line and not _CHROME_LINE.match(line)]
    return "\n".join(_heal_page_breaks(lines))


def clean_sentence(text: str) -> str:
    """Canonical form of one sentence (corpus entries, pre-split input): same rules, one line."""
    return _normalise_spacing(_canonical_characters(text.replace("\r", " ").replace("\n", " "))).strip()


def _canonical_characters(text: str) -> str:
    """Zero-width characters removed, odd spaces made plain, full-width letters and digits made ASCII.

    A regex finds the few characters to change, which is far faster on long documents than str.translate
    with a mapping, which looks up every character.
    """
    return _SPECIAL_CHARACTER.sub(lambda match: _REPLACEMENT[match.group()], text)


def _normalise_spacing(text: str) -> str:
    """Half-width punctuation beside Chinese made full-width, spaces between Chinese dropped, runs of spaces cut.

    None of the patterns crosses a line break, so this works on a whole text as on each of its lines.
    """
    text = _HALF_PUNCT_NEAR_CJK.sub(lambda m: _HALF_TO_FULL[m.group()], text)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return _MULTISPACE.sub(" ", text)


def _heal_page_breaks(lines: list[str]) -> list[str]:
    """Join a line that starts with a page number ("12、") onto an unfinished long previous line.

    Document-sharing sites export one line per page and prefix each page with its number, so the break
    falls mid-sentence, even mid-word. A genuine list item ("1、…") follows a heading or a finished
    sentence, which is what tells the two apart.
    """
    healed: list[str] = []
    first_page_line = None
    for line in lines:
        match = _PAGE_NUMBER_PREFIX.match(line)
        if match and healed and len(healed[-1]) >= _MIN_BROKEN_LINE and healed[-1][-1] not in _TERMINAL:
            healed[-1] += line[match.end():]
            if match.group(1) == "2" and first_page_line is not None:
                # Page 2 was spliced on, so the "1、" opening page 1 is a page number too.
                healed[first_page_line] = _PAGE_NUMBER_PREFIX.sub("", healed[first_page_line], count=1)
        else:
            if match and match.group(1) == "1":
                first_page_line = len(healed)
            healed.append(line)
    return healed
