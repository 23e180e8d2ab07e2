"""Run a per-document function over every input document, in input order, on the chosen engine.

Streaming, so memory stays flat however many documents there are: documents are read one by one, and with
several workers at most a small window of them is in flight. A document that cannot be read is handed to
`on_skip` and the rest go on. Three engines run the same function and give identical results: inline (one
process), local worker processes (`jobs`), which also read their documents, so that parsing PDF and Word files
runs in parallel too, and a Dask cluster (`scheduler`), to which documents are sent as text, since its workers
need not see this machine's files.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from .errors import PolicytagError
from .ingest import Document, DocumentFile, iter_sources, load_source
from .model import PolicyTagger

R = TypeVar("R")
Work = Callable[[PolicyTagger, Document], R]
Source = DocumentFile | Document | PolicytagError
WINDOW_PER_WORKER = 4
_worker_model: PolicyTagger | None = None


def run(
    work: Work,
    model: PolicyTagger,
    inputs: Iterable[str | Path],
    on_skip: Callable[[PolicytagError], None],
    jobs: int = 1,
    scheduler: str | None = None,
) -> Iterator[R]:
    """work(model, document) for each readable document, results in input order, whichever engine runs it.

    `work` must be picklable (a module-level function, or a functools.partial of one) for the parallel engines.
    """
    sources = iter_sources(inputs)
    if scheduler:
        outcomes = _on_dask(work, model, map(load_source, sources), scheduler)
    elif jobs > 1:
        outcomes = _on_processes(work, model, sources, jobs)
    else:
        outcomes = (_read_and_work(work, model, source) for source in sources)
    for outcome in outcomes:
        if isinstance(outcome, PolicytagError):
            on_skip(outcome)
        else:
            yield outcome


def read_documents(inputs: Iterable[str | Path], on_skip: Callable[[PolicytagError], None]) -> Iterator[Document]:
    """Every readable document of the inputs, in order, read on this process: for work that needs no model."""
    for source in iter_sources(inputs):
        document = load_source(source)
        if isinstance(document, PolicytagError):
            on_skip(document)
        else:
            yield document


def _read_and_work(work: Work, model: PolicyTagger, source: Source):
    """What every engine runs per source: the work's result, or the error that kept the document from being read."""
    document = load_source(source)
    return document if isinstance(document, PolicytagError) else work(model, document)


def _in_order(submit: Callable[[Source], object], result: Callable[[object], object], sources: Iterator[Source],
              window: int) -> Iterator:
    """Submit sources with at most `window` in flight; yield their results in submission order."""
    pending: deque = deque()
    for source in sources:
        pending.append(submit(source))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


def _set_worker_model(model: PolicyTagger) -> None:
    global _worker_model
    _worker_model = model


def _in_worker(work: Work, source: Source):
    return _read_and_work(work, _worker_model, source)


def _on_processes(work: Work, model: PolicyTagger, sources: Iterator[Source], jobs: int) -> Iterator:
    """Worker processes that receive the already loaded model once, at start, and read their own documents.

    Forked where the platform allows: the model is then shared copy-on-write, workers start at once, and the
    lookup tables the model builds on first use are built here, once, by a warm-up on a tiny document, instead
    of in every worker. Elsewhere spawned, the model passed to each worker by pickling, never from a file.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":
        work(model, Document("warm-up", "推进绿色低碳发展。"))
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_set_worker_model, initargs=(model,)) as pool:
        yield from _in_order(lambda s: pool.submit(_in_worker, work, s), lambda f: f.result(), sources,
                             jobs * WINDOW_PER_WORKER)


def _on_dask(
    work: Work, model: PolicyTagger, documents: Iterator[Document | PolicytagError], scheduler: str
) -> Iterator:
    """Documents as Dask tasks on the cluster at `scheduler`; the model is sent to every worker once."""
    try:
        from distributed import Client
    except ImportError:
        raise PolicytagError("--engine dask needs the Dask extra: pip install 'policytag[dask]'") from None
    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise PolicytagError(f"cannot reach the Dask scheduler at {scheduler} ({type(exc).__name__})") from None
    with client:
        shared_model = client.scatter(model, broadcast=True)
        window = WINDOW_PER_WORKER * max(1, len(client.scheduler_info()["workers"]))
        yield from _in_order(lambda d: client.submit(_read_and_work, work, shared_model, d, pure=False),
                             lambda f: f.result(), documents, window)
