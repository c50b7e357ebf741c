"""`marginalia evaluate style-transfer`: a held-out judgement of the shipped generators, written
into the model card (weights/card.json and weights/README.md).

1. A small style classifier (net.StyleClassifier) learns five classes from random 64 px crops:
   the four artworks (the shipped style copies) and "photo" (the training content photos).
   Half the crops of every class are blurred, so the judge cannot tell styles by sharpness.
   It is seeded and shipped as weights/style-classifier.pt; `--retrain-classifier` retrains it.
2. Each generator stylises scikit-image's astronaut, coffee and chelsea (never used in
   training) at 256 px; every 64 px crop on a 32 px grid of its outputs is classified, and the
   share classified as the generator's own style is reported, beside the same share for the
   untouched photos (the baseline).
3. The Gram (style) loss against the artwork, photo vs. output, averaged over the photos.
4. Timings: the fast path at 512 x 512 on two threads, and the optimisation method (150 steps
   at 256 px) for the same photo.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from models.checkpoints import save_atomically
from models.spec import sha256_of
from models.style_transfer.data import (
    HELD_OUT,
    STYLE_NAMES,
    STYLES,
    held_out_photos,
    load_style,
    random_crops,
    training_photo_paths,
    training_photos,
)
from models.style_transfer.features import LAYERS, RECEPTIVE_FIELDS, RandomFeatures, style_loss, style_targets
from models.style_transfer.net import Generator, StyleClassifier
from models.style_transfer.optimise import stylise_by_optimisation
from models.style_transfer.predict import load_generator, resize, stylise_fast
from models.style_transfer.texture import TEXTURE_NAME, judge_texture, load_texture_generator, texture_weights_path

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
RUNS_DIR = Path(__file__).resolve().parents[2] / "data" / "train" / "style-transfer"
CLASSIFIER_NAME = "style-classifier.pt"
CLASSES = (*STYLE_NAMES, "photo")
CROP = 64
CLASSIFIER_SEED = 2017
CLASSIFIER_STEPS = 400
CLASSIFIER_BATCH = 40


def train_classifier(steps: int = CLASSIFIER_STEPS, seed: int = CLASSIFIER_SEED) -> StyleClassifier:
    """Balanced batches: each step an equal number of crops of every class."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    styles = [[load_style(name)] for name in STYLE_NAMES]
    photos = list(training_photos())
    # the photos at the size the outputs are judged at (longer side 256) as well as larger
    photos += [resize(p, (round(p.shape[1] * 256 / max(p.shape[1:])), round(p.shape[2] * 256 / max(p.shape[1:]))))
               for p in training_photos()]
    classifier = StyleClassifier(len(CLASSES))
    optimiser = torch.optim.Adam(classifier.parameters(), lr=3e-3)
    per_class = CLASSIFIER_BATCH // len(CLASSES)
    labels = torch.arange(len(CLASSES)).repeat_interleave(per_class)
    for _ in range(steps):
        crops = torch.cat([random_crops(images, per_class, CROP, generator) for images in (*styles, photos)])
        crops = soften(crops, generator)
        loss = F.cross_entropy(classifier(crops), labels)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return classifier.eval()


def soften(crops: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Half the crops, of every class alike, blurred by a 2-4x shrink and enlarge: sharpness says
    how much detail a generator can draw, not which style it draws, so the judge must not use it."""
    out = crops.clone()
    for i in range(len(crops)):
        if torch.rand((), generator=generator) < 0.5:
            small = int(CROP / float(2 + 2 * torch.rand((), generator=generator)))
            shrunk = F.interpolate(crops[i:i + 1], size=(small, small), mode="bilinear", antialias=True)
            out[i] = F.interpolate(shrunk, size=(CROP, CROP), mode="bilinear", align_corners=False)[0]
    return out


def load_classifier(path: Path) -> StyleClassifier:
    classifier = StyleClassifier(len(CLASSES))
    classifier.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return classifier.eval()


def grid_crops(image: torch.Tensor, size: int = CROP, stride: int = 32) -> torch.Tensor:
    """Every size x size crop of (3, H, W) on a `stride` grid -> (N, 3, size, size)."""
    patches = image.unfold(1, size, stride).unfold(2, size, stride)  # (3, nh, nw, size, size)
    return patches.permute(1, 2, 0, 3, 4).reshape(-1, 3, size, size)


def style_share(classifier: StyleClassifier, images: list[torch.Tensor], style: str) -> float:
    """Share of the grid crops of `images` the classifier calls `style`."""
    with torch.inference_mode():
        crops = torch.cat([grid_crops(image) for image in images])
        predicted = classifier(crops).argmax(dim=1)
    return float((predicted == CLASSES.index(style)).float().mean())


def judge(generators: dict[str, Generator], classifier: StyleClassifier, features: RandomFeatures,
          photos: list[torch.Tensor]) -> dict[str, dict[str, float]]:
    """{style: {own_style_share, own_style_share_photo, gram_loss_before, gram_loss_after}}."""
    table = {}
    for name, generator in generators.items():
        targets = style_targets(features, load_style(name))
        outputs = [stylise_fast(generator, photo) for photo in photos]
        with torch.inference_mode():
            before = [float(style_loss(features(p[None]), targets)) for p in photos]
            after = [float(style_loss(features(o[None]), targets)) for o in outputs]
        table[name] = {
            "own_style_share": round(style_share(classifier, outputs, name), 3),
            "own_style_share_photo": round(style_share(classifier, photos, name), 3),
            "gram_loss_before": round(sum(before) / len(before), 4),
            "gram_loss_after": round(sum(after) / len(after), 4),
        }
    return table


def timings(generator: Generator, features: RandomFeatures, style: str, repeats: int = 5) -> dict[str, float]:
    """Median seconds: the fast path on a 512 x 512 photo (two threads), and 150 optimisation
    steps at 256 px from the same photo."""
    photo = held_out_photos(512)[0][1]
    photo = resize(photo, (512, 512))
    torch.set_num_threads(2)
    stylise_fast(generator, photo)
    fast = []
    for _ in range(repeats):
        started = time.perf_counter()
        stylise_fast(generator, photo)
        fast.append(time.perf_counter() - started)
    started = time.perf_counter()
    stylise_by_optimisation(features, resize(photo, (256, 256)), load_style(style), steps=150)
    optimise = time.perf_counter() - started
    return {"fast_512px_seconds_median": round(sorted(fast)[len(fast) // 2], 3),
            "fast_512px_seconds_min": round(min(fast), 3), "optimise_150_steps_256px_seconds": round(optimise, 2),
            "threads": 2}


def write_card(card: dict, weights_dir: Path) -> None:
    (weights_dir / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    (weights_dir / "README.md").write_text(readme(card))


def readme(card: dict) -> str:
    lines = [
        "# Style transfer: model card",
        "",
        f"Papers: {card['paper']}.",
        "",
        "## Features: random, seeded convolutions (no pretrained VGG)",
        "",
        card["features"]["description"],
        "",
        f"Layers (in, out, kernel, stride): {card['features']['layers']}; receptive fields "
        f"{card['features']['receptive_fields']} px; seed {card['features']['seed']}; content layers "
        f"{card['features']['content_layers']}. Built from the seed at load time: no weights file.",
        "",
        "## Styles (shipped as <= 256 px copies in `models/style_transfer/page/styles/`)",
        "",
        "| style | artwork | package | file | copyright | licence |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for s in card["styles"]:
        lines.append(f"| {s['name']} | {s['title']} | {s['package']} | `{s['source']}` | {s['copyright']} | "
                     f"{s['licence']} |")
    lines += [
        "",
        "The licences are those of the packages' `/usr/share/doc/<package>/copyright` (GPL-2+ for every "
        "file used); the small copies are redistributed under the same licence, with this credit.",
        "",
        "## Generators",
        "",
        card["architecture"],
        "",
        "| style | file | sha256 | MB | steps | training minutes (1 thread) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for g in card["generators"]:
        lines.append(f"| {g['style']} | `{g['file']}` | `{g['sha256']}` | {g['size_mb']} | {g.get('steps', '')} | "
                     f"{g.get('wall_time_minutes', '')} |")
    lines += [
        "",
        f"Training content: {len(card['training_data'])} photos ({', '.join(card['training_data'])}), "
        f"random {card['crop']} px crops. Held out: {', '.join(card['validation_data'])} (scikit-image).",
        "",
        "## Held-out judgement",
        "",
        card["reading"],
        "",
        "| style | outputs classified as own style | same share for the untouched photos | Gram loss photo | "
        "Gram loss output |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, row in card["validation"].items():
        lines.append(f"| {name} | {row['own_style_share']:.3f} | {row['own_style_share_photo']:.3f} | "
                     f"{row['gram_loss_before']:.4f} | {row['gram_loss_after']:.4f} |")
    t = card["timings"]
    lines += [
        "",
        f"Style classifier: `{card['classifier']['file']}` (sha256 `{card['classifier']['sha256']}`), "
        f"{card['classifier']['description']}",
        "",
        *texture_section(card.get("texture_network")),
        "## Limitations",
        "",
        card["limitations"],
        "",
        "## Speed",
        "",
        f"Fast path on a 512 x 512 photo, {t['threads']} threads: median {t['fast_512px_seconds_median']} s "
        f"(best {t['fast_512px_seconds_min']} s; the machine is shared, so medians vary). Optimisation, 150 steps "
        f"at 256 px, same photo: {t['optimise_150_steps_256px_seconds']} s.",
        "",
        "Recompute: `marginalia evaluate style-transfer` (add `--retrain-classifier` to retrain the classifier). "
        "Retrain a generator: `marginalia train style-transfer --style NAME`, the texture network: `--texture NAME` "
        "(resumable; checkpoints and logs in "
        "`data/train/style-transfer/NAME/`).",
        "",
    ]
    return "\n".join(lines)


def texture_section(t: dict | None) -> list[str]:
    if not t:
        return []
    return [
        "## Texture network (Texture Networks, first half)",
        "",
        f"`{t['file']}` (sha256 `{t['sha256']}`, {t['size_mb']} MB, {t['parameters']} parameters): Ulyanov et al.'s "
        f"multi-scale generator (noise at 4 scales, blocks of 3x3, 3x3, 1x1 convolutions joined coarse to fine), "
        f"trained {t['steps']} steps ({t['wall_time_minutes']} min, 1 thread) on batches of 128 px textures against "
        f"the Gram matrices of `{t['texture']}`. Figures at {t['size']} px:",
        "",
        "| texture from | Gram loss against the sample | crops classified as the sample's style | seconds |",
        "| --- | --- | --- | --- |",
        f"| the network (mean of 4 seeds) | {t['gram_loss_network']:.4f} | {t['own_style_share_network']:.3f} | "
        f"{t['network_seconds']} |",
        f"| optimisation, {t['optimise_steps']} steps | {t['gram_loss_optimised']:.4f} | "
        f"{t['own_style_share_optimised']:.3f} | {t['optimise_seconds']} |",
        f"| uniform noise | {t['gram_loss_noise']:.4f} | | |",
        "",
        f"Two seeds' textures differ by {t['seed_difference']} grey levels per pixel on average (0-255): the network "
        "makes new textures, not one memorised image.",
        "",
    ]


def evaluate(weights_dir: Path = WEIGHTS_DIR, *, retrain_classifier: bool = False, measure_time: bool = True) -> dict:
    torch.set_num_threads(2)
    features = RandomFeatures()
    generators = {name: load_generator(weights_dir / f"{name}.pt") for name in STYLE_NAMES
                  if (weights_dir / f"{name}.pt").is_file()}
    classifier_path = weights_dir / CLASSIFIER_NAME
    if retrain_classifier or not classifier_path.is_file():
        torch.set_num_threads(1)
        classifier = train_classifier()
        save_atomically(classifier.state_dict(), classifier_path)
        torch.set_num_threads(2)
    classifier = load_classifier(classifier_path)
    photos = [photo for _, photo in held_out_photos(256)]
    table = judge(generators, classifier, features, photos)
    card_path = weights_dir / "card.json"
    old = json.loads(card_path.read_text()) if card_path.is_file() else {}
    summaries = []
    for name in generators:
        summary_path = RUNS_DIR / name / "summary.json"
        summary = json.loads(summary_path.read_text()) if summary_path.is_file() else {}
        previous = {g["style"]: g for g in old.get("generators", [])}.get(name, {})
        path = weights_dir / f"{name}.pt"
        summaries.append({
            "style": name, "file": path.name, "sha256": sha256_of(path),
            "size_mb": round(path.stat().st_size / 2**20, 3),
            "steps": summary.get("steps", previous.get("steps")),
            "wall_time_minutes": summary.get("wall_time_minutes", previous.get("wall_time_minutes")),
            "plan": summary.get("plan", previous.get("plan")),
        })
    first = next(iter(generators.values()))
    card = {
        "paper": "Gatys, Ecker, Bethge 2015, A Neural Algorithm of Artistic Style (arXiv:1508.06576); Ulyanov et "
                 "al. 2016, Texture Networks (arXiv:1603.03417); Johnson, Alahi, Fei-Fei 2016, Perceptual Losses "
                 "(arXiv:1603.08155); features after Ustyuzhaninov et al. 2017 (arXiv:1606.00021)",
        "architecture": f"Johnson-style generator narrowed for CPUs: 5x5 conv ({first.width} ch), two stride-2 3x3 "
                        f"convs ({2 * first.width} ch), {first.blocks} residual blocks at 1/4 size, two nearest x2 "
                        f"upsamplings + 3x3 convs, 5x5 conv to RGB, sigmoid; instance normalisation throughout; "
                        f"{sum(p.numel() for p in first.parameters())} parameters per style",
        "features": {
            "description": "No pretrained VGG is available offline, so the style and content features come from a "
                           "fixed network of random convolutions with ReLU (Ustyuzhaninov et al. 2017 show that "
                           "random multi-scale filters with a nonlinearity suffice for Gram-matrix texture "
                           "synthesis of natural textures). Filters are Gaussian, zero-mean over space plus a small "
                           "random colour term, He-scaled, drawn from torch.Generator().manual_seed(seed). Style: "
                           "Gram matrices of all four layers, each layer's squared error relative to the target's "
                           "squared norm; content: the first three layers' maps. Limits: colours, strokes and "
                           "small patterns transfer; large, semantic structures (what a trained VGG carries) do not.",
            "layers": [list(layer) for layer in LAYERS],
            "receptive_fields": list(RECEPTIVE_FIELDS),
            "seed": features.seed,
            "content_layers": [1, 2, 3],
        },
        "styles": [{"name": a.name, "title": a.title, "package": a.package, "source": a.source,
                    "copyright": a.copyright, "licence": a.licence, "shipped_copy": f"page/styles/{a.name}.jpg"}
                   for a in STYLES],
        "training_data": [p.name if p.parent.name != "images" else p.parents[2].name for p in training_photo_paths()],
        "validation_data": list(HELD_OUT),
        "crop": summaries[0]["plan"]["crop"] if summaries and summaries[0].get("plan") else None,
        "generators": summaries,
        "classifier": {
            "file": CLASSIFIER_NAME, "sha256": sha256_of(classifier_path), "classes": list(CLASSES),
            "description": f"three conv+BN+ReLU+maxpool layers (16, 32, 48 ch), mean and max pooling, linear; trained "
                           f"{CLASSIFIER_STEPS} steps of {CLASSIFIER_BATCH} balanced 64 px crops (the style copies; "
                           f"the training content photos at two scales; half of every class blurred by a 2-4x "
                           f"shrink, so sharpness is no cue), seed {CLASSIFIER_SEED}",
        },
        "validation": table,
        "reading": "Per style, on the three held-out photos stylised at 256 px: the share of 64 px crops (32 px grid) "
                   "that the style classifier assigns to the generator's own style (the untouched photos' share is "
                   "the baseline), and the Gram loss against the artwork before (photo) and after (output); lower "
                   "after means the output's feature statistics moved toward the artwork's.",
    }
    card["limitations"] = (
        "Trained for a few CPU minutes per style on two dozen photos, with random (untrained) features, the "
        "generators take on the artwork's palette and soft blotches of its strokes but blur and fade the photo: "
        "their content loss stays high (see the training logs), and faces and small objects survive only in outline. "
        "Lower the strength to blend the photo back in, or use the optimise method, which starts from the photo and "
        "keeps far more of it. The texture network, trained for five CPU minutes, gets the sample's palette and "
        "blotches but not its long, flowing strokes, and its top rows come out paler (the coarse scales see the "
        "reflection padding).")
    texture_path = texture_weights_path(TEXTURE_NAME, weights_dir)
    if texture_path.is_file():
        texture_summary_path = RUNS_DIR / f"texture-{TEXTURE_NAME}" / "summary.json"
        texture_summary = json.loads(texture_summary_path.read_text()) if texture_summary_path.is_file() else {}
        card["texture_network"] = judge_texture(
            load_texture_generator(texture_path), features,
            lambda images: style_share(classifier, images, TEXTURE_NAME)) | {
            "file": texture_path.name, "sha256": sha256_of(texture_path),
            "size_mb": round(texture_path.stat().st_size / 2**20, 3),
            "steps": texture_summary.get("steps", old.get("texture_network", {}).get("steps")),
            "wall_time_minutes": texture_summary.get("wall_time_minutes",
                                                     old.get("texture_network", {}).get("wall_time_minutes")),
            "parameters": sum(p.numel() for p in load_texture_generator(texture_path).parameters())}
    card["timings"] = (timings(next(iter(generators.values())), features, next(iter(generators)))
                       if measure_time else old.get("timings", {}))
    write_card(card, weights_dir)
    return card


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="marginalia evaluate style-transfer", description=__doc__.split("\n\n")[0])
    parser.add_argument("--weights-dir", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--retrain-classifier", action="store_true")
    parser.add_argument("--no-timings", action="store_true", help="keep the card's timings")
    args = parser.parse_args(argv)
    card = evaluate(args.weights_dir, retrain_classifier=args.retrain_classifier, measure_time=not args.no_timings)
    print(json.dumps({"validation": card["validation"], "timings": card["timings"]}, indent=2))
    return 0


main = cli

if __name__ == "__main__":
    raise SystemExit(cli())
