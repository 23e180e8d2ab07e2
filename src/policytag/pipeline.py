"""Run a per-document function over every input document, in input order, on the chosen engine.

Streaming, so memory stays flat however many documents there are: documents are read one by one, and with
several workers at most a small window of them is in flight. A document that cannot be read is handed to
`on_skip` and the rest go on. Three engines run the same function and give identical results: inline (one
process), local worker processes (`jobs`), and a Dask cluster (`scheduler`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from .errors import PolicytagError
from .ingest import Document, iter_documents
from .model import PolicyTagger

R = TypeVar("R")
Work = Callable[[PolicyTagger, Document], R]
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
    documents = _readable(iter_documents(inputs), on_skip)
    if scheduler:
        yield from _on_dask(work, model, documents, scheduler)
    elif jobs > 1:
        yield from _on_processes(work, model, documents, jobs)
    else:
        for document in documents:
            yield work(model, document)


def _readable(items: Iterable[Document | PolicytagError], on_skip) -> Iterator[Document]:
    for item in items:
        if isinstance(item, PolicytagError):
            on_skip(item)
        else:
            yield item


def _in_order(submit: Callable[[Document], object], result: Callable[[object], R], documents: Iterator[Document],
              window: int) -> Iterator[R]:
    """Submit documents with at most `window` in flight; yield their results in submission order."""
    pending: deque = deque()
    for document in documents:
        pending.append(submit(document))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


def _set_worker_model(model: PolicyTagger) -> None:
    global _worker_model
    _worker_model = model


def _in_worker(work: Work, document: Document):
    return work(_worker_model, document)


def _on_processes(work: Work, model: PolicyTagger, documents: Iterator[Document], jobs: int) -> Iterator:
    """Worker processes that receive the already loaded model once, at start.

    Forked where the platform allows (the model is then shared copy-on-write, and workers start at once);
    elsewhere spawned, the model passed to each worker by pickling, process to process, never from a file.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_set_worker_model, initargs=(model,)) as pool:
        yield from _in_order(lambda d: pool.submit(_in_worker, work, d), lambda f: f.result(), documents,
                             jobs * WINDOW_PER_WORKER)


def _on_dask(work: Work, model: PolicyTagger, documents: Iterator[Document], scheduler: str) -> Iterator:
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
        yield from _in_order(lambda d: client.submit(work, shared_model, d, pure=False),
                             lambda f: f.result(), documents, window)
