#!/usr/bin/env python
"""Paper Fig. 2c and Fig. 7 in miniature: train the same tiny GPT on the codes of the Hita miniature and of a plain
VQGAN tokenizer (both from scripts/ablation_tokenizer.py), score class-conditional samples every EVAL_EVERY steps
(class accuracy, offline FID) and in-painting from 25/50/75 percent prefixes at the end. Writes OUT/results.json; with
--commit copies it to nbs/results/convergence.json for notebooks 94 and 96. Resumable per tokenizer."""
import argparse, shutil
from pathlib import Path
from hita_nb.experiments.convergence import gpt_convergence

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.ArgumentDefaultsHelpFormatter)
p.add_argument('--out', default='runs/convergence')
p.add_argument('--tokenizers', default='runs/ablation_tokenizer', help='the output folder of scripts/ablation_tokenizer.py')
p.add_argument('--tok-seed', type=int, default=0); p.add_argument('--tok-steps', type=int, default=400)
p.add_argument('--steps', type=int, default=1200); p.add_argument('--eval-every', type=int, default=300)
p.add_argument('--per-class', type=int, default=20); p.add_argument('--cfg-scale', type=float, default=3.0)
p.add_argument('--seed', type=int, default=0); p.add_argument('--inpaint-images', type=int, default=100)
p.add_argument('--commit', action='store_true', help='copy the JSON to nbs/results/convergence.json')
a = p.parse_args()
cks = {n: Path(a.tokenizers) / f'{n}_seed{a.tok_seed}' / 'checkpoints' / f'step_{a.tok_steps:07d}.pt' for n in ('hita', 'vanilla_vq')}
for n, ck in cks.items():
    if not ck.exists(): p.error(f'{ck} not found: run scripts/ablation_tokenizer.py --variants hita vanilla_vq first')
res = gpt_convergence(a.out, cks, a.steps, a.eval_every, a.per_class, a.cfg_scale, a.seed, inpaint_images=a.inpaint_images)
if a.commit:
    dst = Path(__file__).resolve().parent.parent / 'nbs/results/convergence.json'
    dst.parent.mkdir(parents=True, exist_ok=True); shutil.copy(Path(a.out) / 'results.json', dst); print(f'copied to {dst}')
for n, r in res['runs'].items():
    print(n, [(c['step'], round(c['class_accuracy'], 3), round(c['fid_offline'], 2)) for c in r['curve']])
