"""Where the time of one GPT decode step goes on this CPU (issue 23: batch-8 bf16 sampling reaches about 40 percent of
its floor on an AMD EPYC). Times the fast decoder's step at mid-sequence, then each kind of operation on its own, two
ways: on one layer's weights again and again (they stay in the CPU's last-level cache: the operation's compute cost) and
over all the layers in turn (the weights come from memory, as in a real step). Prints a table and writes JSON.

    python scripts/profile_decode.py --batch 8 --dtype bf16 --json nbs/results/profile_decode_epyc.json
"""
import argparse, json, statistics, time
from pathlib import Path
import torch
from hita_nb.config import GPTConfig, TokenizerConfig
from hita_nb.core import provenance
from hita_nb.ar.model import HitaGPT
from hita_nb.ar.fast import FastDecoder, rope_into_cache, attend_cache
from hita_nb.kernels.decode import bf16_product_variant


def median_ms(f, n=20):
    f(); ts = []
    for _ in range(n):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return statistics.median(ts) * 1e3


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--model', default='B'); p.add_argument('--batch', type=int, default=8)
    p.add_argument('--dtype', choices=['fp32', 'bf16'], default='bf16'); p.add_argument('--position', type=int, default=300)
    p.add_argument('--threads', type=int, default=0, help='0: as PyTorch has it'); p.add_argument('--json', default='')
    a = p.parse_args(argv)
    try: cfg = GPTConfig.for_tokenizer(TokenizerConfig.preset('hita_v'), a.model)
    except KeyError as e: p.error(str(e).strip('"'))
    n = cfg.num_holistic + cfg.block_size
    if not cfg.num_holistic <= a.position < n:   # a patch position: the holistic ones add their slot embeddings
        p.error(f'--position {a.position}: a patch position of the sequence, {cfg.num_holistic} to {n - 1}')
    if a.batch < 1 or a.threads < 0: p.error('--batch must be at least 1 and --threads at least 0')
    if a.threads: torch.set_num_threads(a.threads)
    dtype = dict(fp32=torch.float32, bf16=torch.bfloat16)[a.dtype]
    m = HitaGPT(cfg).eval().to(dtype); torch.nn.init.normal_(m.output.weight, std=0.02)
    rows, pos = 2 * a.batch, a.position
    m.setup_caches(rows)
    for l in m.layers: l.attention.kv_cache.k.normal_(); l.attention.kv_cache.v.normal_()
    dec = FastDecoder(m, rows)
    if not dec.kernels: raise SystemExit('the CPU kernels are not loaded here: nothing to profile (hita_nb.kernels.build.kernel_status())')
    ids = torch.zeros(rows, 1, dtype=torch.long)
    step = median_ms(lambda: dec.decode_step(ids, pos))
    x = m.embed(ids, pos, None, False)[:, 0]; H, cs = cfg.n_head, m.pos_cs[pos]
    per = []   # per layer: the callables of each kind of operation, on that layer's weights and cache
    for layer, wqkv, wo, w13, w2 in dec.layers:
        kc, vc = layer.attention.kv_cache.k, layer.attention.kv_cache.v
        qkv = wqkv(x, norm=layer.attention_norm); q = rope_into_cache(qkv, H, cs, None, kc, vc, pos)
        att = attend_cache(q, kc, vc, pos + 1).reshape(rows, -1); h = w13(x, norm=layer.ffn_norm)
        per.append(dict(wqkv=lambda w=wqkv, n=layer.attention_norm: w(x, norm=n),
                        rope=lambda qkv=qkv, kc=kc, vc=vc: rope_into_cache(qkv, H, cs, None, kc, vc, pos),
                        attention=lambda q=q, kc=kc, vc=vc: attend_cache(q, kc, vc, pos + 1),
                        wo=lambda w=wo, att=att: w(att, residual=x), w13=lambda w=w13, n=layer.ffn_norm: w(x, norm=n),
                        w2=lambda w=w2, h=h: w(h, swiglu=True, residual=x)))
    L, rows_out = len(per), []
    for k in per[0]:
        warm = median_ms(per[0][k]) * L
        cold = median_ms(lambda: [d[k]() for d in per], n=10)
        rows_out.append(dict(operation=k, one_layer_repeated_ms=warm, all_layers_in_turn_ms=cold))
    head = median_ms(lambda: dec.heads[1](x, norm=m.norm))
    rows_out.append(dict(operation='head (patch)', one_layer_repeated_ms=head, all_layers_in_turn_ms=head))
    warm_sum, cold_sum = (sum(r[c] for r in rows_out) for c in ('one_layer_repeated_ms', 'all_layers_in_turn_ms'))
    print(f'GPT-{a.model} decode step, batch {a.batch} with guidance ({rows} rows), {a.dtype}, position {pos}, '
          f'{torch.get_num_threads()} threads, bf16 product {bf16_product_variant() if a.dtype == "bf16" else "-"}: {step:.2f} ms (one kernel call)')
    print(f"{'operation':<14}{'weights cached (x layers)':>28}{'all layers in turn':>22}")
    for r in rows_out: print(f"{r['operation']:<14}{r['one_layer_repeated_ms']:>25.2f} ms{r['all_layers_in_turn_ms']:>19.2f} ms")
    print(f"{'sum':<14}{warm_sum:>25.2f} ms{cold_sum:>19.2f} ms   (the step: {step:.2f} ms)")
    kv = 2 * L * rows * cfg.kv_heads * (pos + 1) * cfg.head_dim * torch.finfo(dtype).bits // 8
    att = next(r for r in rows_out if r['operation'] == 'attention')['all_layers_in_turn_ms']
    big = torch.ones(128 << 20)                                   # 512 MB: far beyond the caches
    read = big.numel() * 4 / (median_ms(big.sum, n=5) / 1e3) / 1e9; del big
    wb = sum(w.w.numel() * w.w.element_size() for _, *ws in dec.layers for w in ws) \
        + dec.heads[1].w.numel() * dec.heads[1].w.element_size()          # the (packed) weights the products stream per step
    prod = sum(r['all_layers_in_turn_ms'] for r in rows_out if r['operation'] not in ('rope', 'attention'))
    print(f'the attention reads {kv / 1e6:.0f} MB of cached keys and values per step: {kv / att / 1e6:.1f} GB/s; the products '
          f'stream {wb / 1e6:.0f} MB of weights: {wb / prod / 1e6:.1f} GB/s; the step moves {(kv + wb) / step / 1e6:.1f} GB/s '
          f'(this machine reads {read:.1f} GB/s, the sum of 512 MB)')
    if a.json:
        Path(a.json).write_text(json.dumps(dict(model=a.model, batch=a.batch, rows=rows, dtype=a.dtype, position=pos, step_ms=step,
                                                bf16_product=bf16_product_variant() if a.dtype == 'bf16' else None,
                                                operations=rows_out, sum_cached_ms=warm_sum, sum_in_turn_ms=cold_sum,
                                                kv_bytes_per_step=kv, attention_gbs=kv / att / 1e6, read_gbs=read,
                                                weight_bytes_per_step=wb, products_gbs=wb / prod / 1e6, step_gbs=(kv + wb) / step / 1e6,
                                                provenance=provenance()), indent=1))


if __name__ == '__main__': main()
