import threading
from pathlib import Path

import pytest
import torch

from models.loading import ModelCache, WeightsError, configure_threads, resolve_device, sha256_of
from models.registry import DEMOS, UnknownDemo, find_demo
from models.spec import DemoSpec, WeightsFile
from tests.models import tiny_net


@pytest.fixture
def tiny_spec(tmp_path: Path) -> DemoSpec:
    torch.manual_seed(0)
    path = tmp_path / "tiny.pt"
    torch.save(torch.nn.Linear(3, 2).state_dict(), path)
    weights = WeightsFile(path, sha256_of(path), "pytest (tests/models/test_loading.py)")
    tiny_net.LOADS.clear()
    return DemoSpec("tiny", "Tiny", paper="dcgan", entry_point="tests.models.tiny_net:load", weights=(weights,))


def test_loads_once_even_when_many_threads_ask_at_once(tiny_spec) -> None:
    loads = []
    cache = ModelCache(torch.device("cpu"), on_load=lambda name, seconds: loads.append((name, seconds)))
    models, barrier = [], threading.Barrier(8)

    def ask() -> None:
        barrier.wait()
        models.append(cache.get(tiny_spec))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(tiny_net.LOADS) == 1 and len({id(m) for m in models}) == 1
    assert [name for name, _ in loads] == ["tiny"] and loads[0][1] >= 0
    assert cache.loaded() == ["tiny"]


def test_model_is_in_eval_mode_and_runs_without_autograd(tiny_spec) -> None:
    model = ModelCache(torch.device("cpu")).get(tiny_spec)
    assert not model.training
    with torch.inference_mode():
        output = model(torch.ones(1, 3))
    assert output.shape == (1, 2) and not output.requires_grad and output.is_inference()


def test_missing_weights_name_the_file_and_the_command(tiny_spec) -> None:
    tiny_spec.weights[0].path.unlink()
    with pytest.raises(WeightsError, match=r"tiny\.pt is missing; make it with `pytest"):
        ModelCache(torch.device("cpu")).get(tiny_spec)


def test_corrupt_weights_are_refused(tiny_spec) -> None:
    with tiny_spec.weights[0].path.open("ab") as handle:
        handle.write(b"x")
    with pytest.raises(WeightsError, match=r"tiny\.pt is corrupt .* make it again with"):
        ModelCache(torch.device("cpu")).get(tiny_spec)
    assert tiny_net.LOADS == []  # the network code never saw the bad file


def test_devices_and_threads() -> None:
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_device("auto").type in ("cpu", "cuda")
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="no CUDA device"):
            resolve_device("cuda")
    with pytest.raises(ValueError):
        resolve_device("tpu")
    before = torch.get_num_threads()
    try:
        assert configure_threads(workers=64) == 1 and torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_registry_lookup(tiny_spec) -> None:
    assert find_demo("tiny", (tiny_spec,)) is tiny_spec
    with pytest.raises(UnknownDemo):
        find_demo("tiny")
    assert all(spec.entry_point.count(":") == 1 for spec in DEMOS)
