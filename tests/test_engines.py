"""The parallel engines give exactly the single-process results: local worker processes and a Dask cluster."""

import pytest

from policytag.cli import main
from policytag.paths import samples_dir


@pytest.fixture(scope="module")
def single_process_output(tmp_path_factory):
    out = tmp_path_factory.mktemp("single") / "tags.jsonl"
    assert main(["tag", str(samples_dir()), "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def test_worker_processes_give_identical_output(single_process_output, tmp_path):
    out = tmp_path / "tags.jsonl"
    assert main(["tag", str(samples_dir()), "--jobs", "2", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == single_process_output


def test_a_local_dask_cluster_of_two_workers_gives_identical_output(single_process_output, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        out = tmp_path / "tags.jsonl"
        assert main(["tag", str(samples_dir()), "--engine", "dask", "--scheduler", cluster.scheduler_address,
                     "--out", str(out)]) == 0
        assert out.read_text(encoding="utf-8") == single_process_output
        report = tmp_path / "report"
        assert main(["report", str(samples_dir()), "--manifest", str(samples_dir() / "manifest.csv"),
                     "--engine", "dask", "--scheduler", cluster.scheduler_address, "--out", str(report)]) == 0
        assert (report / "panel.csv").exists()


@pytest.mark.parametrize("arguments, message", [
    (["--engine", "dask"], "needs --scheduler"),
    (["--scheduler", "tcp://127.0.0.1:1"], "only used with --engine dask"),
    (["--jobs", "-1"], "--jobs must be"),
    (["--engine", "dask", "--scheduler", "tcp://127.0.0.1:1"], "cannot reach the Dask scheduler"),
])
def test_engine_options_are_validated(arguments, message, capsys, tmp_path):
    if "cannot reach" in message:
        pytest.importorskip("distributed")
    assert main(["tag", str(samples_dir()), "--out", str(tmp_path / "x.jsonl"), *arguments]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.jsonl").exists()
