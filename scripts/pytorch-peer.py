"""The PyTorch peer of `npm run bench`: one SGD training step of the same models, timed the same way.

Not a dependency of the harness: it runs with Debian's PyTorch and OpenBLAS (`apt install
python3-torch libopenblas0-pthread`, then `/usr/bin/python3 scripts/pytorch-peer.py`; without
OpenBLAS, Debian's PyTorch falls back to the reference BLAS, 7x slower), on random data of covertype's shape (54
features, 7 classes), because only the shapes matter for the time of a step.

Models, as qatbench builds them (src/model/mlp.ts, src/model/tabformer.ts):
- mlp: 54-512x4-7, ReLU;
- tabformer: one token per feature (a linear embedding of each column) plus a learned [CLS]
  token and feature embedding, d 64, 4 heads, 2 pre-LayerNorm blocks (attention, ReLU
  feed-forward 128), a final LayerNorm and a head on [CLS]; `--tokens 13` groups covertype's
  4 wilderness and 40 soil one-hot columns into 2 categorical tokens.
Fake quantization (`w4a8`): every linear layer's weights per output neuron at 4 bits
(symmetric, scale max|w| / 7) and its input at 8 bits with a learned clip per column (signed
where the input can be negative), both with straight-through gradients, as a per-neuron QAT
step costs in PyTorch.

Prints the median and quartiles of the step time in ms over `--steps` steps after warm-up.
`npm run bench -- --peer` runs it after qatbench's cases and puts its rows in the same table.
"""
import argparse
import json
import os
import statistics
import time

# One BLAS thread, as one wasm thread: Debian's OpenBLAS (libopenblas0-pthread) would otherwise take every core.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402  (after the thread setting, which OpenBLAS reads when it loads)
from torch import nn  # noqa: E402


def fake_quant_weight(w: torch.Tensor, bits: int) -> torch.Tensor:
    """Per output neuron (row of a torch [out, in] weight), symmetric, straight-through."""
    n = 2 ** (bits - 1) - 1
    scale = w.detach().abs().amax(dim=1, keepdim=True).clamp_min(1e-8) / n
    q = torch.round(w / scale).clamp(-n, n) * scale
    return w + (q - w).detach()


def fake_quant_activation(a: torch.Tensor, alpha: torch.Tensor, bits: int, signed: bool) -> torch.Tensor:
    """Clip to [-alpha, alpha] (or [0, alpha]) per column with PACT's gradient to alpha, then round straight-through."""
    low = -alpha if signed else torch.zeros_like(alpha)
    clipped = torch.minimum(torch.maximum(a, low), alpha)
    levels = 2 ** (bits - 1) - 1 if signed else 2**bits - 1
    step = alpha.detach() / levels
    q = torch.round(clipped / step) * step
    return clipped + (q - clipped).detach()


class QuantLinear(nn.Linear):
    def __init__(self, fan_in: int, fan_out: int, quantize: bool, signed_input: bool):
        super().__init__(fan_in, fan_out)
        self.quantize = quantize
        self.signed_input = signed_input
        self.alpha = nn.Parameter(torch.full((fan_in,), 3.0))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.quantize:
            return super().forward(x)
        x = fake_quant_activation(x, self.alpha, 8, self.signed_input)
        return nn.functional.linear(x, fake_quant_weight(self.weight, 4), self.bias)


class Mlp(nn.Module):
    def __init__(self, features: int, classes: int, quantize: bool):
        super().__init__()
        widths = [features, 512, 512, 512, 512, classes]
        # The first layer reads the float features (qatbench quantizes hidden activations only).
        self.layers = nn.ModuleList(
            QuantLinear(widths[i], widths[i + 1], quantize and i > 0, False) if i > 0 else QuantWeightsOnly(widths[0], widths[1], quantize)
            for i in range(len(widths) - 1)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = torch.relu(x)
        return x


class QuantWeightsOnly(nn.Linear):
    """A layer whose input stays float (the data): only its weights are fake-quantized."""

    def __init__(self, fan_in: int, fan_out: int, quantize: bool):
        super().__init__(fan_in, fan_out)
        self.quantize = quantize

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weight = fake_quant_weight(self.weight, 4) if self.quantize else self.weight
        return nn.functional.linear(x, weight, self.bias)


class Block(nn.Module):
    def __init__(self, d: int, heads: int, ff: int, quantize: bool):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(d)
        self.norm2 = nn.LayerNorm(d)
        self.q, self.k, self.v, self.o = (QuantLinear(d, d, quantize, True) for _ in range(4))
        self.ff1 = QuantLinear(d, ff, quantize, True)
        self.ff2 = QuantLinear(ff, d, quantize, False)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        samples, tokens, d = h.shape
        a = self.norm1(h)
        split = lambda t: t.reshape(samples, tokens, self.heads, d // self.heads).transpose(1, 2)
        q, k, v = split(self.q(a)), split(self.k(a)), split(self.v(a))
        scores = torch.softmax(q @ k.transpose(-1, -2) / (d // self.heads) ** 0.5, dim=-1)
        attended = (scores @ v).transpose(1, 2).reshape(samples, tokens, d)
        h = h + self.o(attended)
        return h + self.ff2(torch.relu(self.ff1(self.norm2(h))))


class TabFormer(nn.Module):
    def __init__(self, features: int, tokens: int, classes: int, quantize: bool, d=64, heads=4, blocks=2, ff=128):
        super().__init__()
        self.cells, self.d = tokens, d
        # One embedding product for every token (qatbench masks a [features, cells * d] matrix by group).
        self.embedding = nn.Linear(features, tokens * d, bias=False)
        self.position = nn.Parameter(torch.zeros(tokens * d))
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        self.blocks = nn.ModuleList(Block(d, heads, ff, quantize) for _ in range(blocks))
        self.norm = nn.LayerNorm(d)
        self.head = QuantLinear(d, classes, quantize, True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        samples = x.shape[0]
        content = (self.embedding(x) + self.position).reshape(samples, self.cells, self.d)
        h = torch.cat([self.cls.expand(samples, 1, self.d), content], dim=1)
        for block in self.blocks:
            h = block(h)
        return self.head(self.norm(h[:, 0]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=["mlp", "tabformer"], default="mlp")
    parser.add_argument("--tokens", type=int, default=54, help="tabformer feature tokens (54: one per column; 13: one-hot groups as categories)")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="one JSON object per case (for npm run bench -- --peer)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    features, classes = 54, 7
    x = torch.rand(args.batch, features)
    y = torch.randint(0, classes, (args.batch,))
    for case in ["fp32", "w4a8"]:
        quantize = case == "w4a8"
        model = Mlp(features, classes, quantize) if args.model == "mlp" else TabFormer(features, args.tokens, classes, quantize)
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
        times = []
        for step in range(args.warmup + args.steps):
            start = time.perf_counter()
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            if step >= args.warmup:
                times.append((time.perf_counter() - start) * 1000)
        q = statistics.quantiles(times, n=4)
        if args.json:
            print(json.dumps({"case": case, "version": torch.__version__, "samples": len(times), "median": statistics.median(times), "p25": q[0], "p75": q[2]}))
            continue
        print(f"pytorch {torch.__version__} {args.model} {case}: {statistics.median(times):.1f} ms/step (p25-p75 {q[0]:.1f}-{q[2]:.1f}), "
              f"batch {args.batch}, {args.threads} thread(s){f', {args.tokens} feature tokens' if args.model == 'tabformer' else ''}")


if __name__ == "__main__":
    main()
