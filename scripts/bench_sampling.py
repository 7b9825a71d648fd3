#!/usr/bin/env python
"""Sampling throughput of the Hita GPT: generated tokens/s with classifier-free guidance, KV cache versus no cache,
fp32 versus bf16, for the tiny and B sizes, measured side by side in one run. Random weights (speed does not depend
on them). Prints a table and writes JSON. A benchmark, not a test: numbers depend on the machine and its load.

    python scripts/bench_sampling.py                 # tiny: whole sequence; B: the first 32 tokens
    python scripts/bench_sampling.py --sizes B --tokens 64 --batch 1 8 --json runs/bench_sampling.json
"""
import argparse, json, statistics, time
from pathlib import Path
import torch
from hita_nb.core import provenance
from hita_nb.config import GPTConfig
from hita_nb.ar.model import HitaGPT
from hita_nb.ar.generate import generate
from hita_nb.ar.sampling import sample


@torch.no_grad()
def generate_no_cache(model, cond, n_tokens, cfg_scale):
    "The naive sampler: recompute the whole prefix at every step (what a KV cache saves)."
    c = model.cfg; B = cond.shape[0]
    cond_in = torch.cat([cond, torch.full_like(cond, c.num_classes)]) if cfg_scale > 1 else cond
    ids = torch.zeros(B, 1, dtype=torch.long)
    for _ in range(n_tokens):
        feed = torch.cat([ids, ids]) if cfg_scale > 1 else ids
        lg = model.select_heads(model.hidden_to_logits(model.embed(feed, 0, cond_in)))[:, -1]
        if cfg_scale > 1: cl, ul = lg.split(B); lg = ul + (cl - ul) * cfg_scale
        ids = torch.cat([ids, sample(lg, temperature=0)[:, None]], 1)
    return ids[:, 1:]


@torch.no_grad()
def first_n_tokens(model, cond, n, cfg_scale):
    "KV-cache greedy generation of the first n tokens: the loop of `hita_nb.ar.generate.generate`, stopped after n."
    c = model.cfg; B = cond.shape[0]; guided = cfg_scale > 1
    cond_in = torch.cat([cond, torch.full_like(cond, c.num_classes)]) if guided else cond
    model.setup_caches(len(cond_in))
    try:
        ids, out = torch.zeros(B, 1, dtype=torch.long), []
        for pos in range(n):
            feed = torch.cat([ids, ids]) if guided else ids
            lg = model.decode_step(feed, pos, cond_in if pos == 0 else None)[:, -1]
            if guided: cl, ul = lg.split(B); lg = ul + (cl - ul) * cfg_scale
            ids = sample(lg, temperature=0)[:, None]; out.append(ids)
        return torch.cat(out, 1)
    finally: model.clear_caches()


def timed(fn, repeats):
    fn()  # warm-up
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
    return ts


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--sizes', nargs='+', default=['tiny', 'B'], help='GPT presets (default: tiny B)')
    p.add_argument('--batch', nargs='+', type=int, default=[1], help='images per call (default: 1)')
    p.add_argument('--tokens', type=int, default=32, help='tokens generated per image for sizes other than tiny (tiny: all)')
    p.add_argument('--cfg-scale', type=float, default=1.5, help='CFG scale (> 1 doubles the batch)')
    p.add_argument('--repeats', type=int, default=3, help='timed runs per setting (median, min and max reported)')
    p.add_argument('--threads', type=int, default=None, help='torch threads (default: torch decides)')
    p.add_argument('--json', default=None, help='also write the results to this JSON file')
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    torch.manual_seed(0); rows = []
    t = HitaGPT(GPTConfig.preset('tiny')).eval(); c0 = torch.arange(2)  # the timed loops sample what generate samples
    for prm in t.output.parameters(): prm.data.normal_(0, 0.05)
    ref = torch.cat(generate(t, c0, a.cfg_scale, temperature=0), 1)
    assert torch.equal(first_n_tokens(t, c0, ref.shape[1], a.cfg_scale), ref), 'KV-cache loop differs from generate'
    assert torch.equal(generate_no_cache(t, c0, ref.shape[1], a.cfg_scale), ref), 'no-cache loop differs from generate'
    for size in a.sizes:
        cfg = GPTConfig.preset(size)
        model = HitaGPT(cfg).eval()
        n = cfg.num_holistic + cfg.block_size if size == 'tiny' else min(a.tokens, cfg.num_holistic + cfg.block_size)
        for dtype in (torch.float32, torch.bfloat16):
            model.to(dtype)
            for b in a.batch:
                cond = torch.randint(cfg.num_classes, (b,))
                cached = lambda: first_n_tokens(model, cond, n, a.cfg_scale)
                for name, fn in [('kv-cache', cached), ('no-cache', lambda: generate_no_cache(model, cond, n, a.cfg_scale))]:
                    ts = timed(fn, a.repeats)
                    tps = [b * n / t for t in ts]
                    rows.append(dict(size=size, dtype=str(dtype).split('.')[-1], batch=b, sampler=name, tokens=n,
                                     cfg_scale=a.cfg_scale, tok_s_median=statistics.median(tps), tok_s_min=min(tps), tok_s_max=max(tps)))
                    r = rows[-1]
                    print(f"{size:5s} {r['dtype']:9s} batch {b:2d} {name:9s} {n:4d} tokens: "
                          f"{r['tok_s_median']:8.1f} tok/s (min {r['tok_s_min']:.1f}, max {r['tok_s_max']:.1f})", flush=True)
    print('\nspeed-up of the KV cache (median tok/s ratio, same run):')
    for r in rows:
        if r['sampler'] == 'kv-cache':
            o = next(x for x in rows if x['sampler'] == 'no-cache' and all(x[k] == r[k] for k in ('size', 'dtype', 'batch')))
            print(f"  {r['size']:5s} {r['dtype']:9s} batch {r['batch']:2d}: x{r['tok_s_median'] / o['tok_s_median']:.2f}")
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True); Path(a.json).write_text(json.dumps(dict(rows=rows, provenance=provenance(seeds=0)), indent=1))
        print(f'wrote {a.json}')


if __name__ == '__main__':
    main()
