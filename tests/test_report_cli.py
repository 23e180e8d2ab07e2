"""`policytag report` end to end, on the bundled samples and on the real reports in ../shared."""

import shutil

import pandas as pd
import pytest

from policytag.cli import main
from policytag.paths import default_model_dir, samples_dir
from policytag.persist import read_metadata

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OUTPUTS = {"panel.csv", "panel.parquet", "panel.dta", "report.xlsx", "report.html", "summary.md"}


def sample_report(out_dir, *extra):
    return main(["report", str(samples_dir()), "--manifest", str(samples_dir() / "manifest.csv"), "--out", str(out_dir),
                 *extra])


def test_report_on_the_samples_uses_their_manifest(tmp_path, capsys):
    assert sample_report(tmp_path, "--by", "city-year") == 0
    assert {p.name for p in tmp_path.iterdir()} == OUTPUTS
    panel = pd.read_csv(tmp_path / "panel.csv")
    expected = {("青川市", 2024), ("云岭市", 2023), ("江澄市", 2024), ("白沙县", 2022)}
    assert set(zip(panel.city, panel.year, strict=True)) == expected
    assert str(tmp_path / "report.html") in capsys.readouterr().err
    shipped = read_metadata(default_model_dir())
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert f"model `default` (sha256 `{shipped['model_sha256'][:12]}" in summary


def test_report_on_a_document_table(tmp_path):
    table = tmp_path / "docs.jsonl"
    table.write_text(
        '{"title": "甲", "city": "柳州", "year": 2020, "content": "推进超低排放改造。\\n建设绿色工厂。"}\n'
        '{"title": "乙", "city": "镇江", "year": 2021, "content": ""}\n',
        encoding="utf-8",
    )
    assert main(["report", str(table), "--out", str(tmp_path / "out")]) == 1  # the empty row is skipped
    panel = pd.read_csv(tmp_path / "out" / "panel.csv")
    assert set(panel.city) == {"柳州市"}


def test_provincial_reports_with_their_manifest(shared_dir, tmp_path):
    folder = shared_dir / "real" / "provincial-2026"
    assert main(["report", str(folder), "--manifest", str(folder / "manifest.csv"), "--out", str(tmp_path)]) == 0
    panel = pd.read_csv(tmp_path / "panel.csv")
    assert panel.city.nunique() == 16 and len(panel) == 16 * 12


def test_seeds_are_located_from_their_text_alone(shared_dir, tmp_path, capsys):
    assert main(["report", str(shared_dir / "seeds"), "--out", str(tmp_path), "--by", "document"]) == 0
    panel = pd.read_csv(tmp_path / "panel.csv")
    cities = panel.drop_duplicates("doc_id").set_index("doc_id")["city"].to_dict()
    assert sorted(set(cities.values())) == ["(unknown)", "常德市", "柳州市", "镇江市"]
    assert cities["004_87efcd1187be6605.txt"] == "(unknown)"
    assert "004_87efcd1187be6605.txt: city and year not found" in capsys.readouterr().err


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_html_report_renders_in_headless_chromium_without_console_errors(tmp_path):
    from playwright.sync_api import sync_playwright

    assert sample_report(tmp_path) == 0
    errors = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: errors.append(f"fetched {request.url}")
                if not request.url.startswith("file://") else None)
        page.goto((tmp_path / "report.html").as_uri())
        headers = page.locator("#heatmap thead th").all_inner_texts()
        cells = page.locator("#heatmap tbody td").count()
        box = page.locator("#heatmap").bounding_box()
        page.screenshot(path=str(tmp_path / "heatmap.png"))
        browser.close()
    assert errors == []
    assert any("污染防治" in header for header in headers)
    assert cells == 4 * 12 and box["width"] > 600
    assert (tmp_path / "heatmap.png").stat().st_size > 20_000


def test_manifest_rows_that_match_no_document_are_reported(tmp_path, capsys):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text((samples_dir() / "manifest.csv").read_text(encoding="utf-8") + "typo_青川.txt,青川市,2024,x,\n",
                        encoding="utf-8")
    assert main(["report", str(samples_dir()), "--manifest", str(manifest), "--out", str(tmp_path / "out")]) == 0
    assert "1 row(s) match no input document: typo_青川.txt" in capsys.readouterr().err


def test_a_batch_without_metadata_names_a_few_documents_and_counts_the_rest(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(13):
        (folder / f"note_{i:02d}.txt").write_text("推进工业节能降碳改造。加快发展循环经济。", encoding="utf-8")
    assert main(["report", str(folder), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert err.count("not found; reported as unknown") == 10
    assert "3 more documents with place or year not found" in err
    assert (tmp_path / "out" / "summary.md").read_text(encoding="utf-8").count("note_") == 13
