#!/usr/bin/python3
"""PyTorch twin of scoregen's compact U-Net, DSM train step and PC sample step, for bench/run.sh.

Mirrors, layer for layer, io.scoregen.core.nn.ScoreUnet as built by
UnetConfig.compact(1, EmbeddingType.POSITIONAL) (nf 32, multipliers (1, 2, 2), two residual blocks
per level, attention at the lowest level and in the middle, skip rescale 1/sqrt(2)), wrapped as
io.scoregen.core.model.ScoreModel does for VP: s(x, t) = -net(x, 999 t) / std(t).

  train step: io.scoregen.core.train.ScoreTrainer.trainStep with DSM (variance weighting, sum over
              dimensions, mean over the batch), Adam (lr 2e-4, 5000 warm-up steps), global gradient
              clip 1 and an EMA of the weights (decay 0.999 with the usual warm-up);
  sample step: one step of io.scoregen.core.sampling.PcSampler on VP with N = 1000: a Langevin
              corrector step (snr 0.16, per-example step size) then a reverse-diffusion predictor step.

Run with Debian's interpreter (python3-torch): /usr/bin/python3 bench/unet.py --threads 2
Prints "key value" lines; run.sh reads params, train_ms, sample_ms, peak_rss_train_mb and peak_rss_mb.
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn

# ---------------------------------------------------------------- network (io.scoregen.core.nn)


def variance_scaling_(weight, scale):
    """DDPM's default_init (VarianceScaling.java): uniform with variance scale / fan_avg; 0 gives zeros."""
    with torch.no_grad():
        if scale == 0:
            return weight.zero_()
        receptive = weight[0][0].numel() if weight.dim() > 2 else 1
        fan_avg = (weight.shape[1] * receptive + weight.shape[0] * receptive) / 2
        limit = math.sqrt(3 * scale / fan_avg)
        return weight.uniform_(-limit, limit)


def conv(cin, cout, kernel, scale, stride=1):
    """Conv.java: square kernel, 'same' padding (kernel // 2), bias initialised to zero."""
    c = nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2)
    variance_scaling_(c.weight, scale)
    nn.init.zeros_(c.bias)
    return c


def dense(cin, cout):
    """Dense.java: y = x W^T + b, variance scaling 1, zero bias."""
    d = nn.Linear(cin, cout)
    variance_scaling_(d.weight, 1)
    nn.init.zeros_(d.bias)
    return d


def group_norm(channels):
    """GroupNorm.forChannels: min(C/4, 32) groups, eps 1e-6, per-channel affine."""
    return nn.GroupNorm(min(channels // 4, 32), channels, eps=1e-6)


class ResnetBlock(nn.Module):
    """ResnetBlock.java: GN, SiLU, conv3x3, + Dense(temb), GN, SiLU, conv3x3 (zero init); 1x1 skip when C changes."""

    def __init__(self, cin, cout, temb_dim, skip_rescale):
        super().__init__()
        self.norm0 = group_norm(cin)
        self.conv0 = conv(cin, cout, 3, 1)
        self.temb = dense(temb_dim, cout)
        self.norm1 = group_norm(cout)
        self.conv1 = conv(cout, cout, 3, 0)
        self.skip = conv(cin, cout, 1, 1) if cin != cout else None
        self.skip_rescale = skip_rescale

    def forward(self, x, temb):
        h = self.conv0(F.silu(self.norm0(x)))
        h = h + self.temb(temb)[:, :, None, None]
        h = self.conv1(F.silu(self.norm1(h)))
        out = (x if self.skip is None else self.skip(x)) + h
        return out / math.sqrt(2) if self.skip_rescale else out


class AttnBlock(nn.Module):
    """AttnBlock.java: single-head pixel attention, one 1x1 conv for q, k, v, zero-initialised 1x1 projection."""

    def __init__(self, channels, skip_rescale):
        super().__init__()
        self.norm = group_norm(channels)
        self.qkv = conv(channels, 3 * channels, 1, 1)
        self.proj = conv(channels, channels, 1, 0)
        self.skip_rescale = skip_rescale

    def forward(self, x):
        b, c, hh, ww = x.shape
        q, k, v = self.qkv(self.norm(x)).reshape(b, 3 * c, hh * ww).split(c, dim=1)
        weights = torch.softmax(torch.bmm(q.transpose(1, 2), k) / math.sqrt(c), dim=2)
        h = torch.bmm(v, weights.transpose(1, 2)).reshape(b, c, hh, ww)
        out = x + self.proj(h)
        return out / math.sqrt(2) if self.skip_rescale else out


class Downsample(nn.Module):
    """Downsample.java: stride-2 3x3 conv."""

    def __init__(self, channels):
        super().__init__()
        self.conv = conv(channels, channels, 3, 1, stride=2)

    def forward(self, x):
        return self.conv(x)


class Upsample(nn.Module):
    """Upsample.java: nearest x2 then 3x3 conv."""

    def __init__(self, channels):
        super().__init__()
        self.conv = conv(channels, channels, 3, 1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2, mode="nearest"))


class PeriodicFeatures(nn.Module):
    """PeriodicFeatures.java: [sin(c f), cos(c f)] over fixed frequencies f [1, dim/2] (a buffer: saved, not trained)."""

    def __init__(self, frequencies):
        super().__init__()
        self.register_buffer("frequencies", frequencies)

    def forward(self, c):
        phase = c.reshape(-1, 1) * self.frequencies
        return torch.cat([phase.sin(), phase.cos()], dim=1)


class SinusoidalEmbedding(PeriodicFeatures):
    """SinusoidalEmbedding.java: f_k = 10000^(-k/(dim/2 - 1))."""

    def __init__(self, dim):
        half = dim // 2
        k = torch.arange(half, dtype=torch.float64)
        super().__init__(torch.exp(-math.log(10000) * k / (half - 1)).float()[None, :])


class GaussianFourierProjection(PeriodicFeatures):
    """GaussianFourierProjection.java: f ~ N(0, scale^2), stored pre-multiplied by 2 pi (VE conditions on log sigma)."""

    def __init__(self, dim, scale):
        super().__init__(torch.randn(1, dim // 2) * (2 * math.pi * scale))


class ScoreUnet(nn.Module):
    """ScoreUnet.java built from a UnetConfig; the defaults are UnetConfig.compact(1, POSITIONAL).

    embedding: "positional" (EmbeddingType.POSITIONAL) or "fourier" (FOURIER, with fourier_scale).
    """

    def __init__(self, image_channels=1, nf=32, mults=(1, 2, 2), res_blocks=2, attention=True, skip_rescale=True,
                 embedding="positional", fourier_scale=16.0):
        super().__init__()
        temb_dim = 4 * nf
        levels = len(mults)
        if embedding == "positional":
            self.features = SinusoidalEmbedding(nf)
        elif embedding == "fourier":
            self.features = GaussianFourierProjection(nf, fourier_scale)
        else:
            raise ValueError(f"unknown embedding {embedding!r}")
        self.dense0 = dense(nf, temb_dim)
        self.dense1 = dense(temb_dim, temb_dim)
        self.input = conv(image_channels, nf, 3, 1)
        # Stages in execution order: (kind, module, pushes a skip), as ScoreUnet.Stage.
        stages = []
        skip_channels = [nf]
        ch = nf
        for level in range(levels):
            out = nf * mults[level]
            attn_here = attention and level == levels - 1
            for _ in range(res_blocks):
                stages.append(("res", ResnetBlock(ch, out, temb_dim, skip_rescale), not attn_here))
                ch = out
                if attn_here:
                    stages.append(("attn", AttnBlock(ch, skip_rescale), True))
                skip_channels.append(ch)
            if level < levels - 1:
                stages.append(("down", Downsample(ch), True))
                skip_channels.append(ch)
        stages.append(("res", ResnetBlock(ch, ch, temb_dim, skip_rescale), False))
        if attention:
            stages.append(("attn", AttnBlock(ch, skip_rescale), False))
        stages.append(("res", ResnetBlock(ch, ch, temb_dim, skip_rescale), False))
        for level in reversed(range(levels)):
            out = nf * mults[level]
            attn_here = attention and level == levels - 1
            for _ in range(res_blocks + 1):
                stages.append(("up_res", ResnetBlock(ch + skip_channels.pop(), out, temb_dim, skip_rescale), False))
                ch = out
                if attn_here:
                    stages.append(("attn", AttnBlock(ch, skip_rescale), False))
            if level > 0:
                stages.append(("up", Upsample(ch), False))
        self.kinds = [kind for kind, _, _ in stages]
        self.pushes = [push for _, _, push in stages]
        self.stages = nn.ModuleList(module for _, module, _ in stages)
        self.output_norm = group_norm(ch)
        self.output = conv(ch, image_channels, 3, 0)

    def forward(self, x, c):
        # As ScoreNetwork.distinctConditioning: one embedding when every example has the same c.
        if bool((c == c[0]).all()):
            c = c[:1]
        temb = F.silu(self.dense1(F.silu(self.dense0(self.features(c)))))
        h = self.input(x)
        skips = [h]
        for kind, module, push in zip(self.kinds, self.stages, self.pushes):
            if kind == "res":
                h = module(h, temb)
            elif kind == "up_res":
                h = module(torch.cat([h, skips.pop()], dim=1), temb)
            else:
                h = module(h)
            if push:
                skips.append(h)
        return self.output(F.silu(self.output_norm(h)))


# ---------------------------------------------------------------- VP SDE and score (sde.VpSde, model.ScoreModel)

BETA_MIN, BETA_MAX, N, EPS = 0.1, 20.0, 1000, 1e-3
DISCRETE_BETAS = [BETA_MIN / N + i / (N - 1) * (BETA_MAX - BETA_MIN) / N for i in range(N)]


def log_mean_coef(t):
    return -0.25 * t * t * (BETA_MAX - BETA_MIN) - 0.5 * t * BETA_MIN


def mean_coef(t):
    return torch.exp(log_mean_coef(t))


def marginal_std(t):
    """sqrt(1 - e^{2m(t)}), the difference taken in float64 as VpSde does."""
    wide = t.double()
    return torch.sqrt((1 - torch.exp(2 * log_mean_coef(wide))).float())


def score(net, x, t):
    """ScoreModel (VP): s(x, t) = -net(x, 999 t) / std(t)."""
    return -net(x, 999 * t) / marginal_std(t)[:, None, None, None]


def step_index(t):
    return max(0, min(N - 1, int(t * (N - 1))))


# ---------------------------------------------------------------- training (train.ScoreTrainer, DenoisingScoreMatching, Adam, Ema)


class Trainer:
    def __init__(self, net, data, batch, lr=2e-4, warmup=5000, grad_clip=1.0, ema_decay=0.999):
        self.net, self.data, self.batch = net, data, batch
        self.params = [p for p in net.parameters() if p.requires_grad]
        self.lr, self.warmup, self.grad_clip, self.ema_decay = lr, warmup, grad_clip, ema_decay
        self.adam = torch.optim.Adam(self.params, lr=lr, betas=(0.9, 0.999), eps=1e-8)
        self.shadows = [p.detach().clone() for p in self.params]
        self.step = 0

    def train_step(self):
        indices = torch.randint(self.data.shape[0], (self.batch,))
        x0 = self.data[indices]
        t = EPS + (1 - EPS) * torch.rand(self.batch)
        z = torch.randn_like(x0)
        std = marginal_std(t)[:, None, None, None]
        xt = x0 * mean_coef(t)[:, None, None, None] + z * std
        s = score(self.net, xt, t)
        loss = (s * std + z).square().reshape(self.batch, -1).sum(dim=1).mean()
        self.adam.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.params, self.grad_clip)
        for group in self.adam.param_groups:
            group["lr"] = self.lr * min(1.0, (self.step + 1) / self.warmup) if self.warmup > 0 else self.lr
        self.adam.step()
        with torch.no_grad():
            rate = 1 - min(self.ema_decay, (1.0 + self.step) / (10.0 + self.step))
            for shadow, p in zip(self.shadows, self.params):
                shadow.sub_((shadow - p).mul_(rate))
        self.step += 1
        return loss.item()


# ---------------------------------------------------------------- sampling (sampling.PcSampler, LangevinCorrector, ReverseDiffusionPredictor)

SNR = 0.16


def per_example_norm(a):
    return a.reshape(a.shape[0], -1).square().sum(dim=1).sqrt()


@torch.no_grad()
def pc_step(net, x, t):
    """One PcSampler step at time t: Langevin corrector (one step) then reverse-diffusion predictor."""
    beta = DISCRETE_BETAS[step_index(t)]
    times = torch.full((x.shape[0],), t)
    # corrector: eps = 2 alpha (r ||z|| / ||s||)^2 per example
    s = score(net, x, times)
    z = torch.randn_like(x)
    epsilon = (2 * (1 - beta) * (SNR * per_example_norm(z) / per_example_norm(s)).square())[:, None, None, None]
    x = x + s * epsilon + z * (2 * epsilon).sqrt()
    # predictor: x_mean = x - f + G^2 s, x = x_mean + G z, with f = (sqrt(1 - beta) - 1) x and G = sqrt(beta)
    f_coef, g = math.sqrt(1 - beta) - 1, math.sqrt(beta)
    s = score(net, x, times)
    mean = x * (1 - f_coef) + s * (g * g)
    return mean + torch.randn_like(x) * g, mean


# ---------------------------------------------------------------- benchmark


def peak_rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def timed_median_ms(step, warmup, steps):
    """Runs warmup untimed steps, then steps timed ones; the median per-step wall time in ms."""
    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--examples", type=int, default=1024, help="random training examples in [-1, 1]")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)

    net = ScoreUnet()
    print("engine", "pytorch", torch.__version__)
    print("threads", torch.get_num_threads())
    print("params", sum(p.numel() for p in net.parameters() if p.requires_grad))

    data = torch.rand(args.examples, 1, 28, 28) * 2 - 1
    trainer = Trainer(net, data, args.batch)
    print("train_ms", f"{timed_median_ms(trainer.train_step, args.warmup, args.steps):.2f}")
    print("peak_rss_train_mb", f"{peak_rss_mb():.1f}")

    state = {"x": torch.randn(args.batch, 1, 28, 28), "i": 0}

    def sample_step():
        t = 1 + state["i"] * (EPS - 1) / (N - 1)
        state["x"], _ = pc_step(net, state["x"], t)
        state["i"] += 1

    if args.warmup + args.steps > N:
        raise SystemExit(f"at most {N} sample steps")
    print("sample_ms", f"{timed_median_ms(sample_step, args.warmup, args.steps):.2f}")
    print("peak_rss_mb", f"{peak_rss_mb():.1f}")


if __name__ == "__main__":
    main()
