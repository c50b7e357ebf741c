"""The inline pool's warm-up: demos that ask for it are loaded when the pool starts (in the
background), only when the setting allows, and a pool that has stopped loads nothing more."""

from dataclasses import replace

import torch

from app.db.engine import make_engine, make_session_factory
from app.db.migrate import upgrade_to_head
from app.workers.inline import InlineWorkerPool
from models.loading import ModelCache
from tests.models.tiny_demos import DEMOS
from tests.queue_fixtures import wait_until

TINY = replace(DEMOS[0], preload=True)


def _pool(settings, models: ModelCache, *, preload: bool) -> InlineWorkerPool:
    engine = make_engine(settings.resolved_database_url)
    upgrade_to_head(engine)
    return InlineWorkerPool(sessions=make_session_factory(engine), demos=(TINY,), models=models,
                            data_dir=settings.data_dir, workers=1, preload=preload)


def test_a_starting_pool_warms_up_the_demos_that_ask(settings) -> None:
    models = ModelCache(torch.device("cpu"))
    pool = _pool(settings, models, preload=True)
    pool.start()
    try:
        wait_until(lambda: models.loaded() == ["tiny"])
    finally:
        pool.stop()


def test_without_preload_or_once_stopped_nothing_is_loaded(settings) -> None:
    models = ModelCache(torch.device("cpu"))
    pool = _pool(settings, models, preload=False)
    pool.start()
    pool.stop()
    pool._warm_up([TINY])  # what a warm-up thread still running after the stop would do next
    assert models.loaded() == []
