"""A tiny network registered by the tests in place of a real demo (no demo is a stub)."""

import torch

LOADS = []  # how many times the entry point ran, to prove loading happens once


def load(weights, device):  # the DemoSpec entry-point contract
    LOADS.append(device)
    model = torch.nn.Linear(3, 2)
    model.load_state_dict(torch.load(weights[0], map_location=device, weights_only=True))
    return model.to(device)


def predict(model, params, inputs, out_dir, progress):  # the DemoSpec predict contract
    """y = model(x); also writes y.txt, and echoes the size of an optional upload."""
    x = torch.tensor([float(v) for v in str(params.get("x", "1,2,3")).split(",")])
    progress(0.5)
    with torch.inference_mode():
        y = model(x).tolist()
    (out_dir / "y.txt").write_text(" ".join(f"{v:.6f}" for v in y))
    size = inputs["blob"].stat().st_size if "blob" in inputs else None
    return {"y": y, "upload_bytes": size}


def explode(model, params, inputs, out_dir, progress):
    raise ValueError("the tiny demo cannot handle this input")


def never_ends(model, params, inputs, out_dir, progress):
    while True:  # stops when progress() finds the demo's time limit passed
        progress(0.1)


def sleepy(model, params, inputs, out_dir, progress):
    """Runs for `seconds` (a job long enough to kill its worker in the middle of it)."""
    import time

    deadline = time.monotonic() + float(params.get("seconds", 1))
    (out_dir / "preview-0.txt").write_text("half way")  # what a running job has to show so far
    while time.monotonic() < deadline:
        progress(0.5)
        time.sleep(0.05)
    return {"slept": float(params.get("seconds", 1))}


if __name__ == "__main__":  # remakes tests/models/tiny.pt (then update the sha256 in tiny_demos.py)
    from pathlib import Path

    torch.manual_seed(0)
    torch.save(torch.nn.Linear(3, 2).state_dict(), Path(__file__).with_name("tiny.pt"))
