"""Caches an estimator derives from its fitted state: built on first use, never stored, dropped on refit."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DerivedCaches:
    """Mixin for estimators that keep lookup tables or display names derived from their fitted parameters.

    Each cache is named in DERIVED. It is built by `_cached` on first use (so loading a model stays fast and
    the model file holds only the fitted parameters), left out of the pickled state, and forgotten by
    `_forget_derived`, which `fit` calls so that a refitted estimator never uses a stale cache.
    """

    DERIVED: tuple[str, ...] = ()

    def _cached(self, name: str, build: Callable[[], T]) -> T:
        value = self.__dict__.get(name)
        if value is None:
            value = self.__dict__[name] = build()
        return value

    def _forget_derived(self) -> None:
        for name in self.DERIVED:
            self.__dict__.pop(name, None)

    def __getstate__(self):
        state = super().__getstate__()
        for name in self.DERIVED:
            state.pop(name, None)
        return state
