#!/usr/bin/env python
"""Training benchmark (`python scripts/bench.py --train`, or this file directly): the time of one optimiser step
(forward, backward, gradient clipping, update, EMA) of the models users train, and how close it comes to the machine.

Workloads: the demo's tiny tokenizer (`tiny_style`, batch 32, pixel loss only, as `hita_nb demo` trains it), the
demo's tiny GPT (4 layers, width 128, batch 32 x 72 tokens), GPT-B at batch 8 x 569 tokens and the Hita-V tokenizer at
batch 2 and 336 px (pixel and semantic losses; no LPIPS or GAN, whose weights may be absent, and random DINOv2
weights, which do not change the cost), each in fp32 and with bf16 autocast, each by two paths that alternate within
every round:
- plain: PyTorch's default Adam/AdamW on this device (a loop over the tensors on CPU), an EMA updated tensor by
  tensor, and (tiny_style's recolouring) the whole batch encoded a second time: what the trainers did before;
- fast: what the trainers do now (`hita_nb.engine.make_optimizer` with impl='auto': the fused kernel; the EMA as one
  multi-tensor lerp; only the recoloured images encoded again, `RECOLOUR_SUBSET`);
- compiled (only with --compile): the fast path with the model's forward under `torch.compile` (the first step, which
  compiles, is reported separately as compile_s).
The tiny tokenizer is timed after its holistic warm-up (recolouring on, as in most of the demo's steps). Data
loading is not part of the step here (fixed inputs); the trainers' loader renders a ShapeStyles step in one call.
FLOPs are counted by `torch.utils.flop_counter.FlopCounterMode` over one whole step (forward and backward); efficiency
= each path's own FLOPs at the best fp32 matmul rate measured in the run (the bf16 rows too: on a CPU without bf16 dot products
the bf16 rate is far lower, and the fp32 rate is the one a user compares with) / the median step time; the bf16 rows
also at the best bf16 matmul rate ('own'). Last, per workload, the precision the trainers' `--precision auto` takes on
this machine (notebook 02: bf16 where the CPU's bf16 products are at least twice as fast as fp32's and the model's step
at least 1.2 times faster under autocast), judged here from the fast path's step times.
"""
import argparse, copy, json, statistics, time, platform
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode
from hita_nb.core import provenance, autocast
from hita_nb.config import TokenizerConfig, GPTConfig
from hita_nb.engine import EMA, make_optimizer
from hita_nb.tokenizer.load import build_tokenizer
from hita_nb.tokenizer.losses import TokenizerLoss
from hita_nb.ar.model import HitaGPT
from hita_nb.engine import decay_groups

MATMUL: list = []        # fp32 matmul rates measured in the run
MATMUL_BF16: list = []   # bf16


def matmul_rate(n=2048, dtype=torch.float32) -> float:
    "matmul FLOP/s in `dtype`, best of 5."
    a, b = torch.randn(n, n).to(dtype), torch.randn(n, n).to(dtype)
    a @ b
    ts = []
    for _ in range(5):
        t = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t)
    (MATMUL if dtype == torch.float32 else MATMUL_BF16).append(2 * n ** 3 / min(ts)); return 2 * n ** 3 / min(ts)


def plain_ema(ema: EMA, model: nn.Module):
    "The EMA update as a loop of lerp_ calls, one per tensor (the baseline)."
    with torch.no_grad():
        src = dict(model.named_parameters())
        for k, p in ema.model.named_parameters(): p.lerp_(src[k].detach(), 1 - ema.decay)
        srcb = dict(model.named_buffers())
        for k, b in ema.model.named_buffers(): b.copy_(srcb[k])


class Step:
    "One training step of `model` on fixed inputs, by path 'plain', 'fast' or 'compiled'."
    def __init__(self, model, loss_fn, inputs, kind, path, dtype, groups=None):
        self.model, self.loss_fn, self.inputs, self.path = model, loss_fn, inputs, path
        params = groups(model) if groups else model.parameters()
        lr = dict(lr=1e-5, betas=(0.9, 0.95))
        cls = {'adam': torch.optim.Adam, 'adamw': torch.optim.AdamW}[kind]
        self.opt = cls(params, **lr) if path == 'plain' else make_optimizer(params, kind, 'auto', **lr)
        self.ema = EMA(model, 0.999)
        self.fwd = torch.compile(model, dynamic=False) if path == 'compiled' else model   # static shapes: tiny_style re-encodes a varying subset
        self.amp = autocast(torch.device('cpu'), torch.bfloat16) if dtype == 'bf16' else autocast('cpu')

    def __call__(self):
        import hita_nb.tokenizer.model as tm
        was = tm.RECOLOUR_SUBSET; tm.RECOLOUR_SUBSET = self.path != 'plain'   # plain: the whole batch encoded again, as first written
        try:
            with self.amp: loss = self.loss_fn(self.fwd, *self.inputs)
        finally: tm.RECOLOUR_SUBSET = was
        self.opt.zero_grad(set_to_none=True); loss.backward()
        nn.utils.clip_grad_norm_(self.model.parameters(), 1.0); self.opt.step()
        if self.path == 'plain': plain_ema(self.ema, self.model)
        else: self.ema.update(self.model)


def tokenizer_workload(preset, batch, **cfg):
    tcfg = TokenizerConfig.preset(preset, **cfg)
    torch.manual_seed(0)
    model = build_tokenizer(tcfg, 'random' if tcfg.semantic != 'none' else '').train()
    if tcfg.holistic_warmup: model.slot_quantize.warmup_step.fill_(tcfg.holistic_warmup + 1)   # time a step after the warm-up
    crit = TokenizerLoss(None, None, 'l2', True, 1.0, 0.0, 0.5, 10 ** 9, False, 1.0)
    x = torch.randn(batch, 3, tcfg.image_size, tcfg.image_size).clamp(-1, 1)
    def loss_fn(f, x): return crit.generator_loss(x, f(x), 0, model.decoder.last_layer)[0]
    return model, loss_fn, (x,), 'adam', None, batch, 'images'


def gpt_workload(name, batch, tok_preset, **over):
    tok = TokenizerConfig.preset(tok_preset)
    cfg = GPTConfig.for_tokenizer(tok, name, num_classes=10 if name == 'tiny' else 1000, **over)
    torch.manual_seed(0)
    model = HitaGPT(cfg).train()
    y = torch.randint(0, cfg.num_classes, (batch,))
    h = torch.randint(0, cfg.vocab_size, (batch, cfg.num_holistic)); p = torch.randint(0, cfg.vocab_size, (batch, cfg.block_size))
    def loss_fn(f, y, h, p): return f(y, h, p)[1]['loss']
    return model, loss_fn, (y, h, p), 'adamw', lambda m: decay_groups(m, 0.05), batch * (cfg.num_holistic + cfg.block_size), 'tokens'


WORKLOADS = {
    'tiny tokenizer (demo)': lambda: tokenizer_workload('tiny_style', 32),
    'tiny GPT (demo)': lambda: gpt_workload('tiny', 32, 'tiny', n_layer=4, n_head=4, dim=128),
    'GPT-B': lambda: gpt_workload('B', 8, 'hita_v'),
    'Hita-V tokenizer 336px': lambda: tokenizer_workload('hita_v', 2),
}


def count_flops(step: Step) -> float:
    fc = FlopCounterMode(display=False)
    with fc: step()
    return fc.get_total_flops()


def bench(name, dtype, paths, repeat, warmup=1):
    model, loss_fn, inputs, kind, groups, items, unit = WORKLOADS[name]()
    steps, compile_s, flops = {}, {}, {}
    for path in paths:
        m = copy.deepcopy(model)
        steps[path] = Step(m, loss_fn, inputs, kind, path, dtype, groups)
        t = time.perf_counter()
        if path == 'compiled': steps[path](); compile_s[path] = time.perf_counter() - t
        flops[path] = count_flops(steps[path])   # each path's own count (the fast one may do less work); also its warm-up
        for _ in range(warmup - 1): steps[path]()
    times = {p: [] for p in paths}
    for _ in range(repeat):
        matmul_rate(dtype=torch.float32 if dtype == 'fp32' else torch.bfloat16)
        for p in paths:
            t = time.perf_counter(); steps[p](); times[p].append(time.perf_counter() - t)
    rows = []
    for p in paths:
        med = statistics.median(times[p])
        rows.append(dict(workload=name, path=p, dtype=dtype, items_per_step=items, unit=unit, gflop=flops[p] / 1e9,
                         median_ms=med * 1e3, min_ms=min(times[p]) * 1e3, max_ms=max(times[p]) * 1e3, runs=repeat,
                         per_s=items / med, **({'compile_s': compile_s[p]} if p in compile_s else {})))
    base = rows[0]['median_ms']
    for r in rows: r['speedup_vs_plain'] = base / r['median_ms']
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--workloads', nargs='*', default=list(WORKLOADS), help=f'a subset of {list(WORKLOADS)}')
    p.add_argument('--dtypes', nargs='*', default=['fp32', 'bf16'], choices=['fp32', 'bf16'])
    p.add_argument('--repeat', type=int, default=5, help='timed steps per path (the tiny workloads take 4 times as many)')
    p.add_argument('--compile', action='store_true', help='also time the fast path with torch.compile (compiling takes minutes on CPU)')
    p.add_argument('--json', default='', help='also write the results here')
    a = p.parse_args(argv)
    unknown = set(a.workloads) - set(WORKLOADS)
    if unknown: p.error(f'unknown workloads {sorted(unknown)}; known: {list(WORKLOADS)}')
    paths = ['plain', 'fast'] + (['compiled'] if a.compile else [])
    res = dict(cpu=platform.processor() or platform.machine(), threads=torch.get_num_threads(), torch=torch.__version__,
               provenance=provenance(seeds=0))
    rows = []
    for name in a.workloads:
        for dt in a.dtypes:
            for r in bench(name, dt, paths, a.repeat * (4 if 'tiny' in name else 1)):
                rows.append(r)
                print(f"{name + ' ' + r['path']:<36} {dt:<5} {r['median_ms']:9.1f} ms ({r['min_ms']:.1f}-{r['max_ms']:.1f})  "
                      f"{r['per_s']:9.3g} {r['unit']}/s  x{r['speedup_vs_plain']:.2f} vs plain"
                      + (f"  compile {r['compile_s']:.0f} s" if 'compile_s' in r else ''), flush=True)
    if not MATMUL: matmul_rate()
    if 'bf16' in a.dtypes and not MATMUL_BF16: matmul_rate(dtype=torch.bfloat16)
    best, best16 = max(MATMUL), max(MATMUL_BF16) if MATMUL_BF16 else None
    res['matmul_fp32_best_gflops'] = best / 1e9
    res['matmul_fp32_all_gflops'] = [x / 1e9 for x in MATMUL]
    if best16: res['matmul_bf16_best_gflops'] = best16 / 1e9; res['matmul_bf16_all_gflops'] = [x / 1e9 for x in MATMUL_BF16]
    print(f'\nFinal table: efficiency = counted FLOPs at the best fp32 matmul rate of the run ({best / 1e9:.0f} GFLOP/s) / median step time'
          + (f'; own = bf16 rows at the best bf16 rate ({best16 / 1e9:.0f} GFLOP/s)' if best16 else ''))
    print(f"{'workload':<28} {'path':<9} {'dtype':<5} {'GFLOP':>8} {'ms/step':>9} {'per s':>10} {'eff':>5} {'own':>5} {'vs plain':>8}")
    for r in rows:
        r['efficiency'] = r['gflop'] * 1e9 / best / (r['median_ms'] / 1e3)
        if r['dtype'] == 'bf16' and best16: r['efficiency_own_dtype'] = r['gflop'] * 1e9 / best16 / (r['median_ms'] / 1e3)
        own = f"{r['efficiency_own_dtype']:5.0%}" if 'efficiency_own_dtype' in r else f"{'':5}"
        print(f"{r['workload']:<28} {r['path']:<9} {r['dtype']:<5} {r['gflop']:8.1f} {r['median_ms']:9.1f} "
              f"{r['per_s']:10.3g} {r['efficiency']:5.0%} {own} {r['speedup_vs_plain']:8.2f}")
    res['results'] = rows
    if {'fp32', 'bf16'} <= set(a.dtypes):
        ratio = best16 / best
        res['matmul_bf16_over_fp32'] = ratio
        print(f'\n--precision auto on this machine (bf16 matmul at {ratio:.2f} x the fp32 rate):')
        res['auto_precision'] = {}
        for name in a.workloads:
            t = {r['dtype']: r['median_ms'] for r in rows if r['workload'] == name and r['path'] == 'fast'}
            pick = 'bf16' if ratio >= 2 and t['fp32'] >= 1.2 * t['bf16'] else 'fp32'
            res['auto_precision'][name] = dict(pick=pick, fp32_over_bf16=t['fp32'] / t['bf16'])
            print(f"  {name:<28} {pick}  (fast step: bf16 x{t['fp32'] / t['bf16']:.2f} the speed of fp32)")
    if a.json:
        with open(a.json, 'w') as f: json.dump(res, f, indent=1)
    return res


if __name__ == '__main__':
    main()
