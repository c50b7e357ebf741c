"""weights/README.md from card.json's figures: the model card for people."""

from __future__ import annotations

NAMES = {"mtcnn-1": "ours, 1 stage (P-Net)", "mtcnn-2": "ours, 2 stages (+ R-Net)",
         "mtcnn-3": "ours, 3 stages (+ O-Net)", "haar": "OpenCV Haar cascade (anchor)"}


def _figures_table(measured: dict) -> list[str]:
    rows = ["| detector | AP @ IoU 0.5 | recall | false positives / image | boxes | median IoU of hits |",
            "| --- | --- | --- | --- | --- | --- |"]
    for name, figures in measured["detectors"].items():
        rows.append(f"| {NAMES[name]} | {figures['ap']:.3f} | {figures['recall']:.3f} | "
                    f"{figures['fp_per_image']:.2f} | {figures['detections']} | {figures['median_iou']} |")
    return rows


def _bins_table(measured: dict, key: str, unit: str) -> list[str]:
    detectors = measured["detectors"]
    bins = next(iter(detectors.values()))[key]
    header = "| detector | " + " | ".join(f"{b['range'][0]:g}-{round(b['range'][1]):g} {unit} ({b['faces']})"
                                          for b in bins) + " |"
    rows = [header, "| --- |" + " --- |" * len(bins)]
    for name, figures in detectors.items():
        cells = " | ".join("-" if b["recall"] is None else f"{b['recall']:.2f}" for b in figures[key])
        rows.append(f"| {NAMES[name]} | {cells} |")
    ours, anchor = detectors["mtcnn-3"][key], detectors["haar"][key]
    gaps = " | ".join("-" if a["recall"] is None else f"{o['recall'] - a['recall']:+.2f}"
                      for o, a in zip(ours, anchor, strict=True))
    rows.append(f"| gap, 3 stages - Haar | {gaps} |")
    return rows


def _weights_lines(card: dict) -> list[str]:
    lines = ["| file | parameters | bytes | sha256 |", "| --- | --- | --- | --- |"]
    lines += [f"| `{w['file']}` | {w['parameters']:,} | {w['bytes']:,} | `{w['sha256']}` |" for w in card["weights"]]
    return lines


def _run_label(run: dict) -> str:
    label = f"{run['threads']} thread" + ("s" if run["threads"] > 1 else "")
    return label + (f", OMP_WAIT_POLICY={run['omp_wait_policy']}" if run["omp_wait_policy"] != "default" else "")


def _latency_lines(runs: list[dict]) -> list[str]:
    """One table: a row per detector, median ms (and x Haar) per run."""
    first = runs[0]
    lines = [f"On {first['photo']}, CPU, median of {first['rounds']} interleaved rounds "
             "(`python -m models.face_heatmap.bench`), ms and multiple of Haar's time:", "",
             "| detector | " + " | ".join(_run_label(run) for run in runs) + " |", "| --- |" + " --- |" * len(runs)]
    for name in first["median_ms"]:
        cells = [f"{run['median_ms'][name]:.1f} ({run['median_ms'][name] / run['median_ms']['haar']:.2f}x)"
                 for run in runs]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    ratios = ", ".join(f"{run['ratio_to_haar']:.2f}x" for run in runs)
    return lines + ["", "`mtcnn-N` stops after N stages; `predict` is the demo's whole job (reading the PNG, "
                    "three stages, writing the heat-map PNGs). Target: 3 stages within "
                    f"{first['target_ratio']:g}x Haar; measured {ratios}. The machine is a 2-core one shared "
                    "with other work: expect the figures to move from run to run."]


def render_readme(card: dict) -> str:
    settings, data_set, source = card["settings"], card["evaluation_set"], card["source"]
    full, subset = card["evaluation"], card["subset"]
    backgrounds = ", ".join(f"{b['name']} ({b['package']})" for b in data_set["backgrounds"])
    lines = [
        "# Face heat-map weights: MTCNN `pnet.pt`, `rnet.pt`, `onet.pt`", "",
        *(f"- {paper}" for paper in card["papers"]), "",
        f"{card['architecture']}. The released weights, not retrained here: {source['lineage']}. Taken from "
        f"the `{source['package']}` wheel ({source['files']}; licence {source['licence']}) by "
        f"`{source['fetch']}`, which checks each file's sha256; nothing is downloaded when the demo runs.", "",
        *_weights_lines(card), "",
        "## Evaluation set", "",
        f"{data_set['scenes']} scenes of {data_set['canvas'][0]}x{data_set['canvas'][1]} px (seed {data_set['seed']}), "
        f"{data_set['faces_per_scene'][0]}-{data_set['faces_per_scene'][1]} faces each, {full['faces']} faces in all, "
        f"pasted with exact boxes: {data_set['face_sizes_px'][0]:g}-{data_set['face_sizes_px'][1]:g} px "
        f"(log-uniform), turned up to {data_set['max_angle_degrees']:g} degrees either way, lit brighter or darker. "
        "Faces: scikit-image's `astronaut` (a fifth of them) and the 100 faces of its `lfw_subset` (25x25 grey, "
        f"enlarged). Backgrounds, chosen as face-free: {backgrounds}. `models/face_heatmap/data.py` builds it.", "",
        "## Results", "",
        f"Ours at the demo's defaults (P-Net threshold {settings['threshold']:g}, smallest face "
        f"{settings['min_face']} px, scale step {settings['scale_step']:g}, R-Net and O-Net thresholds "
        f"{settings['rnet_threshold']:g} and {settings['onet_threshold']:g}); Haar: "
        f"`{settings['haar']['cascade']}`, scale factor {settings['haar']['scale_factor']:g}, "
        f"{settings['haar']['min_neighbours']} neighbours, smallest face {settings['haar']['min_size']} px, "
        f"ranked by {settings['haar']['score']}. {card['metric']}.", "",
        *_figures_table(full), "",
        "Recall by face size (faces per bin in brackets):", "", *_bins_table(full, "recall_by_size", "px"), "",
        "Recall by in-plane angle (absolute degrees):", "", *_bins_table(full, "recall_by_angle", "deg"), "",
        card["reading"], "",
        "Caveats: the faces are pasted, so there is no occlusion, blur from motion or crowd, and most LFW faces "
        "look at the camera; LFW's 25 px grey crops enlarged to 200 px are soft, which favours neither detector "
        "in particular. Haar's boxes match the set's framing at least as well as ours (median IoU of hits above), "
        "so its lower AP is not an artefact of box conventions.", "",
        f"The tests rerun the first {subset['scenes']} scenes ({subset['faces']} faces) and compare with "
        "`subset` in card.json:", "", *_figures_table(subset), "",
        "## Latency", "", *_latency_lines(card["latency"]), "",
        "With two threads, torch's OpenMP threads by default spin while they wait; when another process holds "
        "one of the two cores, each of the cascade's short parallel steps then waits for a time slice and the "
        "time grows several-fold (OpenCV's thread pool, with a few long tasks, barely notices). "
        "`OMP_WAIT_POLICY=PASSIVE` in the worker's environment (read when torch starts) removes that (the "
        "last column); it matters only when the cores are shared.", "",
        "Recompute: `marginalia evaluate face-heatmap` (or `python -m models.face_heatmap.evaluate`); "
        "`--write-card` rewrites this card. Environment: "
        + ", ".join(f"{k} {v}" for k, v in card["environment"].items()) + ".", "",
    ]
    return "\n".join(lines)
