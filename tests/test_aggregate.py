"""Coverage arithmetic on a hand-made fixture whose every figure can be checked by hand."""

import numpy as np
import pandas as pd
import pytest

from policytag import aggregate
from policytag.metadata import DocumentMeta
from policytag.segment import Sentence
from policytag.tagging import TaggedBatch

LABELS = ["pollution_control", "land_use"]


class HandMadeModel:
    """Stands in for the model inside a TaggedBatch: the label ids, and evidence terms looked up by sentence."""

    classes_ = np.array(LABELS)

    def __init__(self, terms: dict[tuple[int, int], list[str]]):
        self.terms = terms

    def explain(self, X, label_index, top_k, features, rows):
        labels = np.broadcast_to(np.asarray(label_index), np.shape(rows))
        return [self.terms.get((int(features[row][0]), int(j)), []) for row, j in zip(rows, labels, strict=True)]


def batch(doc, rows):
    """A document's tagged batch from (labels, probabilities, evidence) per sentence."""
    sentences = [Sentence(doc, i, f"{doc}-{i}") for i in range(len(rows))]
    probabilities = np.array([probs for _, probs, _ in rows], dtype=float).reshape(len(rows), len(LABELS))
    assigned = np.array([[label in labels for label in LABELS] for labels, _, _ in rows], dtype=bool).reshape(
        len(rows), len(LABELS))
    terms = {(i, LABELS.index(label)): t for i, (_, _, ev) in enumerate(rows) for label, t in ev.items()}
    return TaggedBatch(HandMadeModel(terms), sentences, np.arange(len(rows)).reshape(-1, 1), probabilities, assigned)


@pytest.fixture
def tables():
    batches = {
        "a": batch("a", [(["pollution_control"], [0.9, 0.1], {"pollution_control": ["超低排放"]}),
                         ([], [0.2, 0.3], {}),
                         (["pollution_control", "land_use"], [0.8, 0.7], {}),
                         ([], [0.1, 0.1], {})]),
        "b": batch("b", [(["land_use"], [0.3, 0.9], {}), ([], [0.1, 0.2], {})]),
        "c": batch("c", [(["pollution_control"], [0.6, 0.0], {})]),
        "empty": batch("empty", []),
        "lost": batch("lost", []),
    }
    guangxi, jiangsu = "广西壮族自治区", "江苏省"
    metas = {"a": DocumentMeta(city="柳州市", province=guangxi, year=2023),
             "b": DocumentMeta(city="柳州市", province=guangxi, year=2024),
             "c": DocumentMeta(city="镇江市", province=jiangsu, year=2023),
             "empty": DocumentMeta(city="镇江市", province=jiangsu, year=2023),
             "lost": DocumentMeta()}
    summaries = [aggregate.summarise(b, doc) for doc, b in batches.items()]
    documents = aggregate.document_table([(s, metas[s.doc_id]) for s in summaries])
    return aggregate.label_table(summaries), aggregate.evidence_table(summaries), documents


def row(panel, **where):
    selected = panel
    for key, value in where.items():
        selected = selected[selected[key] == value]
    assert len(selected) == 1
    return selected.iloc[0]


def test_city_panel_by_hand(tables):
    labels, _, documents = tables
    panel = aggregate.panel(labels, documents, LABELS, "city")
    liuzhou = row(panel, city="柳州市", label="pollution_control")
    assert (liuzhou.n_sentences, liuzhou.n_total, liuzhou.n_documents) == (2, 6, 2)
    assert liuzhou.share == pytest.approx(2 / 6, abs=1e-4)
    assert liuzhou.mean_prob == pytest.approx((0.9 + 0.2 + 0.8 + 0.1 + 0.3 + 0.1) / 6, abs=1e-4)
    assert bool(liuzhou.present)
    zhenjiang = row(panel, city="镇江市", label="land_use")
    counts = (zhenjiang.n_sentences, zhenjiang.n_total, zhenjiang.n_documents, bool(zhenjiang.present))
    assert counts == (0, 1, 2, False)
    assert (liuzhou.adcode, zhenjiang.adcode) == ("450200", "321100")
    assert pd.isna(row(panel, city=aggregate.UNKNOWN, label="land_use").adcode)
    assert list(panel.columns) == [
        "city", "adcode", "year", "label", "n_sentences", "n_total", "share", "present", "mean_prob", "n_documents"]


def test_city_year_panel_splits_years(tables):
    labels, _, documents = tables
    panel = aggregate.panel(labels, documents, LABELS, "city-year")
    assert row(panel, city="柳州市", year=2024, label="land_use").share == pytest.approx(0.5)
    assert row(panel, city="柳州市", year=2023, label="land_use").share == pytest.approx(0.25)


def test_province_panels_roll_cities_up_and_keep_national_reports_apart(tables):
    labels, _, documents = tables
    national = pd.DataFrame([{"doc_id": "n", "city": "全国", "province": None, "year": 2023, "title": None,
                              "n_total": 2}]).astype({"year": "Int64"})
    documents = pd.concat([documents, national], ignore_index=True)
    labels = pd.concat([labels, pd.DataFrame([("n", "pollution_control", 1, 0.9), ("n", "land_use", 0, 0.1)],
                                             columns=labels.columns)], ignore_index=True)
    panel = aggregate.panel(labels, documents, LABELS, "province")
    assert list(panel.columns)[:4] == ["province", "adcode", "year", "label"]
    assert guangxi_code(panel) == "450000" and pd.isna(row(panel, province="全国", label="land_use").adcode)
    guangxi = row(panel, province="广西壮族自治区", label="pollution_control")
    assert (guangxi.n_sentences, guangxi.n_total, guangxi.n_documents) == (2, 6, 2)
    assert row(panel, province="全国", label="pollution_control").share == pytest.approx(0.5)
    assert row(panel, province=aggregate.UNKNOWN, label="land_use").n_documents == 1
    by_year = aggregate.panel(labels, documents, LABELS, "province-year")
    assert row(by_year, province="江苏省", year=2023, label="pollution_control").share == pytest.approx(1.0)


def test_groups_come_in_yearbook_order_national_first_unknown_last(tables):
    labels, _, documents = tables
    fictional = pd.DataFrame([{"doc_id": d, "city": city, "province": province, "year": 2023, "title": None,
                               "n_total": 1} for d, city, province in (("n", "全国", None), ("f", "云岭市", None),
                                                                       ("h", "合肥市", "安徽省"))])
    documents = pd.concat([documents, fictional.astype({"year": "Int64"})], ignore_index=True)

    def order(by, column):
        return list(dict.fromkeys(aggregate.panel(labels, documents, LABELS, by)[column]))

    # 镇江 (321100) before 合肥 (340100) before 柳州 (450200), whatever their order in Unicode or in the input
    assert order("city", "city") == ["全国", "镇江市", "合肥市", "柳州市", "云岭市", aggregate.UNKNOWN]
    assert order("province", "province") == ["全国", "江苏省", "安徽省", "广西壮族自治区", aggregate.UNKNOWN]


def guangxi_code(panel):
    return row(panel, province="广西壮族自治区", label="land_use").adcode


def test_what_a_document_lacks_depends_on_the_grouping():
    assert aggregate.unknown_fields("province", "云岭市", None, 2023) == ["province"]
    assert aggregate.unknown_fields("province-year", "全国", None, 2023) == []
    assert aggregate.unknown_fields("city", "云岭市", None, 2023) == []
    assert aggregate.unknown_fields("province-year", None, None, None) == ["city", "year"]


def test_documents_without_sentences_or_city_give_zeros_not_errors(tables):
    labels, _, documents = tables
    panel = aggregate.panel(labels, documents, LABELS, "document")
    empty = row(panel, doc_id="empty", label="pollution_control")
    assert (empty.n_total, empty.share, empty.mean_prob, bool(empty.present)) == (0, 0.0, 0.0, False)
    lost = row(panel, doc_id="lost", label="land_use")
    assert lost.city == aggregate.UNKNOWN and pd.isna(lost.year)


def test_evidence_is_ranked_by_probability_with_its_location(tables):
    _, evidence_rows, documents = tables
    evidence = aggregate.evidence(evidence_rows, documents, "city", top_k=1)
    top = evidence[(evidence.city == "柳州市") & (evidence.label == "pollution_control")].iloc[0]
    assert (top.doc_id, top["index"], top.prob, top.terms, top["rank"]) == ("a", 0, 0.9, ["超低排放"], 1)
    assert len(evidence[(evidence.city == "柳州市") & (evidence.label == "land_use")]) == 1


def test_summary_of_a_document_with_no_sentences():
    summary = aggregate.summarise(batch("empty", []), "empty")
    assert (summary.n_total, summary.tagged, summary.evidence) == (0, {label: 0 for label in LABELS}, [])


def test_profile_compares_each_group_with_the_mean(tables):
    labels, _, documents = tables
    profile = aggregate.profile(aggregate.panel(labels, documents, LABELS, "city"))
    shares = profile[profile.label == "pollution_control"].set_index("city")["share"]
    liuzhou = profile[(profile.city == "柳州市") & (profile.label == "pollution_control")].iloc[0]
    assert liuzhou.mean_share == pytest.approx(shares.mean(), abs=1e-4)
    assert liuzhou.share_minus_mean == pytest.approx(liuzhou.share - shares.mean(), abs=1e-4)
