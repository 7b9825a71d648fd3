"""Decode of the plain Hita-V tokenizer, batch 1, 336 px, fp32 and bf16 autocast: the pixel decoder fed the old default-layout map
against the channels-last map of notebook 15 (issue 23, item 6), alternated in one run; medians of 5 after one warm-up.

    python scripts/bench_decode_layout.py nbs/results/bench_decode_layout.json
"""
import time, statistics, torch, json, sys
from hita_nb.config import TokenizerConfig
from hita_nb.tokenizer.model import HitaTokenizer
from hita_nb.tokenizer.decoder import FusionDecoder
new = FusionDecoder.forward
def old(self, z, holistic):
    b, d, g, _ = z.shape
    start = self.cfg.num_holistic - (self.cfg.shift_k if self.cfg.fusion == 'last_k' else 0)
    return self.sequence(z, holistic)[:, start:start + g * g].transpose(1, 2).reshape(b, d, g, g)
torch.manual_seed(0)
tok = HitaTokenizer(TokenizerConfig.preset('hita_v', semantic='none')).eval()
x = torch.rand(1, 3, 336, 336) * 2 - 1
res = {}
for dt in (torch.float32, torch.bfloat16):
    with torch.inference_mode(), torch.autocast('cpu', dtype=dt, enabled=dt != torch.float32):
        h, p = tok.encode(x); t = {'old (default layout)': [], 'new (channels-last map)': []}; outs = {}
        for r in range(6):
            for name, f in (('old (default layout)', old), ('new (channels-last map)', new)):
                FusionDecoder.forward = f; t0 = time.perf_counter(); outs[name] = tok.decode(h, p).float(); dtm = time.perf_counter() - t0
                if r: t[name].append(dtm)
        FusionDecoder.forward = new
    diff = (outs['old (default layout)'] - outs['new (channels-last map)']).abs().max().item()
    med = {k: statistics.median(v) * 1e3 for k, v in t.items()}
    res[str(dt).split('.')[-1]] = dict(median_ms=med, min_ms={k: min(v) * 1e3 for k, v in t.items()}, runs=5, max_abs_diff=diff,
                                       speedup=med['old (default layout)'] / med['new (channels-last map)'])
    print(dt, {k: round(v) for k, v in med.items()}, 'speed-up', round(res[str(dt).split('.')[-1]]['speedup'], 2), 'max |diff|', diff, flush=True)
res.update(cpu=open('/proc/cpuinfo').read().split('model name')[1].split('\n')[0].strip(': '), threads=torch.get_num_threads(), torch=torch.__version__)
if len(sys.argv) > 1: open(sys.argv[1], 'w').write(json.dumps(res, indent=1))
