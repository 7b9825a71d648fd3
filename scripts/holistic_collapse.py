"""Why the holistic codebook collapses in miniature, and what stops it: train tiny tokenizers per (variant, seed),
score them at several checkpoints on held-out images, and write one JSON with every number (notebook 19).

    python scripts/holistic_collapse.py --out runs/collapse --seeds 0 1 2
    python scripts/holistic_collapse.py --out runs/collapse --variants faithful patch4 --seeds 0   # a subset

Runs are resumable: a run whose result file exists is skipped, so the script can be stopped and restarted.
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path
import torch
from hita_nb.experiments.collapse import COLLAPSE_VARIANTS, collapse_study

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default='runs/collapse', help='working folder (checkpoints, one result file per run)')
    p.add_argument('--variants', nargs='*', default=list(COLLAPSE_VARIANTS), help=f'subset of {list(COLLAPSE_VARIANTS)}')
    p.add_argument('--seeds', nargs='*', type=int, default=[0, 1, 2])
    p.add_argument('--steps', type=int, default=400, help='tokenizer training steps (batch 32), as in the demo')
    p.add_argument('--track', nargs='*', type=int, default=[100, 200], help='extra checkpoints scored during training')
    p.add_argument('--results', default='', help='JSON to write (default OUT/collapse.json)')
    a = p.parse_args(argv)
    res = collapse_study(a.out, {v: COLLAPSE_VARIANTS[v] for v in a.variants}, a.seeds, a.steps, a.track)
    res['command'] = ' '.join(sys.argv)
    dest = Path(a.results or Path(a.out) / 'collapse.json'); dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(res, indent=1))
    print(f'{len(res["runs"])} runs -> {dest}')

if __name__ == '__main__': main()
