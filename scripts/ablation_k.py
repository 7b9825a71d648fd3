#!/usr/bin/env python
"""Paper Table 3 in miniature: train tiny tokenizers with selection length k = 0, 1, 2, 4 on the embedded dataset and
measure the usage of both codebooks and the reconstruction. Writes OUT/ablation_k.json and, with --commit, copies it
to nbs/results/ for notebook 90. Resumable: finished (k, seed) runs are skipped."""
import argparse, shutil
from pathlib import Path
from hita_nb.experiments.ablations import k_ablation

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.ArgumentDefaultsHelpFormatter)
p.add_argument('--out', default='runs/ablation_k'); p.add_argument('--ks', type=int, nargs='+', default=[0, 1, 2, 4])
p.add_argument('--seeds', type=int, nargs='+', default=[0, 1]); p.add_argument('--steps', type=int, default=400)
p.add_argument('--images', type=int, default=8000); p.add_argument('--batch', type=int, default=32)
p.add_argument('--lr', type=float, default=1e-3)
p.add_argument('--commit', action='store_true', help='copy the JSON to nbs/results/ablation_k.json')
a = p.parse_args()
res = k_ablation(a.out, a.ks, a.seeds, a.steps, a.images, batch=a.batch, lr=a.lr)
if a.commit:
    dst = Path(__file__).resolve().parent.parent / 'nbs/results/ablation_k.json'
    dst.parent.mkdir(parents=True, exist_ok=True); shutil.copy(Path(a.out) / 'ablation_k.json', dst); print(f'copied to {dst}')
for r in res['runs']: print(f"k={r['k']} seed={r['seed']}: usage holistic {r['usage_holistic']:.3f}, patch {r['usage_patch']:.3f}, PSNR {r['psnr']:.2f}")
