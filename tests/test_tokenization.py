import codecs

import pytest

from policytag.errors import PolicytagError
from policytag.tokenization import NUMBER_TOKEN, read_userdict, words

ENTRIES = ["退城入园 2000 n", "亩均税收 2000", "标准地"]


@pytest.mark.parametrize(
    "encoding, bom, newline",
    [("utf-8", b"", "\n"), ("utf-8", codecs.BOM_UTF8, "\r\n"), ("gbk", b"", "\r\n"), ("gb18030", b"", "\r")],
)
def test_user_dictionary_reads_the_same_in_any_encoding_and_line_ending(tmp_path, encoding, bom, newline):
    path = tmp_path / "dict.txt"
    path.write_bytes(bom + newline.join(["# comment", *ENTRIES, ""]).encode(encoding))
    assert read_userdict(path) == [("退城入园", 2000, "n"), ("亩均税收", 2000, None), ("标准地", None, None)]


@pytest.mark.parametrize("bad_line", ["超低排放 many n", "超低排放 100 n extra", "超低排放 100 12"])
def test_a_malformed_dictionary_line_is_an_error_naming_its_line(tmp_path, bad_line):
    path = tmp_path / "dict.txt"
    path.write_text("两化融合 100 n\n" + bad_line + "\n", encoding="utf-8")
    with pytest.raises(PolicytagError) as error:
        read_userdict(path)
    assert error.value.line == 2 and "dict.txt:2" in str(error.value)


def test_domain_terms_stay_one_token():
    tokens = words("推动企业退城入园，实施超低排放改造，推进两化融合和专精特新发展。")
    for term in ("退城入园", "两化融合", "专精特新"):
        assert term in tokens
    assert "，" not in tokens


def test_numbers_fold_to_one_token():
    tokens = words("新增光伏装机120万千瓦，占比35.5%")
    assert tokens.count(NUMBER_TOKEN) == 2 and "120" not in tokens


def test_both_backends_give_the_same_tokens_on_the_whole_corpus():
    pytest.importorskip("rjieba")
    from policytag.corpus import read_records
    from policytag.tokenization import load_tokenizer, normalise_tokens

    python_cut, rust_cut = load_tokenizer(backend="jieba"), load_tokenizer(backend="rjieba")
    texts = [r["text"] for r in read_records()]
    differing = [t for t in texts if normalise_tokens(python_cut.cut(t)) != normalise_tokens(rust_cut.cut(t))]
    assert not differing, f"{len(differing)} of {len(texts)} sentences differ, e.g. {differing[:2]}"
    assert "退城入园" in normalise_tokens(rust_cut.cut("推动企业退城入园。"))


@pytest.mark.parametrize("backend", ["jieba", "rjieba"])
def test_one_cut_of_many_sentences_splits_into_each_sentences_own_words(monkeypatch, backend):
    if backend == "rjieba":
        pytest.importorskip("rjieba")
    from policytag import tokenization
    from policytag.corpus import read_records

    monkeypatch.setattr(tokenization, "_default_cut", lambda: tokenization.load_tokenizer(backend=backend).cut)
    texts = [r["text"] for r in read_records()][:3000]
    texts += ["", "  ", "第一行\n第二行", "PM2.5\r\nVOCs治理 ", "2024-03-18。", "\n"]
    per_text = [tokenization.normalise_tokens(tokenization.load_tokenizer(backend=backend).cut(t)) for t in texts]
    split, current = [], []
    for token in tokenization.joined_raw_tokens(texts) + [tokenization.SENTENCE_BREAK]:
        if token == tokenization.SENTENCE_BREAK:
            split.append(tokenization.normalise_tokens(current))
            current = []
        else:
            current.append(token)
    assert split == per_text


def test_an_unknown_backend_name_is_one_error(monkeypatch):
    from policytag.tokenization import default_backend

    monkeypatch.setenv("POLICYTAG_TOKENIZER", "spacy")
    with pytest.raises(PolicytagError, match="POLICYTAG_TOKENIZER"):
        default_backend()
