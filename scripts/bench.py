#!/usr/bin/env python
"""Roofline benchmark: how close sampling and tokenizing come to what this machine can do (training: --train, see
scripts/bench_train.py).

It measures the machine (fp32 and bf16 matmul rate, memory bandwidth: the best of 5 runs, measured again before every
round of every workload, because on a shared machine they drift), computes for every workload a floor (the time its
weight and cache bytes take to stream from memory once per decode step at the bandwidth measured during its rounds, or
its FLOPs at the matmul rate of its dtype, whichever is larger), times the workload (median of several rounds, with
min and max; the paths of a workload alternate within each round), and prints efficiency = floor / achieved time, as
a table and as JSON (--json). It runs unchanged on CPU and on a CUDA GPU.

Workloads: GPT sampling with classifier-free guidance (cond + null rows in one forward, static KV cache, the loop of
`hita_nb.ar.generate.generate`) for GPT-B and tiny, batch 1 and 8, fp32 and bf16 weights, timed over decode steps in
the middle of the 569-token sequence (the cache is filled with random values up to there: the cost does not depend on
them), by three paths: plain (`generate`), fast (`generate_fast`: `hita_nb.ar.fast.FastDecoder` with the compiled CPU
kernels of notebook 40 and inverse-CDF sampling) and, on CPU, fast without the kernels (oneDNN-prepacked weights and
PyTorch's attention). Hita-V tokenizer encode and decode at 336 px, batch 1 and 4 (without the DINOv2 branch, since its
weights may be absent; random weights, which do not change the cost), with autocast for bf16, in the default memory
layout, channels-last with PyTorch's group norm, SiLU and convolutions, channels-last with the fused group norm + SiLU
kernel (CPU), then also with Winograd's 3x3 convolution kernel (CPU, fp32 only: autocast runs the convolutions in
bf16), and the last one inside `reuse_cpu_buffers()` (CPU); at batch 4 the channels-last ones in chunks of one image.
Their floor counts the FLOPs of convolutions (as direct convolutions), linear layers and the attention products at
the matmul rate. Winograd's F(2x2, 3x3) does 2.25 times fewer multiplications for a 3x3 convolution than that count,
so with it the efficiency can exceed 100 percent: the floor is then that of the direct algorithm.

The final table gives each efficiency at the best matmul rate of the whole run (strict: on a shared host the rate
drifts by up to a third with the other tenants) and, for comparison, at the median rate of the workload's own rounds
('own rate'); the bandwidth is always the workload's own.
"""
import argparse, copy, json, statistics, time, platform
import torch
from hita_nb.core import provenance
from hita_nb.config import GPTConfig, TokenizerConfig
from hita_nb.ar.model import HitaGPT
from hita_nb.tokenizer.model import HitaTokenizer
from hita_nb.kernels.build import load_kernels


def sync(dev):
    if dev.type == 'cuda': torch.cuda.synchronize()


def timeit(fn, dev, repeat=5, warmup=1):
    for _ in range(warmup): fn(); sync(dev)
    ts = []
    for _ in range(repeat):
        t = time.perf_counter(); fn(); sync(dev); ts.append(time.perf_counter() - t)
    return dict(median=statistics.median(ts), min=min(ts), max=max(ts), runs=repeat)


MATMUL_RATES: dict = {}   # every matmul rate measured in this run, per dtype: the floors use the best one


def machine(dev, dtype):
    """Matmul rate (FLOP/s) at a large square size and memory bandwidth (B/s) of a large copy, for `dtype`: the best of
    5 runs each (the machine's capability at the time: interruptions only ever slow a run down)."""
    n = 2048 if dev.type == 'cpu' else 8192
    a, b = torch.randn(n, n, device=dev, dtype=dtype), torch.randn(n, n, device=dev, dtype=dtype)
    t = timeit(lambda: a @ b, dev, repeat=5)['min']
    flops = 2 * n ** 3 / t
    MATMUL_RATES.setdefault(str(dtype).split('.')[-1], []).append(flops)
    m = (256 << 20) // 4
    x = torch.empty(m, device=dev, dtype=torch.float32); y = torch.empty_like(x)
    t = timeit(lambda: y.copy_(x), dev, repeat=5)['min']
    return flops, 2 * x.numel() * 4 / t   # a copy reads and writes every byte


def gpt_floor(model, rows, pos, mm_rate, bw, dtype_bytes):
    "Floor of one decode step at position `pos` for `rows` rows: max(bytes / bandwidth, FLOPs / matmul rate)."
    c = model.cfg
    layers = sum(v.numel() for v in model.layers.parameters())
    head = model.output.weight.numel() // 2          # one of the two heads is needed per position
    weights = layers + head + model.norm.weight.numel()
    kv_bytes = c.n_layer * 2 * rows * pos * c.kv_heads * c.head_dim * dtype_bytes   # the cache is read once
    flops = 2 * weights * rows + 4 * c.n_layer * rows * pos * c.n_head * c.head_dim
    return max((weights * dtype_bytes + kv_bytes) / bw, flops / mm_rate), weights, weights * dtype_bytes + kv_bytes, flops


@torch.no_grad()
def decode_loop(dec, draw, cond, steps, start, cfg_scale, g):
    "The per-token work of `generate` (fused cond + null rows, CFG mix, sampling) for `steps` positions from `start`."
    B = len(cond); ids = torch.zeros(B, 1, dtype=torch.long, device=cond.device)
    for pos in range(start, start + steps):
        lg = dec.decode_step(torch.cat([ids, ids]), pos)[:, -1]
        cl, ul = lg.split(B); lg = ul + (cl - ul) * cfg_scale
        ids = draw(lg, 1.0, 0, 1.0, g)[:, None]
    return ids


def sampler_paths(model, rows):
    """The samplers of `generate`: plain (the model, `sample`) and fast (`generate_fast`: `FastDecoder`, `sample_cdf`), as
    (decoder, draw) pairs; on CPU also the fast decoder without the compiled kernels of notebook 41 (oneDNN-prepacked weights and PyTorch's attention)."""
    from hita_nb.ar.sampling import sample
    from hita_nb.ar.fast import FastDecoder
    from hita_nb.ar.sampling import sample_cdf
    import os
    from hita_nb.kernels.decode import bf16_product_variant
    paths = {'plain': (model, sample)}
    fast = FastDecoder(model, rows)
    if fast.kernels: paths['fast, no kernels'] = (FastDecoder(model, rows, kernels=False), sample_cdf)
    if fast.kernels and model.output.weight.dtype == torch.bfloat16 and load_kernels().has_dpbf16():
        chosen = bf16_product_variant(); other = 'fma' if chosen == 'dpbf16' else 'dpbf16'   # the variant not chosen, beside
        os.environ['HITA_NB_BF16_PRODUCT'] = other
        try: paths[f'fast, bf16 product {other}'] = (FastDecoder(model, rows), sample_cdf)
        finally: os.environ.pop('HITA_NB_BF16_PRODUCT')
        paths[f'fast (bf16 product {chosen}: chosen)'] = (fast, sample_cdf)
    else: paths['fast'] = (fast, sample_cdf)
    return paths


def bench_gpt(name, tok_cfg, dev, batch, dtype, cfg_scale=4.0, tokens=32, repeat=3):
    """Decode steps in the middle of the sequence (the cache filled with random keys and values up to there). The paths
    alternate, and the machine's rates are measured before every round, so that drifts of the machine hit all paths
    alike and the floor is the machine's at the time (the median of the rounds' rates)."""
    cfg = GPTConfig.for_tokenizer(tok_cfg, name)
    m = HitaGPT(cfg).to(dev).eval().to(dtype)
    torch.nn.init.normal_(m.output.weight, std=0.02)   # the zero-init head would make sampling trivial
    rows, n_total = 2 * batch, cfg.num_holistic + cfg.block_size
    start = n_total // 2                                  # the average position of a full image
    cond = torch.arange(batch, device=dev) % cfg.num_classes
    m.setup_caches(rows)
    for l in m.layers: l.attention.kv_cache.k.normal_(); l.attention.kv_cache.v.normal_()
    out, paths = [], sampler_paths(m, rows)
    times, rates = {p: [] for p in paths}, []
    for _ in range(repeat):
        rates.append(machine(dev, dtype))
        for p, (dec, draw) in paths.items():
            g = torch.Generator(device=dev).manual_seed(0)
            times[p].append(timeit(lambda: decode_loop(dec, draw, cond, tokens, start, cfg_scale, g), dev, 1, warmup=1)['median'])
    m.clear_caches()
    mm, bw = statistics.median(r[0] for r in rates), statistics.median(r[1] for r in rates)
    floor, weights, nbytes, flops = gpt_floor(m, rows, start + tokens // 2, mm, bw, torch.finfo(dtype).bits // 8)
    for p, ts in times.items():
        step = dict(median=statistics.median(ts) / tokens, min=min(ts) / tokens, max=max(ts) / tokens)
        out.append(dict(workload=f'GPT-{name} sample CFG', path=p, batch=batch, dtype=str(dtype).split('.')[-1], rows=rows,
                        weights_streamed=weights, bytes_per_step=nbytes, flops_per_step=flops,
                        position=start, floor_ms=floor * 1e3, achieved_ms=step['median'] * 1e3,
                        min_ms=step['min'] * 1e3, max_ms=step['max'] * 1e3, tokens_per_s=batch / step['median'],
                        efficiency=floor / step['median'], timed_tokens=tokens, runs=repeat,
                        bandwidth_gbs=bw / 1e9, bandwidth_range_gbs=[min(r[1] for r in rates) / 1e9, max(r[1] for r in rates) / 1e9],
                        matmul_gflops=mm / 1e9))
    for r in out[1:]: r['speedup_vs_plain'] = out[0]['achieved_ms'] / r['achieved_ms']
    return out


def conv_flops(model, x):
    "FLOPs of the convolutions, linear layers and attention products of one forward (2 x MACs), counted with hooks."
    from hita_nb.tokenizer.transformer import Transformer
    total = [0]
    def hook(mod, inp, out):
        if isinstance(mod, torch.nn.Conv2d):
            total[0] += 2 * out.numel() * mod.in_channels // mod.groups * mod.kernel_size[0] * mod.kernel_size[1]
        elif isinstance(mod, torch.nn.Linear):
            total[0] += 2 * out.numel() * mod.in_features
        elif isinstance(mod, Transformer):   # q k^T and p v: 2 x 2 N^2 D per layer and image
            b, n, d = inp[0].shape
            total[0] += len(mod.layers) * 4 * b * n * n * d
    kinds = (torch.nn.Conv2d, torch.nn.Linear, Transformer)
    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, kinds)]
    return hs, total


def bench_tokenizer(dev, batch, dtype, repeat=3):
    """Encode and decode in several layouts, timed alternately: the default memory layout; channels-last with PyTorch's
    group norm, SiLU and convolutions; channels-last with the fused group norm + SiLU kernel of notebook 42 (CPU only;
    `norm_act` in notebook 44); then also Winograd's 3x3 convolutions (CPU, fp32; `conv3x3` in notebook 44); the last
    inside `reuse_cpu_buffers()` (notebook 43: freed large buffers are reused instead of fresh
    memory; timed after one warm-up pass inside the block, as a loop of calls would run); at batch > 1 the channels-last
    variants in chunks of one image (`encode(..., chunk=1)`: the activations of one 336-px image stay in the CPU's
    cache) instead of whole batches. The matmul rate is measured
    before every round; the floor uses the median of those rates (the final table also the best rate of the run)."""
    import contextlib
    from hita_nb.tokenizer.fast import use_fused_norms, use_winograd, fast_tokenizer
    from hita_nb.kernels.memory import reuse_cpu_buffers
    cfg = TokenizerConfig.preset('hita_v', semantic='none')   # the DINOv2 branch is timed separately only with its weights
    tok = HitaTokenizer(cfg).to(dev).eval()
    # a channels-last copy for the channels-last layouts (converting one model back and forth would make new weight
    # tensors every round, and the Winograd filters, computed on first use and kept on each module, again with them)
    tok_cl = fast_tokenizer(copy.deepcopy(tok))   # the fast layer (notebook 44): channels-last, its switches below
    x = torch.rand(batch, 3, cfg.image_size, cfg.image_size, device=dev) * 2 - 1
    ctx = (lambda: torch.autocast(dev.type, dtype=dtype)) if dtype != torch.float32 else (lambda: torch.autocast(dev.type, enabled=False))
    ch = 1 if batch > 1 else None
    sfx = ', chunk=1' if ch else ''
    # (channels-last, fused norms, Winograd, chunk, reused buffers)
    layouts = {'plain (official layer order)': (False, False, False, None, False), 'channels_last' + sfx: (True, False, False, ch, False)}
    if dev.type == 'cpu':
        layouts['channels_last, fused norms' + sfx] = (True, True, False, ch, False)
        if dtype == torch.float32:
            layouts['channels_last, fused norms, winograd' + sfx] = (True, True, True, ch, False)
            layouts['channels_last, fused norms, winograd, reused buffers' + sfx] = (True, True, True, ch, True)
        else: layouts['channels_last, fused norms, reused buffers' + sfx] = (True, True, False, ch, True)
    out = []
    with torch.inference_mode():
        h, p = tok.encode(x)
        for what in ('encode', 'decode'):
            fn = ((lambda t, xx, ch, n=None: t.encode(xx[:n], chunk=ch)) if what == 'encode'
                  else (lambda t, xx, ch, n=None: t.decode(h[:n], p[:n], chunk=ch)))
            hs, total = conv_flops(tok, x)
            prev_w = use_winograd(False)        # the hooks count the convolutions the modules run: PyTorch's, here
            try:
                with ctx(): fn(tok, x, None)
            finally:
                use_winograd(prev_w)
                for hh in hs: hh.remove()
            times, rates = {k: [] for k in layouts}, []
            for r in range(repeat):
                rates.append(machine(dev, dtype)[0])
                for layout, (cl, fused, wino, ch, reuse) in layouts.items():
                    model = tok_cl if cl else tok
                    xx = x.contiguous(memory_format=torch.channels_last) if cl else x.contiguous()
                    def run(n=None):
                        with ctx(): fn(model, xx, ch, n)
                    prev, prev_w = use_fused_norms(fused), use_winograd(wino)
                    try:
                        with reuse_cpu_buffers() if reuse else contextlib.nullcontext():
                            if reuse: run(ch)            # one warm-up pass (one image when chunked) fills the cache
                            times[layout].append(timeit(run, dev, 1, warmup=1 if r == 0 and not reuse else 0)['median'])
                    finally: use_fused_norms(prev); use_winograd(prev_w)
            mm = statistics.median(rates); floor = total[0] / mm
            for layout, ts in times.items():
                med = statistics.median(ts)
                out.append(dict(workload=f'Hita-V tokenizer {what} 336px', path=layout, batch=batch, dtype=str(dtype).split('.')[-1],
                                gflop=total[0] / 1e9, floor_ms=floor * 1e3, achieved_ms=med * 1e3, min_ms=min(ts) * 1e3,
                                max_ms=max(ts) * 1e3, efficiency=floor / med, runs=repeat, matmul_gflops=mm / 1e9,
                                matmul_range_gflops=[min(rates) / 1e9, max(rates) / 1e9]))
    return out


def winograd_setup_time() -> float:
    "Seconds to transform the filters of every 3x3 convolution of Hita-V's CNNs for Winograd (once per model)."
    from hita_nb.kernels.conv import winograd_weights
    tok = HitaTokenizer(TokenizerConfig.preset('hita_v', semantic='none')).eval()
    convs = [m for m in tok.modules() if isinstance(m, torch.nn.Conv2d) and m.kernel_size == (3, 3) and m.stride == (1, 1)
             and m.in_channels % 16 == 0 and m.out_channels % 16 == 0]
    t = time.perf_counter()
    for m in convs: winograd_weights(m.weight)
    return time.perf_counter() - t


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--gpt', nargs='+', default=['B', 'tiny']); p.add_argument('--batches', type=int, nargs='+', default=[1, 8])
    p.add_argument('--tokens', type=int, default=32, help='decode steps timed per sampling run')
    p.add_argument('--repeat', type=int, default=3); p.add_argument('--no-tokenizer', action='store_true')
    p.add_argument('--no-gpt', action='store_true', help='skip the GPT workloads')
    p.add_argument('--tok-batches', type=int, nargs='+', default=[1, 4], help='batches of the tokenizer workloads')
    p.add_argument('--dtypes', nargs='+', default=['fp32', 'bf16'], choices=['fp32', 'bf16'],
                   help='dtypes of the workloads (measuring the bf16 matmul rate takes minutes on a CPU without native bf16)')
    p.add_argument('--json', default='', help='also write the results here')
    p.add_argument('--train', action='store_true', help='the training benchmark instead (scripts/bench_train.py; its flags follow --train)')
    import sys
    if '--train' in sys.argv[1:]:
        import importlib.util, pathlib
        spec = importlib.util.spec_from_file_location('bench_train', pathlib.Path(__file__).with_name('bench_train.py'))
        mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
        return mod.main([x for x in sys.argv[1:] if x != '--train'])
    a = p.parse_args()
    dev = torch.device(a.device)
    res = dict(device=str(dev), cpu=platform.processor() or platform.machine(), threads=torch.get_num_threads(), torch=torch.__version__,
               provenance=provenance(seeds=0))
    if dev.type == 'cpu' and load_kernels() is not None:
        from hita_nb.kernels.decode import bf16_product_variant
        from hita_nb.kernels.build import _STATE
        res.update(kernel_isa=load_kernels().isa(), bf16_product=bf16_product_variant(), bf16_calibration=_STATE.get('bf16_calibration'),
                   has_dpbf16=load_kernels().has_dpbf16())
        print(f"CPU kernels built for {res['kernel_isa']}: bf16 products by {res['bf16_product']} (the CPU's bf16 dot product: {'yes' if res['has_dpbf16'] else 'no'}; "
              f"calibration {res['bf16_calibration']})", flush=True)
    rates = {}
    dtypes = [{'fp32': torch.float32, 'bf16': torch.bfloat16}[d] for d in a.dtypes]
    for dt in dtypes:
        mm, bw = machine(dev, dt); rates[dt] = (mm, bw)
        res[f'matmul_{str(dt).split(".")[-1]}_gflops'] = mm / 1e9
    res['bandwidth_gbs'] = rates[dtypes[0]][1] / 1e9
    bw = rates[dtypes[0]][1]
    rows = []
    tiny_tok = TokenizerConfig.preset('tiny'); full_tok = TokenizerConfig.preset('hita_v')
    for name in ([] if a.no_gpt else a.gpt):
        for b in a.batches:
            for dt in dtypes:
                for r in bench_gpt(name, tiny_tok if name == 'tiny' else full_tok, dev, b, dt, tokens=a.tokens, repeat=a.repeat):
                    rows.append(r)
                    print(f"{r['workload'] + ' ' + r['path']:<40} b={b} {r['dtype']:<8} floor {r['floor_ms']:7.2f} ms  "
                          f"achieved {r['achieved_ms']:7.2f} ms  ({r['min_ms']:.2f}-{r['max_ms']:.2f})  eff {r['efficiency']:.0%}"
                          + (f"  x{r['speedup_vs_plain']:.2f} vs plain" if 'speedup_vs_plain' in r else '')
                          + f"  [{r['bandwidth_gbs']:.1f} GB/s ({r['bandwidth_range_gbs'][0]:.1f}-{r['bandwidth_range_gbs'][1]:.1f}), "
                            f"{r['matmul_gflops']:.0f} GFLOP/s]", flush=True)
    if not a.no_tokenizer:
        if dev.type == 'cpu':
            res['winograd_filter_transform_s'] = winograd_setup_time()
            print(f"Hita-V Winograd filter transform (once per model): {res['winograd_filter_transform_s']:.2f} s", flush=True)
        for b in a.tok_batches:
            for dt in dtypes:
                for r in bench_tokenizer(dev, b, dt, a.repeat):
                    rows.append(r)
                    print(f"{r['workload'] + ' ' + r['path']:<40} b={b} {r['dtype']:<8} floor {r['floor_ms']:7.1f} ms  achieved {r['achieved_ms']:7.1f} ms  "
                          f"({r['min_ms']:.1f}-{r['max_ms']:.1f})  eff {r['efficiency']:.0%}  [{r['matmul_gflops']:.0f} GFLOP/s "
                          f"({r['matmul_range_gflops'][0]:.0f}-{r['matmul_range_gflops'][1]:.0f})]", flush=True)
    # final floors: the bandwidth of each workload's own rounds (it drifts with the other tenants of a shared machine),
    # and the best matmul rate of the whole run (a rate measured while something else ran would flatter the workload)
    best = {k: max(v) for k, v in MATMUL_RATES.items()}
    res['matmul_best_gflops'] = {k: v / 1e9 for k, v in best.items()}
    res['matmul_all_gflops'] = {k: [x / 1e9 for x in v] for k, v in MATMUL_RATES.items()}
    print(f"\nFinal table (matmul rate: the best of the run, {', '.join(f'{k} {v / 1e9:.0f}' for k, v in best.items())} GFLOP/s; "
          "bandwidth: each workload's own; 'own rate': the floor at the median matmul rate of the workload's own rounds)")
    for r in rows:
        mm = best[r['dtype']]
        r['efficiency_own_rate'] = r['efficiency']
        if 'bytes_per_step' in r: floor = max(r['bytes_per_step'] / (r['bandwidth_gbs'] * 1e9), r['flops_per_step'] / mm)
        else: floor = r['gflop'] * 1e9 / mm
        r.update(floor_ms=floor * 1e3, efficiency=floor / (r['achieved_ms'] / 1e3), matmul_own_gflops=r['matmul_gflops'], matmul_gflops=mm / 1e9)
        print(f"{r['workload'] + ' ' + r['path']:<60} b={r['batch']} {r['dtype']:<8} floor {r['floor_ms']:9.2f} ms  "
              f"achieved {r['achieved_ms']:9.2f} ms  ({r['min_ms']:.2f}-{r['max_ms']:.2f})  eff {r['efficiency']:.0%}  "
              f"(own rate {r['efficiency_own_rate']:.0%})")
    res['results'] = rows
    print(json.dumps({k: v for k, v in res.items() if k != 'results'}, indent=1))
    if a.json:
        with open(a.json, 'w') as f: json.dump(res, f, indent=1)


if __name__ == '__main__':
    main()
