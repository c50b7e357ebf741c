"""`marginalia train colorization`: the shipped classifier and the L2 baseline, side by side.

Both networks (same narrow ECCV16 body) train in lockstep on the same random crops, so the
comparison the paper makes (§3.2, Table 1: classification with rebalancing and annealed mean
vs plain regression) differs only in the loss. The run is seeded and resumable: a checkpoint
every `checkpoint_every` steps holds both networks, both optimisers, the crop generator and
the wall time so far; starting the command again continues from it. Validation is on whole
photos never trained on (`validation.py`), scored every `eval_every` steps and logged; the
shipped weights are always the last step's. At the end the classifier is exported to
models/colorization/weights/ with a model card of validation figures, per photo and on average,
and the classifier's figures at a range of temperatures (the default is chosen on them).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from models.checkpoints import load_checkpoint, save_atomically
from models.colorization import bins, validation
from models.colorization.config import ColorizationConfig
from models.colorization.data import PHOTO_SETS, CropSampler, Photo, curated_photos, licence_of
from models.colorization.fetch import packaged_photos
from models.colorization.net import ECCV16Colorizer, ECCV16Regressor

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
WEIGHTS_NAME = "eccv16-narrow.pt"


@dataclass(frozen=True)
class TrainingPlan:
    steps: int = 3000
    batch: int = 16
    crop: int = 128  # training crops; the network output is crop / 4 on a side
    width: float = 0.3  # channel multiplier of the shipped network (0.25 scored lower; see the card)
    rebalance_lambda: float = 0.6  # λ of the prior mixed with uniform (paper §3.1: 0.5; 0.6 won here)
    scales: tuple[float, float] = (0.35, 1.0)  # a crop covers 1-1/0.35 times its side of the photo
    gamma: float = 1.25  # exposure jitter: sRGB ** g, log g uniform in +-log 1.25
    learning_rate: float = 1e-3
    warmup_steps: int = 100
    weight_decay: float = 1e-4
    seed: int = 1603  # arXiv 1603.08511
    photos: str = "curated"  # a key of data.PHOTO_SETS ("all" was tried and scored lower; see the card)
    curated_share: float | None = None  # share of crops from the curated photos; None: all photos alike
    eval_every: int = 200
    checkpoint_every: int = 50
    threads: int = 2
    # Exponential moving average of the weights (decay per step), evaluated and shipped in
    # place of the last step's weights; None: the last step's. Batches of 16 crops make the
    # weights wander from one step to the next (the validation figures swing by 0.02 between
    # evaluations); the average keeps the point they wander around.
    ema_decay: float | None = None


# Plan fields added after runs were checkpointed, at the values those runs used.
ADDED_PLAN_FIELDS = {"ema_decay": None}


def crop_weights(photos: tuple[Photo, ...], curated_share: float | None) -> list[float] | None:
    """Each photo's chance of giving a crop: `curated_share` split evenly over the curated photos
    and the rest over the others (None: all photos alike)."""
    if curated_share is None:
        return None
    curated = set(curated_photos())
    count = sum(photo in curated for photo in photos)
    if not 0 < count < len(photos) or not 0 < curated_share < 1:
        raise ValueError("a curated share needs curated and other photos, and a share between 0 and 1")
    return [curated_share / count if photo in curated else (1 - curated_share) / (len(photos) - count)
            for photo in photos]


def learning_rate(plan: TrainingPlan, step: int) -> float:
    """Linear warm-up, then cosine decay to 2% of the peak: a function of the step alone, so a
    resumed run needs no scheduler state."""
    if step < plan.warmup_steps:
        return plan.learning_rate * (step + 1) / plan.warmup_steps
    progress = (step - plan.warmup_steps) / max(1, plan.steps - plan.warmup_steps)
    return plan.learning_rate * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * progress)))


def classification_loss(logits: torch.Tensor, targets: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Eq. 2-3: cross-entropy against soft targets Z, each pixel weighted by v(Z)."""
    per_pixel = -(targets * F.log_softmax(logits, dim=1)).sum(dim=1)  # (B, h, w)
    return (per_pixel * bins.pixel_weights(targets, weights)).mean()


TEMPERATURES = (0.2, 0.38, 0.5, 0.7, 1.0)  # the classifier is also scored at these, to choose the default
PAPER_TEMPERATURE = 0.38  # Zhang et al. §3.3


def evaluate(classifier: ECCV16Colorizer, regressor: ECCV16Regressor) -> dict:
    """Mean validation figures of both networks, grey and the truth (networks left as they were)."""
    return validation.means(validation.report(classifier, regressor))


BATCH_NORM_BATCHES = 16  # batches of training crops that measure an averaged network's statistics


def measure_batch_norm(forward: Callable[[torch.Tensor], torch.Tensor], net: torch.nn.Module,
                       batches: list[torch.Tensor]) -> None:
    """Set `net`'s batch-norm running statistics to their plain means over `batches`, run
    through `forward`. torch's swa_utils.update_bn does this for a module's own forward; ours
    train through `logits`/`regress`, so the same few steps are written here."""
    norms = [module for module in net.modules() if isinstance(module, torch.nn.modules.batchnorm._BatchNorm)]
    momenta = {norm: norm.momentum for norm in norms}
    was_training = net.training
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # None: a cumulative mean over the batches
    net.train()
    with torch.no_grad():
        for light in batches:
            forward(light)
    for norm in norms:
        norm.momentum = momenta[norm]
    net.train(was_training)


class Run:
    """One training run in `run_dir`: networks, optimisers, data, and its log."""

    def __init__(self, plan: TrainingPlan, run_dir: Path, log: Callable[[str], None]) -> None:
        self.plan, self.run_dir, self.log = plan, run_dir, log
        self.config = ColorizationConfig(width=plan.width, rebalance_lambda=plan.rebalance_lambda)
        torch.manual_seed(plan.seed)
        self.centres = bins.gamut_bins(self.config.grid_size)  # (Q, 2)
        self.classifier = ECCV16Colorizer(num_bins=len(self.centres), width=plan.width, config=self.config)
        self.classifier.set_bin_centres(self.centres)
        self.regressor = ECCV16Regressor(width=plan.width, config=self.config)
        self.optimisers = {
            name: torch.optim.AdamW(net.parameters(), lr=plan.learning_rate, betas=(0.9, 0.99),
                                    weight_decay=plan.weight_decay)
            for name, net in (("classification", self.classifier), ("regression", self.regressor))
        }
        self.photos = PHOTO_SETS[plan.photos]()
        self.sampler = CropSampler(self.photos, crop=plan.crop, scales=plan.scales, gamma=plan.gamma,
                                   weights=crop_weights(self.photos, plan.curated_share))
        prior = bins.smooth_prior(self.sampler.colour_prior(self.centres), self.centres)
        self.weights = bins.rebalancing_weights(prior, lam=self.config.rebalance_lambda)  # (Q,)
        # torch's AveragedModel keeps the average of the weights; its batch-norm statistics are
        # measured afresh for the averaged weights (`networks`), as those of the trained weights
        # do not fit them: averaging weights that turn between steps shrinks their norm, so the
        # features reaching each norm layer are smaller than its running variance says
        self.averages: dict[str, AveragedModel] = {}
        if plan.ema_decay is not None:
            self.averages = {
                name: AveragedModel(net, multi_avg_fn=get_ema_multi_avg_fn(plan.ema_decay))
                for name, net in (("classification", self.classifier), ("regression", self.regressor))
            }
        self.generator = torch.Generator().manual_seed(plan.seed)
        self.step = 0
        self.seconds = 0.0  # training wall time over all sessions of this run
        self.history: list[dict] = []

    def networks(self) -> tuple[ECCV16Colorizer, ECCV16Regressor]:
        """The classifier and the regressor as evaluated and shipped: the averages when kept,
        with their batch-norm statistics measured on training crops first."""
        if not self.averages:
            return self.classifier, self.regressor
        classifier, regressor = self.averages["classification"].module, self.averages["regression"].module
        # the same crops at every call of a step, drawn apart from the training crops (resuming
        # replays those), so a figure and the exported file come from the same statistics
        generator = torch.Generator().manual_seed(self.plan.seed + self.step)
        batches = [self.sampler.batch(self.plan.batch, generator)[:, :1] for _ in range(BATCH_NORM_BATCHES)]
        measure_batch_norm(classifier.logits, classifier, batches)
        measure_batch_norm(regressor.regress, regressor, batches)
        return classifier, regressor

    @property
    def checkpoint_path(self) -> Path:
        return self.run_dir / "checkpoint.pt"

    def save(self) -> None:
        state = {
            "plan": asdict(self.plan),
            "step": self.step,
            "seconds": self.seconds,
            "history": self.history,
            "classifier": self.classifier.state_dict(),
            "regressor": self.regressor.state_dict(),
            "optimisers": {name: opt.state_dict() for name, opt in self.optimisers.items()},
            "averages": {name: average.state_dict() for name, average in self.averages.items()},
            "generator": self.generator.get_state(),
        }
        save_atomically(state, self.checkpoint_path)

    def resume(self) -> bool:
        state = load_checkpoint(self.checkpoint_path, asdict(self.plan), ADDED_PLAN_FIELDS)
        if state is None:
            return False
        self.classifier.load_state_dict(state["classifier"])
        self.regressor.load_state_dict(state["regressor"])
        for name, opt in self.optimisers.items():
            opt.load_state_dict(state["optimisers"][name])
        for name, average in self.averages.items():
            average.load_state_dict(state["averages"][name])
        self.generator.set_state(state["generator"])
        self.step, self.seconds, self.history = state["step"], state["seconds"], state["history"]
        return True

    def train_step(self) -> dict[str, float]:
        lab = self.sampler.batch(self.plan.batch, self.generator)  # (B, 3, crop, crop)
        light = lab[:, :1]
        ab_small = F.avg_pool2d(lab[:, 1:], 4)  # (B, 2, crop/4, crop/4): the output grid
        targets = bins.soft_encode(ab_small, self.centres, neighbours=self.config.neighbours, sigma=self.config.sigma)
        losses = {
            "classification": classification_loss(self.classifier.logits(light), targets, self.weights),
            "regression": F.mse_loss(self.regressor.regress(light), ab_small / self.config.ab_norm),
        }
        rate = learning_rate(self.plan, self.step)
        for name, loss in losses.items():
            optimiser = self.optimisers[name]
            for group in optimiser.param_groups:
                group["lr"] = rate
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
        trained = {"classification": self.classifier, "regression": self.regressor}
        for name, average in self.averages.items():
            average.update_parameters(trained[name])
        return {name: loss.item() for name, loss in losses.items()}


def train(plan: TrainingPlan, run_dir: Path, *, export: bool | Path = True, log: Callable[[str], None] = print,
          compare: tuple[Path, ...] = ()) -> dict:
    """Train (or finish) the run in `run_dir`; `export` True writes the weights and card into
    the package's weights/ folder, a Path into that folder, False nowhere. The card lists this
    run beside the finished runs in `compare`, as the choice was made: run folders (their
    summary.json) or earlier cards (card.json, whose compared runs carry over)."""
    torch.set_num_threads(plan.threads)
    run_dir.mkdir(parents=True, exist_ok=True)
    run = Run(plan, run_dir, log)
    if run.resume():
        log(f"resumed at step {run.step} ({run.seconds / 60:.1f} min trained)")
    started = time.monotonic()
    base_seconds = run.seconds
    with (run_dir / "log.jsonl").open("a") as log_file:
        _train_steps(run, log_file, started, base_seconds)
    summary = summarize(run)
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2))
    classifier, regressor = run.networks()
    torch.save(regressor.state_dict(), run_dir / "regression.pt")
    torch.save(classifier.state_dict(), run_dir / "classification.pt")
    if export:
        summary["runs_compared"] = _unique_by_name(
            [_run_row(run_dir, summary)] + [row for other in compare for row in _compared_rows(other)])
        export_weights(run, summary, WEIGHTS_DIR if export is True else Path(export))
    return summary


def _compared_rows(path: Path) -> list[dict]:
    # A card keeps the rows of runs whose folders are gone (run folders are local and not
    # committed), so a new run can still be weighed against them.
    if path.is_file():
        return json.loads(path.read_text()).get("runs_compared", [])
    return [_run_row(path, json.loads((path / "summary.json").read_text()))]


def _unique_by_name(rows: list[dict]) -> list[dict]:
    """The first row of each run name (this run's own beats a stale copy of it in an old card)."""
    unique: dict[str, dict] = {}
    for row in rows:
        unique.setdefault(row["name"], row)
    return list(unique.values())


def _run_row(run_dir: Path, summary: dict) -> dict:
    return {"name": run_dir.name, "plan": summary["plan"], "steps": summary["steps"],
            "photos": len(summary["training_data"]), "validation": summary["validation"],
            "targets": summary["targets"]}


def _train_steps(run: Run, log_file, started: float, base_seconds: float) -> None:
    plan, log, losses = run.plan, run.log, []
    while run.step < plan.steps:
        losses.append(run.train_step())
        run.step += 1
        run.seconds = base_seconds + time.monotonic() - started
        if run.step % plan.eval_every == 0 or run.step == plan.steps:
            record = {
                "step": run.step,
                "minutes": round(run.seconds / 60, 2),
                "loss": {k: round(sum(x[k] for x in losses) / len(losses), 5) for k in losses[0]},
                "validation": evaluate(*run.networks()),
            }
            losses = []
            run.history.append(record)
            log_file.write(json.dumps(record) + "\n")
            log_file.flush()
            log(json.dumps(record))
        if run.step % plan.checkpoint_every == 0 or run.step == plan.steps:
            run.save()


def _photo_draw(plan: TrainingPlan) -> str:
    if plan.curated_share is None:
        return "each crop from a photo drawn uniformly"
    return (f"{plan.curated_share:.0%} of the crops from the {len(PHOTO_SETS['curated']())} curated photos "
            "(the installed wallpapers and sample photos) and the rest from the others, and the colour prior "
            "weighted the same way")


def summarize(run: Run) -> dict:
    plan = run.plan
    classifier, regressor = run.networks()
    tables = validation.report(classifier, regressor)
    sweep = {str(t): validation.report(classifier, temperature=t)["classification"]["mean"] for t in TEMPERATURES}
    return {
        "paper": "Colorful Image Colorization (Zhang, Isola, Efros, ECCV 2016), arXiv:1603.08511",
        "architecture": f"ECCV16 at width {plan.width}, {len(run.centres)} ab bins (grid 10, sRGB gamut)",
        "parameters": sum(p.numel() for p in classifier.parameters()),
        "training_data": [{"name": p.name, "package": p.package, "licence": licence_of(p)} for p in run.photos],
        "validation_data": [photo.id for photo in validation.validation_set()],
        "crops": {
            "training": f"{plan.steps * plan.batch} random {plan.crop}x{plan.crop} crops (each covering 1 to "
            f"{1 / plan.scales[0]:.1f} times its side of a photo shrunk to a 512 px shorter side; random "
            f"horizontal flip and exposure gamma within x/÷ {plan.gamma}); {_photo_draw(plan)}",
            "validation": "the whole of each photo (longest side 384 px)",
        },
        "plan": asdict(plan),
        "steps": run.step,
        "wall_time_minutes": round(run.seconds / 60, 1),
        "threads": plan.threads,
        "temperature": run.config.temperature,
        "validation": validation.means(tables),
        "validation_per_photo": tables,
        "targets": validation.targets(tables),
        "temperatures": sweep,
        "independent": validation.report(classifier, regressor, photos=validation.independent_set()),
        "reading": "The paper's argument in numbers: the classifier with class rebalancing, decoded by the "
        "annealed mean, should stay level with grey on plain AuC of ab error, beat it clearly on the "
        "class-rebalanced AuC, and be far more colourful than the same network trained with an L2 loss "
        "(regression), which hedges towards brown. Grey scores well on plain AuC because most pixels of photos "
        "are nearly neutral; ground truth is the photos themselves.",
    }


def export_weights(run: Run, summary: dict, folder: Path = WEIGHTS_DIR) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / WEIGHTS_NAME
    save_atomically(run.networks()[0].state_dict(), target)
    summary = {**summary, "file": WEIGHTS_NAME, "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
               "size_mb": round(target.stat().st_size / 1e6, 2)}
    (folder / "card.json").write_text(json.dumps(summary, indent=2) + "\n")
    (folder / "README.md").write_text(model_card(summary))
    run.log(f"wrote {target} ({summary['size_mb']} MB, sha256 {summary['sha256']}), card.json and README.md;"
            " put the sha256 in models/colorization/spec.py")
    return target


def _mean_rows(means: dict[str, dict[str, float]]) -> str:
    return "\n".join(
        f"| {name} | {row['auc']:.3f} | {row['rebalanced_auc']:.3f} | {row['mean_chroma']:.1f} "
        f"| {row['colourfulness']:.1f} |"
        for name, row in means.items()
    )


def _photo_rows(tables: dict[str, dict[str, dict]]) -> str:
    model, baseline, grey, truth = (tables[name] for name in ("classification", "regression", "grey", "ground_truth"))
    return "\n".join(
        f"| {photo} | {model[photo]['auc']:.3f} | {baseline[photo]['auc']:.3f} | {grey[photo]['auc']:.3f} "
        f"| {model[photo]['rebalanced_auc']:.3f} | {baseline[photo]['rebalanced_auc']:.3f} "
        f"| {grey[photo]['rebalanced_auc']:.3f} "
        f"| {model[photo]['colourfulness'] / max(truth[photo]['colourfulness'], 1e-6):.2f} |"
        for photo in model
    )


def _data_rows(training_data: list[dict]) -> str:
    packages: dict[str, list[str]] = {}
    licences: dict[str, set[str]] = {}
    for photo in training_data:
        packages.setdefault(photo["package"], []).append(photo["name"])
        licences.setdefault(photo["package"], set()).add(photo["licence"])
    return "\n".join(f"| {package} | {len(names)}: {', '.join(names)} | {'; '.join(sorted(licences[package]))} |"
                     for package, names in packages.items())


def _photos_cell(run: dict) -> str:
    share = run["plan"].get("curated_share")
    return str(run["photos"]) if share is None else f"{run['photos']}, {share:.0%} of crops from the curated"


def _weights_cell(run: dict) -> str:
    decay = run["plan"].get("ema_decay")
    return "last step" if decay is None else f"average (decay {decay})"


def _shipped_weights(plan: dict) -> str:
    if plan.get("ema_decay") is None:
        return "The shipped weights are those of the last step."
    return (f"The shipped weights (and every figure here) are an exponential moving average of both networks' "
            f"weights over the steps, decay {plan['ema_decay']} a step (torch's AveragedModel), which smooths out "
            f"the step-to-step wander of training on batches this small; their batch-norm statistics are measured "
            f"for the averaged weights on {BATCH_NORM_BATCHES} batches of training crops.")


def _steps_cell(run: dict) -> str:
    planned = run["plan"]["steps"]
    return str(run["steps"]) if run["steps"] == planned else f"{run['steps']} (stopped; of {planned})"


def _run_rows(runs: list[dict]) -> str:
    return "\n".join(
        f"| {run['name']} | {_photos_cell(run)} | {run['plan']['rebalance_lambda']} | {run['plan']['width']} "
        f"| {run['plan']['learning_rate']} "
        f"| {_steps_cell(run)} | {_weights_cell(run)} "
        f"| {run['validation']['classification']['auc']:.3f} "
        f"| {run['validation']['classification']['rebalanced_auc']:.3f} "
        f"| {run['targets']['colourfulness_vs_truth']['value']:.2f} "
        f"| {sum(target['met'] for target in run['targets'].values())} of {len(run['targets'])} |"
        for run in runs
    ) or "| (only this run) | | | | | | | | | | |"


def model_card(card: dict) -> str:
    """The weights folder's README: prose that holds for any run, figures from `card`."""
    def target_row(name: str, row: dict) -> str:
        value = f"{row['value']:.2f}x" if name == "colourfulness_vs_truth" else f"{row['value']:+.3f}"
        return f"| {name.replace('_', ' ')} | {value} | {row['target']} | {'met' if row['met'] else '**not met**'} |"

    targets = "\n".join(target_row(name, row) for name, row in card["targets"].items())
    if card["temperature"] == PAPER_TEMPERATURE:
        temperature_choice = (f"The default stays the paper's {PAPER_TEMPERATURE}: no temperature meets more of "
                              "the targets.")
    else:
        temperature_choice = (f"The default is {card['temperature']}, chosen on this table: it meets the most "
                              f"targets (the paper uses {PAPER_TEMPERATURE}, chosen on its own validation set).")
    tables = card["validation_per_photo"]
    photos = [photo for photo in tables["classification"] if photo != "mean"]
    beats = {key: sum(tables["classification"][p][key] > tables["grey"][p][key] for p in photos)
             for key in ("auc", "rebalanced_auc")}
    reading = (f"The classifier beats grey on {beats['auc']} of {len(photos)} photos on plain AuC and on "
               f"{beats['rebalanced_auc']} on the rebalanced AuC; the L2 baseline, trained on the same crops, "
               f"scores higher on plain AuC ({card['validation']['regression']['auc']:.3f}) by staying near grey "
               f"(colourfulness {card['validation']['regression']['colourfulness']:.1f} against the photos' "
               f"{card['validation']['ground_truth']['colourfulness']:.1f}), as the paper's Table 1 shows for its "
               "own regression baseline.")
    temperatures = "\n".join(f"| {t} | {row['auc']:.3f} | {row['rebalanced_auc']:.3f} | {row['colourfulness']:.1f} |"
                             for t, row in card["temperatures"].items())
    plan = card["plan"]
    return MODEL_CARD.format(
        card=card, plan=plan, data=_data_rows(card["training_data"]), n_photos=len(card["training_data"]),
        targets=targets, means=_mean_rows(card["validation"]), per_photo=_photo_rows(card["validation_per_photo"]),
        held_out=", ".join(card["validation_data"]), temperatures=temperatures,
        runs=_run_rows(card.get("runs_compared", [])), independent=_photo_rows(card["independent"]),
        lam=plan["rebalance_lambda"], reading=reading, temperature_choice=temperature_choice,
        other_photos=_other_photos(plan),
        shipped_weights=_shipped_weights(plan),
    )


def _other_photos(plan: dict) -> str:
    """What the card says of the unpacked photos when the shipped run did not train on them."""
    if plan.get("photos", "curated") != "curated":
        return ""
    extra = packaged_photos()
    return (f"\nThe other {len(extra)} photographs, from {len({p.package for p in extra})} more Debian packages "
            "(unpacked at set-up by `make training-photos`; listed with their licences in "
            "`models/colorization/debian_photos.json`), were tried (`--photos all`): the runs on all "
            f"{len(extra) + len(PHOTO_SETS['curated']())} photos below met fewer targets, so the shipped model "
            "trains on these.\n")


MODEL_CARD = """# Colorization weights: `{card[file]}`

{card[architecture]}; {card[parameters]:,} parameters, {card[size_mb]} MB, sha256
`{card[sha256]}`. Made by `marginalia train colorization` (`make train-colorization`);
`card.json` holds every figure below and the full training plan. Recompute the validation
figures from the weights with `marginalia evaluate colorization` (`--per-photo` for the table).

## Data

{n_photos} colour photographs that ship offline, each chosen by looking at a contact sheet of its
package (no renders, drawings, screenshots or text):

| package | photos | licence |
| --- | --- | --- |
{data}
{other_photos}
- Training: {card[crops][training]}.
- Validation: {card[crops][validation]}: {held_out}. They are the Turing test's photos; none is a
  training photo or cut from one.
- Independent check: scikit-learn's two sample photos (china, flower) and matplotlib's portrait of
  Grace Hopper, never trained on and never used to choose anything; reported at the end.

## Training

{card[steps]} steps of {plan[batch]} crops, AdamW (peak learning rate {plan[learning_rate]}, warm-up
{plan[warmup_steps]} steps, cosine decay to 2%, weight decay {plan[weight_decay]}), seed {plan[seed]},
{card[threads]} CPU thread(s): {card[wall_time_minutes]} minutes of wall time for both networks, which train in
lockstep on the same crops. The classifier minimises the rebalanced multinomial cross-entropy
against soft-encoded targets (5 nearest bins, sigma 5; prior from the training photos, smoothed
with sigma 5, mixed with uniform at lambda {lam}); the baseline ("regression"), the same network
ending in two channels, minimises the L2 distance to the true ab. {shipped_weights}
Wall time is on a 2-core machine that was also doing other work.

Runs compared on the validation photos, differing in the training photos, the rebalancing
lambda, the width, the learning rate, the steps and the weight averaging (otherwise as above);
the shipped one, first, was chosen on them: the most targets met, then the highest rebalanced
AuC:

| run | photos | lambda | width | peak LR | steps | weights | AuC | rebalanced AuC | colourfulness / truth | targets |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
{runs}

## Validation

Whole photos, classifier decoded at T = {card[temperature]}, means over the photos:

| prediction | AuC of ab error, 0-150 | class-rebalanced AuC | mean chroma | colourfulness (Hasler-Süsstrunk) |
| --- | --- | --- | --- | --- |
{means}

Issue 15's targets:

| target | value | wanted | |
| --- | --- | --- | --- |
{targets}

{reading}

AuC is the area under the share of pixels whose predicted ab lies within a threshold of the
truth, for thresholds 0 to 150 (the paper's Table 1 metric); the class-rebalanced AuC weighs each
pixel by the rarity of its true colour over the whole set, so the many near-grey pixels no longer
dominate. Grey scores well on plain AuC because most pixels of photos are nearly neutral.

Per photo (AuC and rebalanced AuC of the classifier, the L2 baseline and grey; the classifier's
colourfulness as a share of the photo's):

| photo | AuC | L2 | grey | rebal. AuC | L2 | grey | colourfulness / truth |
| --- | --- | --- | --- | --- | --- | --- | --- |
{per_photo}

The classifier at other temperatures (lower is bolder). {temperature_choice}

| T | AuC | rebalanced AuC | colourfulness |
| --- | --- | --- | --- |
{temperatures}

Independent check (china and flower from scikit-learn, grace_hopper from matplotlib), the
same figures per photo and on average:

| photo | AuC | L2 | grey | rebal. AuC | L2 | grey | colourfulness / truth |
| --- | --- | --- | --- | --- | --- | --- | --- |
{independent}

## Using the official checkpoint instead

At width 1.0 the network's keys and shapes are those of the authors' PyTorch port
(richzhang/colorization, `colorizers/eccv16.py`), and `models.colorization.predict.load` reads the
width and the bin centres off the tensors. With their `colorization_release_v2-9b330a0b.pth`
on disk, register it in a module of your own and point the server at it:

```python
# mydemos.py
from pathlib import Path
from models.colorization.spec import colorization_spec
from models.spec import WeightsFile
DEMOS = (colorization_spec(WeightsFile(Path("/srv/colorization_release_v2-9b330a0b.pth"), \
"<its sha256>", "download it")),)
```

then `MARGINALIA_DEMO_SPECS=mydemos:DEMOS marginalia serve`. The full network is about 16 times
slower than this one on a CPU (`make bench` prints both).
"""


def cli(argv: list[str]) -> int:
    """`marginalia train colorization [--run-dir DIR] [--steps N] [--threads N] [--width W]
    [--rebalance-lambda L] [--learning-rate R] [--photos SET] [--curated-share S] [--ema-decay D] [--no-export]
    [--compare RUN_DIR_OR_CARD ...]`."""
    args = command_line().parse_args(argv)
    train(plan_of(args), Path(args.run_dir), export=not args.no_export, compare=tuple(map(Path, args.compare)))
    return 0


def command_line() -> argparse.ArgumentParser:
    """The flags of `marginalia train colorization`, defaulting to the shipped run's plan."""
    defaults = TrainingPlan()
    parser = argparse.ArgumentParser(prog="marginalia train colorization", description=train.__doc__)
    parser.add_argument("--run-dir", default="data/train/colorization", help="checkpoints and log")
    parser.add_argument("--steps", type=int, default=defaults.steps, help="training steps")
    parser.add_argument("--threads", type=int, default=defaults.threads, help="CPU threads")
    parser.add_argument("--width", type=float, default=defaults.width, help="channel multiplier (1.0 = official)")
    parser.add_argument("--rebalance-lambda", type=float, default=defaults.rebalance_lambda,
                        help="weight of the uniform distribution in the rebalancing mix")
    parser.add_argument("--learning-rate", type=float, default=defaults.learning_rate,
                        help="peak learning rate (after the warm-up; cosine decay to 2%% of it)")
    parser.add_argument("--photos", choices=sorted(PHOTO_SETS), default=defaults.photos,
                        help="curated: the installed wallpapers and sample photos; all: those and the unpacked ones")
    parser.add_argument("--curated-share", type=float, default=defaults.curated_share,
                        help="share of crops drawn from the curated photos (default: every photo alike)")
    parser.add_argument("--ema-decay", type=float, default=defaults.ema_decay,
                        help="keep and ship an exponential moving average of the weights (e.g. 0.999)")
    parser.add_argument("--no-export", action="store_true", help="leave models/colorization/weights alone")
    parser.add_argument("--compare", nargs="*", default=[], metavar="RUN_DIR_OR_CARD",
                        help="finished runs (folders, or a card.json whose compared runs carry over) "
                        "to list beside this one in the model card")
    return parser


def plan_of(args: argparse.Namespace) -> TrainingPlan:
    """The plan the command line asks for: its flags over the defaults."""
    return TrainingPlan(steps=args.steps, threads=args.threads, width=args.width,
                        rebalance_lambda=args.rebalance_lambda, learning_rate=args.learning_rate,
                        photos=args.photos, curated_share=args.curated_share, ema_decay=args.ema_decay)
