#!/usr/bin/env python
"""Train the offline semantic stand-ins (notebook 13) and measure what their features carry: a linear probe of palette,
texture and shape from each stand-in's semantic tokens on held-out embedded images. Writes a JSON (notebook 80, part 11).

Example: python scripts/stand_ins.py --out /tmp/exp/runs --results nbs/results/stand_ins.json
"""
import argparse, json, time
from pathlib import Path
import torch
from hita_nb.core import atomic_write, provenance
from hita_nb.data.datasets import ShapeStyles, HELD_OUT_SEED
from hita_nb.eval.probes import linear_probe
from hita_nb.tokenizer.semantic import STAND_INS, AttributeSemantic, load_or_train_stand_in


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True, help='folder of the stand-ins (<name>_32.pt; trained there when absent)')
    ap.add_argument('--results', required=True, help='JSON file to write')
    ap.add_argument('--steps', type=int, default=300, help='SimCLR steps of the contrastive stand-in (batch 128)')
    ap.add_argument('--threads', type=int, default=0, help='torch threads (0: torch default)')
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    tr, te = ShapeStyles(2000, 32, seed=HELD_OUT_SEED + 1), ShapeStyles(500, 32, seed=HELD_OUT_SEED)
    x_tr, x_te = tr.batch(range(len(tr)))[0], te.batch(range(len(te)))[0]
    at_tr, at_te = tr.sample_attributes(range(len(tr))), te.sample_attributes(range(len(te)))
    res = dict(experiment='what the semantic stand-ins carry (linear probes of their tokens, held-out images)', stand_ins={})
    for name, what in STAND_INS.items():
        t0 = time.time(); path = load_or_train_stand_in(a.out, name, a.steps, progress=True); minutes = (time.time() - t0) / 60
        sem = AttributeSemantic(path)
        f_tr, f_te = sem(x_tr), sem(x_te)                  # (B, 1 + 16, 128): [mean; 4 x 4 cells]
        probes = {}
        for which, sl in (('mean_token', slice(0, 1)), ('all_tokens', slice(1, None))):
            a_, b_ = f_tr[:, sl].flatten(1), f_te[:, sl].flatten(1)
            probes[which] = {k: linear_probe(a_, at_tr[k], b_, at_te[k])['test_accuracy'] for k in ('palette', 'texture', 'shape')}
        res['stand_ins'][name] = dict(what=what, probes=probes, train_minutes=minutes, steps=torch.load(path, weights_only=False).get('steps'))
        print(name, json.dumps(probes), f'{minutes:.2f} min', flush=True)
    res.update(provenance())
    atomic_write(Path(a.results), lambda f: f.write(json.dumps(res, indent=1).encode()))


if __name__ == '__main__':
    main()
