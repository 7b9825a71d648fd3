#!/usr/bin/env python
"""Roofline benchmark: how close sampling and tokenizing come to what this machine can do.

In one run it measures the machine (fp32 and bf16 matmul rate, memory bandwidth), computes for every workload a floor
(the time its weight bytes take to stream from memory once per decode step, or its FLOPs at the measured matmul rate,
whichever is larger), times the workload (median of several runs, with min and max), and prints
efficiency = floor / achieved time, as a table and as JSON (--json). It runs unchanged on CPU and on a CUDA GPU.

Workloads: GPT sampling with classifier-free guidance (cond + null rows in one forward, static KV cache) for GPT-B and
tiny, batch 1 and 8, fp32 and bf16 weights; Hita-V tokenizer encode and decode at 336 px, batch 1 and 4 (without the
DINOv2 branch unless --with-dinov2, since its weights may be absent; random weights, which do not change the cost).
"""
import argparse, json, statistics, time, platform
import torch
from hita_nb.config import GPTConfig, TokenizerConfig
from hita_nb.ar.model import HitaGPT
from hita_nb.ar.generate import generate
from hita_nb.tokenizer.model import HitaTokenizer


def sync(dev):
    if dev.type == 'cuda': torch.cuda.synchronize()


def timeit(fn, dev, repeat=5, warmup=1):
    for _ in range(warmup): fn(); sync(dev)
    ts = []
    for _ in range(repeat):
        t = time.perf_counter(); fn(); sync(dev); ts.append(time.perf_counter() - t)
    return dict(median=statistics.median(ts), min=min(ts), max=max(ts), runs=repeat)


def machine(dev, dtype):
    "Matmul rate (FLOP/s) at a large square size and memory bandwidth (B/s) of a large copy, for `dtype`."
    n = 2048 if dev.type == 'cpu' else 8192
    a, b = torch.randn(n, n, device=dev, dtype=dtype), torch.randn(n, n, device=dev, dtype=dtype)
    t = timeit(lambda: a @ b, dev, repeat=5)['median']
    flops = 2 * n ** 3 / t
    m = (256 << 20) // 4
    x = torch.empty(m, device=dev, dtype=torch.float32); y = torch.empty_like(x)
    t = timeit(lambda: y.copy_(x), dev, repeat=5)['median']
    return flops, 2 * x.numel() * 4 / t   # a copy reads and writes every byte


def gpt_floor(model, rows, mm_rate, bw, dtype_bytes):
    "Floor of one decode step: weight bytes once / bandwidth, or 2 x params x rows / matmul rate, whichever is larger."
    p = sum(v.numel() for v in model.parameters())
    emb = model.tok_embeddings.weight.numel() + model.slot_embeddings.weight.numel() + model.cls_embedding.embedding_table.weight.numel()
    dense = p - emb   # embedding tables are looked up, not streamed
    return max(dense * dtype_bytes / bw, 2 * dense * rows / mm_rate), dense


def bench_gpt(name, tok_cfg, dev, batch, dtype, mm, bw, cfg_scale=4.0, tokens=32, repeat=3):
    cfg = GPTConfig.for_tokenizer(tok_cfg, name)
    m = HitaGPT(cfg).to(dev).eval().to(dtype)
    torch.nn.init.normal_(m.output.weight, std=0.02)   # the zero-init head would make sampling trivial
    rows = 2 * batch
    floor, dense = gpt_floor(m, rows, mm, bw, torch.finfo(dtype).bits // 8)
    n_total = cfg.num_holistic + cfg.block_size
    cond = torch.arange(batch, device=dev) % cfg.num_classes
    # time the last `tokens` decode steps: everything before is a prefix (its one prefill pass is included, and small)
    g = torch.Generator(device=dev).manual_seed(0)
    pre_h = torch.randint(cfg.vocab_size, (batch, cfg.num_holistic), device=dev, generator=g)
    pre_p = torch.randint(cfg.vocab_size, (batch, cfg.block_size - tokens), device=dev, generator=g)
    with torch.inference_mode():
        t_full = timeit(lambda: generate(m, cond, cfg_scale=cfg_scale, prefix_holistic=pre_h, prefix_patch=pre_p), dev, repeat)
    step = {k: (v / tokens if k != 'runs' else v) for k, v in t_full.items()}
    return dict(workload=f'GPT-{name} sample CFG', batch=batch, dtype=str(dtype).split('.')[-1], rows=rows, params_streamed=dense,
                floor_ms=floor * 1e3, achieved_ms=step['median'] * 1e3, min_ms=step['min'] * 1e3, max_ms=step['max'] * 1e3,
                tokens_per_s=batch / step['median'], efficiency=floor / step['median'], sequence=n_total, timed_tokens=tokens)


def conv_flops(model, x):
    "FLOPs of the convolutions and linear layers of one forward (2 x MACs), counted with hooks."
    total = [0]
    def hook(mod, inp, out):
        if isinstance(mod, torch.nn.Conv2d):
            total[0] += 2 * out.numel() * mod.in_channels // mod.groups * mod.kernel_size[0] * mod.kernel_size[1]
        elif isinstance(mod, torch.nn.Linear):
            total[0] += 2 * out.numel() * mod.in_features
    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    return hs, total


def bench_tokenizer(dev, batch, dtype, mm, repeat=3):
    cfg = TokenizerConfig.preset('hita_v', semantic='none')   # the DINOv2 branch is timed separately only with its weights
    tok = HitaTokenizer(cfg).to(dev).eval()
    x = torch.rand(batch, 3, cfg.image_size, cfg.image_size, device=dev) * 2 - 1
    out = []
    ctx = (lambda: torch.autocast(dev.type, dtype=dtype)) if dtype != torch.float32 else (lambda: torch.autocast(dev.type, enabled=False))
    with torch.inference_mode():
        h, p = tok.encode(x)
        for what, fn in [('encode', lambda: tok.encode(x)), ('decode', lambda: tok.decode(h, p))]:
            hs, total = conv_flops(tok, x)
            with ctx(): fn()
            for hh in hs: hh.remove()
            def run():
                with ctx(): fn()
            t = timeit(run, dev, repeat)
            floor = total[0] / mm
            out.append(dict(workload=f'Hita-V tokenizer {what} 336px', batch=batch, dtype=str(dtype).split('.')[-1], gflop=total[0] / 1e9,
                            floor_ms=floor * 1e3, achieved_ms=t['median'] * 1e3, min_ms=t['min'] * 1e3, max_ms=t['max'] * 1e3,
                            efficiency=floor / t['median']))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--gpt', nargs='+', default=['B', 'tiny']); p.add_argument('--batches', type=int, nargs='+', default=[1, 8])
    p.add_argument('--tokens', type=int, default=32, help='decode steps timed per sampling run')
    p.add_argument('--repeat', type=int, default=3); p.add_argument('--no-tokenizer', action='store_true')
    p.add_argument('--json', default='', help='also write the results here')
    a = p.parse_args()
    dev = torch.device(a.device)
    res = dict(device=str(dev), cpu=platform.processor() or platform.machine(), threads=torch.get_num_threads(), torch=torch.__version__)
    rates = {}
    for dt in (torch.float32, torch.bfloat16):
        mm, bw = machine(dev, dt); rates[dt] = (mm, bw)
        res[f'matmul_{str(dt).split(".")[-1]}_gflops'] = mm / 1e9
    res['bandwidth_gbs'] = rates[torch.float32][1] / 1e9
    bw = rates[torch.float32][1]
    rows = []
    tiny_tok = TokenizerConfig.preset('tiny'); full_tok = TokenizerConfig.preset('hita_v')
    for name in a.gpt:
        for b in a.batches:
            for dt in (torch.float32, torch.bfloat16):
                rows.append(bench_gpt(name, tiny_tok if name == 'tiny' else full_tok, dev, b, dt, rates[dt][0], bw, tokens=a.tokens, repeat=a.repeat))
                print(f"{rows[-1]['workload']:<28} b={b} {rows[-1]['dtype']:<8} floor {rows[-1]['floor_ms']:7.2f} ms  "
                      f"achieved {rows[-1]['achieved_ms']:7.2f} ms  ({rows[-1]['min_ms']:.2f}-{rows[-1]['max_ms']:.2f})  eff {rows[-1]['efficiency']:.0%}", flush=True)
    if not a.no_tokenizer:
        for b in (1, 4):
            for dt in (torch.float32, torch.bfloat16):
                for r in bench_tokenizer(dev, b, dt, rates[dt][0], a.repeat):
                    rows.append(r)
                    print(f"{r['workload']:<28} b={b} {r['dtype']:<8} floor {r['floor_ms']:7.1f} ms  achieved {r['achieved_ms']:7.1f} ms  "
                          f"({r['min_ms']:.1f}-{r['max_ms']:.1f})  eff {r['efficiency']:.0%}", flush=True)
    res['results'] = rows
    print(json.dumps({k: v for k, v in res.items() if k != 'results'}, indent=1))
    if a.json:
        with open(a.json, 'w') as f: json.dump(res, f, indent=1)


if __name__ == '__main__':
    main()
