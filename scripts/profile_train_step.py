#!/usr/bin/env python
"""Where a tokenizer's training step spends its time: PyTorch's profiler over a few steps (after the holistic warm-up,
fp32, pixel loss as scripts/bench_train.py times it), the top operators by self time, and the share of the
convolutions. The demo's tiny tokenizer by default; `--preset hita_v --batch 2 --steps 2` for the Hita-V tokenizer at
336 px (random DINOv2 weights, which do not change the cost).

    python scripts/profile_train_step.py > nbs/results/profile_tiny_tokenizer.txt
"""
import argparse, torch, time
from torch.profiler import profile
from hita_nb.config import TokenizerConfig
from hita_nb.tokenizer.load import build_tokenizer
from hita_nb.tokenizer.losses import TokenizerLoss
from hita_nb.engine import make_optimizer, EMA

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--preset', default='tiny_style'); p.add_argument('--batch', type=int, default=32)
    p.add_argument('--steps', type=int, default=5); p.add_argument('--rows', type=int, default=20)
    a = p.parse_args(argv)
    if a.batch < 1 or a.steps < 1: p.error('--batch and --steps must be at least 1')
    torch.manual_seed(0); cfg = TokenizerConfig.preset(a.preset)
    m = build_tokenizer(cfg, 'random' if cfg.semantic != 'none' else '').train()
    if cfg.holistic_warmup: m.slot_quantize.warmup_step.fill_(cfg.holistic_warmup + 1)
    crit = TokenizerLoss(None, None, 'l2', True, 1.0, 0.0, 0.5, 10 ** 9, False, 1.0)
    opt, ema = make_optimizer(m.parameters(), 'adam', lr=1e-4), EMA(m, 0.99)
    x = torch.rand(a.batch, 3, cfg.image_size, cfg.image_size) * 2 - 1
    def step():
        loss = crit.generator_loss(x, m(x), 0, m.decoder.last_layer)[0]
        opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0); opt.step(); ema.update(m)
    step()
    with profile() as pr:
        for _ in range(a.steps): step()
    ka = pr.key_averages(); total = sum(e.self_cpu_time_total for e in ka)
    conv = sum(e.self_cpu_time_total for e in ka if 'convolution' in e.key)
    print(f'{a.preset}, batch {a.batch}, {cfg.image_size} px, {a.steps} steps, {torch.get_num_threads()} threads')
    print(f'convolutions (forward and backward): {100 * conv / total:.1f}% of the self CPU time')
    print(ka.table(sort_by='self_cpu_time_total', row_limit=a.rows, max_name_column_width=44))

if __name__ == '__main__': main()
