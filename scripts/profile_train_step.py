#!/usr/bin/env python
"""Where a training step of the demo's tiny tokenizer spends its time: PyTorch's profiler over a few steps (after the
holistic warm-up, batch 32, fp32), the top operators by self time. `python scripts/profile_train_step.py > profile.txt`."""
import argparse, torch
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
    torch.manual_seed(0); cfg = TokenizerConfig.preset(a.preset)
    m = build_tokenizer(cfg).train()
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
    print(f'{a.preset}, batch {a.batch}, {a.steps} steps, {torch.get_num_threads()} threads')
    print(pr.key_averages().table(sort_by='self_cpu_time_total', row_limit=a.rows, max_name_column_width=44))

if __name__ == '__main__': main()
