"""`marginalia train gan`: a DCGAN on rendered emoji, then iGAN's encoder for it.

Phase 1 trains generator and discriminator the DCGAN way (Adam at 2e-4, beta1 0.5, batch 64,
the non-saturating generator loss, one-sided label smoothing of 0.9 on real images). Phase 2
freezes the generator and trains the encoder E so that G(E(x)) reconstructs real images (iGAN
§3.2) and E(G(z)) recovers z for generated ones. The run is seeded and resumable: a checkpoint
every `checkpoint_every` steps holds the networks, optimisers, random state and wall time;
starting the command again continues from it, and a session stops by itself after `--minutes`.
Before a generator is used for anything its batch-norm statistics are re-estimated over many
random batches, so it runs in eval mode and one image no longer depends on the rest of its batch.
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from models.checkpoints import load_checkpoint, save_atomically
from models.gan.data import Augmenter, emoji_set
from models.gan.net import Discriminator, Encoder, Generator, init_weights

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"


@dataclass(frozen=True)
class TrainingPlan:
    size: int = 64
    nz: int = 100
    width: int = 32  # ngf = ndf
    batch: int = 64
    gan_steps: int = 4500
    encoder_steps: int = 1200
    learning_rate: float = 2e-4
    real_label: float = 0.9
    early_step: int = 1500  # the generator kept for the card's "earlier checkpoint"
    latent_weight: float = 1.0  # encoder: weight of |E(G(z)) - z|^2 beside the pixel loss
    seed: int = 1609  # arXiv 1609.03552
    checkpoint_every: int = 100
    log_every: int = 50
    threads: int = 1


def sample_z(count: int, nz: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """Latents uniform in [-1, 1]^nz, the prior of DCGAN and iGAN."""
    return torch.rand(count, nz, generator=generator) * 2 - 1


@torch.no_grad()
def reestimate_batchnorm(net: Generator, batches: int = 60, batch: int = 64, seed: int = 0) -> Generator:
    """A copy of `net` in eval mode whose batch-norm statistics are the plain average over
    `batches` random batches (the running averages of training lag behind the weights)."""
    net = copy.deepcopy(net)
    for module in net.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.reset_running_stats()
            module.momentum = None  # cumulative average
    net.train()
    g = torch.Generator().manual_seed(seed)
    for _ in range(batches):
        net(sample_z(batch, net.nz, g))
    for module in net.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.momentum = 0.1
    return net.eval()


class Run:
    def __init__(self, plan: TrainingPlan, run_dir: Path, log: Callable[[str], None]) -> None:
        self.plan, self.run_dir, self.log = plan, run_dir, log
        torch.manual_seed(plan.seed)
        self.G = Generator(plan.nz, plan.width, plan.size)
        self.D = Discriminator(plan.width, plan.size)
        self.E = Encoder(plan.nz, plan.width, plan.size)
        for net in (self.G, self.D, self.E):
            net.apply(init_weights)
        betas = (0.5, 0.999)
        self.opt = {
            "G": torch.optim.Adam(self.G.parameters(), plan.learning_rate, betas=betas),
            "D": torch.optim.Adam(self.D.parameters(), plan.learning_rate, betas=betas),
            "E": torch.optim.Adam(self.E.parameters(), plan.learning_rate, betas=betas),
        }
        self.generator = torch.Generator().manual_seed(plan.seed)
        self.data = emoji_set()
        self.augment = Augmenter(self.data["train"], plan.size, self.generator)
        self.step = 0  # over both phases
        self.seconds = 0.0
        self.history: list[dict] = []
        self.frozen_G: Generator | None = None  # the generator of phase 2, batch norm re-estimated

    @property
    def checkpoint_path(self) -> Path:
        return self.run_dir / "checkpoint.pt"

    def save(self) -> None:
        save_atomically({
            "plan": asdict(self.plan), "step": self.step, "seconds": self.seconds, "history": self.history,
            "G": self.G.state_dict(), "D": self.D.state_dict(), "E": self.E.state_dict(),
            "frozen_G": self.frozen_G.state_dict() if self.frozen_G is not None else None,
            "opt": {k: o.state_dict() for k, o in self.opt.items()}, "rng": self.generator.get_state(),
        }, self.checkpoint_path)

    def resume(self) -> bool:
        state = load_checkpoint(self.checkpoint_path, asdict(self.plan))
        if state is None:
            return False
        for name in ("G", "D", "E"):
            getattr(self, name).load_state_dict(state[name])
            self.opt[name].load_state_dict(state["opt"][name])
        if state["frozen_G"] is not None:
            self.frozen_G = Generator(self.plan.nz, self.plan.width, self.plan.size)
            self.frozen_G.load_state_dict(state["frozen_G"])
            self.frozen_G.eval()
        self.generator.set_state(state["rng"])
        self.step, self.seconds, self.history = state["step"], state["seconds"], state["history"]
        return True

    def gan_step(self) -> dict[str, float]:
        plan = self.plan
        real = self.augment.batch(plan.batch)
        z = sample_z(plan.batch, plan.nz, self.generator)
        fake = self.G(z)
        d_real, d_fake = self.D(real), self.D(fake.detach())
        loss_d = (F.binary_cross_entropy_with_logits(d_real, torch.full_like(d_real, plan.real_label))
                  + F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake)))
        self.opt["D"].zero_grad(set_to_none=True)
        loss_d.backward()
        self.opt["D"].step()
        d_gen = self.D(fake)
        loss_g = F.binary_cross_entropy_with_logits(d_gen, torch.ones_like(d_gen))
        self.opt["G"].zero_grad(set_to_none=True)
        loss_g.backward()
        self.opt["G"].step()
        return {"D": loss_d.item(), "G": loss_g.item(),
                "D(real)": torch.sigmoid(d_real).mean().item(), "D(fake)": torch.sigmoid(d_fake).mean().item()}

    def encoder_step(self) -> dict[str, float]:
        plan, G = self.plan, self.frozen_G
        assert G is not None
        half = plan.batch // 2
        real = self.augment.batch(half)
        z = sample_z(half, plan.nz, self.generator)
        with torch.no_grad():
            fake = G(z)
        pixel = (G(self.E(real)) - real).abs().mean()
        latent = ((self.E(fake) - z) ** 2).mean()
        loss = pixel + plan.latent_weight * latent
        self.opt["E"].zero_grad(set_to_none=True)
        loss.backward()
        self.opt["E"].step()
        return {"pixel": pixel.item(), "latent": latent.item()}


def _save_grid(G: Generator, path: Path, seed: int = 0, rows: int = 8) -> None:
    from PIL import Image

    with torch.no_grad():
        images = G(sample_z(rows * rows, G.nz, torch.Generator().manual_seed(seed)))
    grid = ((images + 1) * 127.5).clamp(0, 255).round().byte()  # (N, 3, s, s)
    s = G.size
    grid = grid.view(rows, rows, 3, s, s).permute(0, 3, 1, 4, 2).reshape(rows * s, rows * s, 3)
    Image.fromarray(grid.numpy()).save(path)


def train(plan: TrainingPlan, run_dir: Path, *, minutes: float = 90.0, export: bool | Path = True,
          log: Callable[[str], None] = print) -> bool:
    """Train (or continue) the run in `run_dir` for at most `minutes`; True when it is complete
    (and, with `export`, the weights and card are written)."""
    torch.set_num_threads(plan.threads)
    run_dir.mkdir(parents=True, exist_ok=True)
    run = Run(plan, run_dir, log)
    if run.resume():
        log(f"resumed at step {run.step} ({run.seconds / 60:.1f} min trained)")
    started = time.monotonic()
    base = run.seconds
    total = plan.gan_steps + plan.encoder_steps
    losses: list[dict] = []
    with (run_dir / "log.jsonl").open("a") as log_file:
        while run.step < total:
            if time.monotonic() - started > minutes * 60:
                run.save()
                log(f"stopped after {minutes} min at step {run.step}; run the command again to continue")
                return False
            if run.step < plan.gan_steps:
                losses.append(run.gan_step())
            else:
                if run.frozen_G is None:
                    run.frozen_G = reestimate_batchnorm(run.G, seed=plan.seed)
                    for p in run.frozen_G.parameters():
                        p.requires_grad_(False)
                losses.append(run.encoder_step())
            run.step += 1
            run.seconds = base + time.monotonic() - started
            if run.step == plan.early_step:
                early = reestimate_batchnorm(run.G, seed=plan.seed)
                save_atomically(early.state_dict(), run_dir / "generator-early.pt")
                _save_grid(early, run_dir / "samples-early.png")
            if run.step % plan.log_every == 0 or run.step in (plan.gan_steps, total):
                record = {"step": run.step, "phase": "gan" if run.step <= plan.gan_steps else "encoder",
                          "minutes": round(run.seconds / 60, 2),
                          "loss": {k: round(sum(x[k] for x in losses) / len(losses), 4) for k in losses[0]}}
                losses = []
                run.history.append(record)
                log_file.write(json.dumps(record) + "\n")
                log_file.flush()
                log(json.dumps(record))
            if run.step % 500 == 0 and run.step <= plan.gan_steps:
                _save_grid(reestimate_batchnorm(run.G, batches=10, seed=plan.seed), run_dir / f"samples-{run.step}.png")
            if run.step % plan.checkpoint_every == 0 or run.step == total:
                run.save()
    if export:
        export_weights(run, WEIGHTS_DIR if export is True else Path(export))
    return True


def export_weights(run: Run, folder: Path) -> None:
    """Generator (batch norm re-estimated), discriminator, encoder and the earlier generator into
    `folder`, then the card (figures recomputed by models.gan.evaluate)."""
    folder.mkdir(parents=True, exist_ok=True)
    plan = run.plan
    config = {"nz": plan.nz, "width": plan.width, "size": plan.size}
    frozen = run.frozen_G if run.frozen_G is not None else reestimate_batchnorm(run.G, seed=plan.seed)
    save_atomically({"config": config, "state": frozen.state_dict()}, folder / "generator.pt")
    save_atomically({"config": config, "state": run.D.state_dict()}, folder / "discriminator.pt")
    save_atomically({"config": config, "state": run.E.state_dict()}, folder / "encoder.pt")
    early = torch.load(run.run_dir / "generator-early.pt", weights_only=True)
    save_atomically({"config": config, "state": early, "step": plan.early_step}, folder / "generator-early.pt")
    _save_grid(frozen, folder / "samples.png")
    training = {"plan": asdict(plan), "steps": run.step, "wall_time_minutes": round(run.seconds / 60, 1),
                "history": run.history[-1:], "training_images": int(len(run.data["train"])),
                "held_out_images": int(len(run.data["held_out"]))}
    (folder / "training.json").write_text(json.dumps(training, indent=2) + "\n")
    run.log(f"wrote weights to {folder}; computing the card (marginalia evaluate gan)")
    from models.gan import evaluate  # imported late: the card code is independent of training

    evaluate.write_card(folder)


def cli(argv: list[str]) -> int:
    """`marginalia train gan [--run-dir DIR] [--minutes M] [--threads N] [--no-export]`."""
    parser = argparse.ArgumentParser(prog="marginalia train gan", description=train.__doc__)
    parser.add_argument("--run-dir", default="data/train/gan", help="checkpoints, log and sample grids")
    parser.add_argument("--minutes", type=float, default=90.0, help="stop (resumably) after this long")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (default 1)")
    parser.add_argument("--no-export", action="store_true", help="leave models/gan/weights alone")
    args = parser.parse_args(argv)
    plan = TrainingPlan(threads=args.threads)
    train(plan, Path(args.run_dir), minutes=args.minutes, export=not args.no_export)
    return 0
