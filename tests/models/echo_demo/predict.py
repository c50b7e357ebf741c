"""The echo demo's predict entry point (the DemoSpec contract)."""

import torch


def predict(model, params, inputs, out_dir, progress):
    x = torch.tensor([1.0, 2.0, 3.0])
    with torch.inference_mode():
        y = model(x) * params["gain"] * (-1 if params["sign"] == "flip" else 1)
    progress(1.0)
    return {"y": [round(float(v), 6) for v in y], "gain": params["gain"], "sign": params["sign"]}


def check_uploads(params, uploads):
    """What depends on a value and an upload together: a gain above 9 needs a reason."""
    if params["gain"] > 9 and "reason" not in uploads:
        raise ValueError("a gain above 9 needs a `reason` file")
