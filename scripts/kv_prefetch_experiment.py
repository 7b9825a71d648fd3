"""An experiment on the decode kernels, tried and not kept (issue 23): does prefetching layer l+1's keys and values during
layer l's products (compute-bound at batch 8 in bf16) overlap the attention's cache reads with the products? It builds
a variant of the kernels of notebooks 40-41 (their source, patched here as strings: a prefetch cursor in the bf16 pair
product, set by decode_layers) and times the fast decoder's step under each prefetch mode, interleaved.

    python scripts/kv_prefetch_experiment.py --json nbs/results/kernel_kv_prefetch.json

Modes: 0 the committed kernel; +1/+2/+3 prefetch the next layer's cache with hint T0/T1/T2; +4 weights prefetched
non-temporally (NTA) instead of T0 near and T1 far; +8k prefetch k/4 of the next layer's cache (k = 0: all of it).
Needs AVX512-BF16 (the pair product); the outputs must equal the committed kernel's bit for bit.
"""
import sys, time, statistics, os, hashlib, json, argparse
import torch
import hita_nb.kernels.build as B
ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument('--batch', type=int, default=8); ap.add_argument('--modes', type=int, nargs='+', default=[0, 4, 11, 19, 3, 2, 7])
ap.add_argument('--rounds', type=int, default=7); ap.add_argument('--json', default='')
A = ap.parse_args()
if A.batch < 1 or A.rounds < 1 or 0 not in A.modes: ap.error('--batch and --rounds at least 1; the modes must include 0 (the baseline)')

src = B._SOURCE
# 1. a global side-prefetch plan, read by thin_mm_dp
plan = r'''
struct SidePf { const char* base[2]; int64_t span = 0, stride = 0, nspans = 0, lo = 0, hi = 0; };
static SidePf g_pf;
static int g_pf_mode = 0;     // 0 off, 1 T0, 2 T1, 3 T2
static int g_w_nta = 0;
static double g_frac = 1.0;
struct PfCursor {
  const char* p = nullptr; int64_t left = 0, s = 0; int c = 0; int64_t todo = 0;
  void init(const SidePf& f, int64_t o, int64_t n) {
    todo = n; if (n <= 0) return;
    int64_t per = f.nspans * f.span; c = (int)(o / per); int64_t r = o % per; s = r / f.span; int64_t off = r % f.span;
    p = f.base[c] + s * f.stride + off; left = f.span - off;
  }
  inline void step(const SidePf& f, int mode) {
    if (todo <= 0) return;
    if (mode == 1) _mm_prefetch(p, _MM_HINT_T0); else if (mode == 2) _mm_prefetch(p, _MM_HINT_T1); else _mm_prefetch(p, _MM_HINT_T2);
    p += 64; left -= 64; todo -= 64;
    if (left <= 0) { if (++s == f.nspans) { s = 0; ++c; } if (c < 2) { p = f.base[c] + s * f.stride; left = f.span; } else todo = 0; }
  }
};
'''
old_sig = "static inline void panel_dp(const uint32_t* x, int64_t K2, const at::BFloat16* p, O* y, int64_t ldy) {"
assert old_sig in src
src = src.replace("#if defined(__AVX512BF16__)\n// ---- the same product", "#if defined(__AVX512BF16__)\n" + plan + "// ---- the same product", 1)
src = src.replace(old_sig, "static inline void panel_dp(const uint32_t* x, int64_t K2, const at::BFloat16* p, O* y, int64_t ldy, PfCursor* pc = nullptr, int mode = 0, int wnta = 0) {")
old_loop = "      __m512bh w = (__m512bh)_mm512_loadu_si512(p + (k + u) * 32);\n      const uint32_t* xk = x + (k + u) * MB;"
old_pf = """      _mm_prefetch(reinterpret_cast<const char*>(p + (k + u + PF) * 32), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(p + (k + u + 256) * 32), _MM_HINT_T1);"""
assert src.count(old_pf) == 1
src = src.replace(old_pf, """      if (wnta) _mm_prefetch(reinterpret_cast<const char*>(p + (k + u + PF) * 32), _MM_HINT_NTA);
      else { _mm_prefetch(reinterpret_cast<const char*>(p + (k + u + PF) * 32), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(p + (k + u + 256) * 32), _MM_HINT_T1); }""")
assert src.count(old_loop) == 1
src = src.replace(old_loop, "      if (pc) { pc->step(g_pf, mode); pc->step(g_pf, mode); }\n" + old_loop)
old_mm = '''  at::parallel_for(0, N / 16, 4, [&](int64_t b, int64_t e) {
    for (int64_t j = b; j < e; ++j) {
      const at::BFloat16* p = w + j * K2 * 32; O* yj = y + j * 16;'''
assert src.count(old_mm) == 1
new_mm = '''  int mode = g_pf_mode, wn = g_w_nta; int64_t lo = g_pf.lo, hi = g_pf.hi, np_ = N / 16;
  int64_t per = mode && hi > lo ? (((hi - lo) + np_ - 1) / np_ + 63) / 64 * 64 : 0;
  at::parallel_for(0, N / 16, 4, [&](int64_t b, int64_t e) {
    for (int64_t j = b; j < e; ++j) {
      PfCursor cur; PfCursor* pc = nullptr;
      if (per) { int64_t o = lo + j * per; cur.init(g_pf, o, std::min(per, hi - o)); if (cur.todo > 0) pc = &cur; }
      const at::BFloat16* p = w + j * K2 * 32; O* yj = y + j * 16;'''
src = src.replace(old_mm, new_mm)
src = src.replace("        if (mb == 16) panel_dp<O, 16>(xc, K2, p, yc, N);", "        if (mb == 16) panel_dp<O, 16>(xc, K2, p, yc, N, pc, mode, wn);")
src = src.replace("        else if (mb == 8) panel_dp<O, 8>(xc, K2, p, yc, N);", "        else if (mb == 8) panel_dp<O, 8>(xc, K2, p, yc, N, pc, mode, wn);")
# 2. decode_layers sets the plan: layer l+1's K and V spread over wo_l, w13_l, w2_l and wqkv_{l+1}
old_loop2 = '''    for (int64_t l = 0; l < nl; ++l) {
      T* kc = caches[2 * l].data_ptr<T>(); T* vc = caches[2 * l + 1].data_ptr<T>();
      linear_into<T>(xp, M, D, norms[2 * l].data_ptr<T>(), (float)eps, false, ws[4 * l].data_ptr<T>(), Nqkv, nullptr, qkv.data_ptr<T>(), ap, a2p);'''
assert src.count(old_loop2) == 1
new_loop2 = '''    int64_t span = (start + 1) * hd * (int64_t)sizeof(T), tot = (int64_t)(2 * M * Hk * span * g_frac) / 64 * 64;
    // iterations of the products per layer (one 64-byte weight load each): wo, w13, w2, wqkv
    double it_wo = (double)D * H * hd, it_13 = (double)D * Hd2, it_2 = (double)Hd2 / 2 * D, it_qkv = (double)D * Nqkv, it = it_wo + it_13 + it_2 + it_qkv;
    int64_t c1 = (int64_t)(tot * it_wo / it), c2 = (int64_t)(tot * (it_wo + it_13) / it), c3 = (int64_t)(tot * (it_wo + it_13 + it_2) / it);
    auto plan = [&](int64_t l, int64_t a, int64_t b) {
#if defined(__AVX512BF16__)
      if (!dp || l >= nl) { g_pf.lo = g_pf.hi = 0; return; }
      g_pf.base[0] = reinterpret_cast<const char*>(caches[2 * l].data_ptr<T>()); g_pf.base[1] = reinterpret_cast<const char*>(caches[2 * l + 1].data_ptr<T>());
      g_pf.span = span; g_pf.stride = Tmax * hd * (int64_t)sizeof(T); g_pf.nspans = M * Hk; g_pf.lo = a; g_pf.hi = b;
#endif
    };
    auto unplan = [&] {
#if defined(__AVX512BF16__)
      g_pf.lo = g_pf.hi = 0;
#endif
    };
    for (int64_t l = 0; l < nl; ++l) {
      T* kc = caches[2 * l].data_ptr<T>(); T* vc = caches[2 * l + 1].data_ptr<T>();
      if (l > 0) plan(l, c3, tot);
      linear_into<T>(xp, M, D, norms[2 * l].data_ptr<T>(), (float)eps, false, ws[4 * l].data_ptr<T>(), Nqkv, nullptr, qkv.data_ptr<T>(), ap, a2p);
      unplan();'''
src = src.replace(old_loop2, new_loop2)
old3 = '''      linear_into<T>(o.data_ptr<T>(), M, H * hd, nullptr, 0.0f, false, ws[4 * l + 1].data_ptr<T>(), D, xp, np, ap, a2p);
      std::swap(xp, np);
      linear_into<T>(xp, M, D, norms[2 * l + 1].data_ptr<T>(), (float)eps, false, ws[4 * l + 2].data_ptr<T>(), Hd2, nullptr, h.data_ptr<T>(), ap, a2p);
      linear_into<T>(h.data_ptr<T>(), M, Hd2, nullptr, 0.0f, true, ws[4 * l + 3].data_ptr<T>(), D, xp, np, ap, a2p);'''
assert src.count(old3) == 1
new3 = '''      plan(l + 1, 0, c1);
      linear_into<T>(o.data_ptr<T>(), M, H * hd, nullptr, 0.0f, false, ws[4 * l + 1].data_ptr<T>(), D, xp, np, ap, a2p);
      std::swap(xp, np);
      plan(l + 1, c1, c2);
      linear_into<T>(xp, M, D, norms[2 * l + 1].data_ptr<T>(), (float)eps, false, ws[4 * l + 2].data_ptr<T>(), Hd2, nullptr, h.data_ptr<T>(), ap, a2p);
      plan(l + 1, c2, c3);
      linear_into<T>(h.data_ptr<T>(), M, Hd2, nullptr, 0.0f, true, ws[4 * l + 3].data_ptr<T>(), D, xp, np, ap, a2p);
      unplan();'''
src = src.replace(old3, new3)
src += r'''
void set_side_prefetch(int64_t mode) {
#if defined(__AVX512BF16__)
  g_frac = (mode / 8) / 4.0; mode %= 8; if (g_frac == 0) g_frac = 1.0;
  g_pf_mode = (int)(mode % 4); g_w_nta = (int)(mode / 4);
#endif
}
'''
from torch.utils.cpp_extension import load_inline
name = 'hita_pf_' + hashlib.sha1(src.encode()).hexdigest()[:10]
ext = load_inline(name, cpp_sources=src, functions=['supported', 'isa', 'has_dpbf16', 'thin_linear', 'decode_attention', 'rope_cache', 'decode_layers', 'group_norm_act', 'winograd_conv3x3', 'buffer_cache', 'buffer_cache_stats', 'set_side_prefetch'],
                  extra_cflags=['-O3', '-march=native', '-fopenmp'], extra_ldflags=['-fopenmp'])
B._STATE.update(ext=ext, why='loaded')
from hita_nb.config import GPTConfig, TokenizerConfig
from hita_nb.ar.model import HitaGPT
from hita_nb.ar.fast import FastDecoder
batch, dt = A.batch, torch.bfloat16
if not ext.has_dpbf16(): raise SystemExit('this CPU (or compiler) lacks AVX512-BF16: the experiment patches the pair product')
cfg = GPTConfig.for_tokenizer(TokenizerConfig.preset('hita_v'), 'B')
m = HitaGPT(cfg).eval().to(dt); torch.nn.init.normal_(m.output.weight, std=0.02)
rows, pos = 2 * batch, 300
m.setup_caches(rows)
for l in m.layers: l.attention.kv_cache.k.normal_(); l.attention.kv_cache.v.normal_()
dec = FastDecoder(m, rows); assert dec.kernels
ids = torch.zeros(rows, 1, dtype=torch.long)
def med(n=30):
    dec.decode_step(ids, pos); ts = []
    for _ in range(n):
        t0 = time.perf_counter(); dec.decode_step(ids, pos); ts.append(time.perf_counter() - t0)
    return statistics.median(ts) * 1e3
outs = {}
MODES = tuple(A.modes)
for mode in MODES: ext.set_side_prefetch(mode); outs[mode] = dec.decode_step(ids, pos).clone() if hasattr(dec.decode_step(ids, pos), 'clone') else None
res = {k: [] for k in MODES}
for rep in range(A.rounds):
    for mode in MODES:
        ext.set_side_prefetch(mode); res[mode].append(med())
for mode in res: print(mode, [round(x, 2) for x in res[mode]], 'median', round(statistics.median(res[mode]), 2))
print('same outputs:', all(torch.equal(outs[0], outs[k]) for k in outs if outs[k] is not None))

if A.json:
    from hita_nb.core import provenance
    names = {0: 'committed kernel', 4: 'weights prefetched non-temporally (NTA), no KV prefetch'}
    def name(k):
        if k in names: return names[k]
        f = (k // 8) / 4 or 1.0; h = {1: 'T0', 2: 'T1', 3: 'T2'}[k % 4]
        return f"next layer's KV prefetched ({h}), {f:.0%} of it" + (', weights NTA' if (k % 8) >= 4 else '')
    json.dump(dict(experiment=__doc__.strip() + " GPT-B, random weights and caches, position 300; the median of 31 decode steps "
                   "(FastDecoder.decode_step, one decode_layers call), the variants interleaved over the rounds. The prefetch is spread over "
                   "layer l's wo, w13, w2 and layer l+1's wqkv in proportion to their weight loads, two 64-byte lines per weight load at most.",
                   batch=batch, rows=rows, dtype=str(dt).split('.')[-1], same_output=all(torch.equal(outs[0], outs[k]) for k in outs),
                   variants=[dict(mode=k, variant=name(k), rounds_ms=res[k], median_ms=statistics.median(res[k]),
                                  speedup=statistics.median(res[0]) / statistics.median(res[k])) for k in res],
                   **provenance()), open(A.json, 'w'), indent=1)
