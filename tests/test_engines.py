"""The parallel engines give exactly the single-process results: local worker processes and a Dask cluster."""

import pickle
import shutil

import pytest

from policytag.cli import main
from policytag.errors import PolicytagError
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


def test_worker_processes_read_documents_and_skip_bad_ones_like_one_process(tmp_path, capsys):
    """Workers read their own documents: an unreadable one is reported by name, in order, and the rest tagged."""
    folder = tmp_path / "in"
    shutil.copytree(samples_dir(), folder)
    (folder / "a_binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (folder / "z_empty.pdf").write_bytes(b"")
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"tags{jobs}.jsonl"
        assert main(["tag", str(folder), "--jobs", jobs, "--out", str(out)]) == 1
        skipped = [line for line in capsys.readouterr().err.splitlines() if "skipped " in line]
        outputs.append((out.read_text(encoding="utf-8"), "\n".join(skipped)))
    assert outputs[0] == outputs[1]
    assert "a_binary.txt: binary file, not text" in outputs[1][1]
    assert "z_empty.pdf" in outputs[1][1]


def test_an_error_keeps_its_file_and_line_across_processes():
    error = pickle.loads(pickle.dumps(PolicytagError("row 3 has no text", "docs.jsonl", 3)))
    assert str(error) == "docs.jsonl:3: row 3 has no text"


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
        folder = tmp_path / "with_bad"
        shutil.copytree(samples_dir(), folder)
        (folder / "a_binary.txt").write_bytes(b"\x00\x01\x02 not text")
        assert main(["tag", str(folder), "--engine", "dask", "--scheduler", cluster.scheduler_address,
                     "--out", str(tmp_path / "with_bad.jsonl")]) == 1
        assert (tmp_path / "with_bad.jsonl").read_text(encoding="utf-8") == single_process_output


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
