"""The shipped model on real reports it was never trained on (../shared): every file tags without error."""

import json

from policytag.cli import main


def test_every_real_report_and_seed_tags_without_error(shared_dir, tmp_path):
    out = tmp_path / "real.jsonl"
    folders = [str(shared_dir / "real" / "provincial-2026"), str(shared_dir / "seeds")]
    assert main(["tag", *folders, "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    coverage = {r["doc_id"]: r for r in rows if r["type"] == "coverage"}
    assert len(coverage) == 16 + 5
    for doc in coverage.values():
        assert doc["n_sentences"] > 20
        assert any(figures["n_sentences"] for figures in doc["labels"].values())


def test_national_reports_tag_without_error(shared_dir, tmp_path, shipped_model):
    from policytag.segment import segment_document
    from policytag.tagging import tag_sentences

    path = next((shared_dir / "real" / "national").glob("*.jsonl"))
    for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
        tagged = tag_sentences(shipped_model, segment_document(str(row["year"]), row["content"]))
        assert len(tagged) > 100
        assert sum(bool(s.labels) for s in tagged) > 10
