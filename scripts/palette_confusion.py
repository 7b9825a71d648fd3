#!/usr/bin/env python
"""Which palettes a tokenizer's reconstructions get wrong (notebook 80, part 15): for each finished `hita_nb demo` run
folder, the 8 x 8 confusion of the original's palette against the one the judge (notebook 04) reads in the plain
reconstruction of 500 held-out images. Writes one JSON. With `--weights ema model` each run is scored with both its EMA
weights (what the demo loads) and its raw weights, adding the swaps' scores (200 held-out pairs) for each.

    python scripts/palette_confusion.py runs/demo_seeds/tiny_style_720_seed0 runs/demo_seeds/tiny_style_880_spectral1_seed* \\
        --results nbs/results/palette_confusion.json
    python scripts/palette_confusion.py runs/demo_seeds/*_seed* --weights ema model --results nbs/results/ema_vs_raw.json
"""
import argparse, json
from pathlib import Path
import torch
from hita_nb.core import atomic_write, provenance
from hita_nb.data.attributes import load_classifier, shipped_classifier_path
from hita_nb.data.datasets import ShapeStyles, HELD_OUT_SEED
from hita_nb.tokenizer.load import load_tokenizer
from hita_nb.experiments.collapse import palette_confusion
from hita_nb.apps.style import score_style_transfer


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('runs', nargs='+', help='finished demo folders (metrics.json and tokenizer/checkpoints/step_*.pt)')
    p.add_argument('--results', required=True, help='JSON file to write')
    p.add_argument('--weights', nargs='*', default=['ema'], choices=['ema', 'model'], help="the checkpoint's weights to score (more than one: the swaps too)")
    a = p.parse_args(argv)
    net = load_classifier(shipped_classifier_path(32))
    held = ShapeStyles(500, 32, seed=HELD_OUT_SEED)
    x, pal = held.batch(range(len(held)))[0], held.sample_attributes(range(len(held)))['palette']
    out, cks = [], []
    for d in map(Path, a.runs):
        m = json.loads((d / 'metrics.json').read_text())
        ck = d / 'tokenizer' / 'checkpoints' / f"step_{m['training']['tokenizer_steps']:07d}.pt"
        cks.append(ck)
        for w in a.weights:
            tok = load_tokenizer(ck, w)
            cm = palette_confusion(tok, net, x, pal)
            r = dict(run=d.name, preset=m['preset'], seed=m['seed'], training=m['training'], commit=m['commit'], weights=w,
                     confusion=cm.tolist(), recon_palette=float(cm.diag().sum() / cm.sum()))
            if len(a.weights) > 1: r['style_transfer'] = score_style_transfer(tok, net, 200)[0]
            out.append(r)
            print(d.name, w, f"palette right in {100 * r['recon_palette']:.1f}% of reconstructions", flush=True)
    res = dict(experiment='palette confusion of plain reconstructions (notebook 80, part 15)', held_out_seed=HELD_OUT_SEED,
               images=len(held), runs=out, **provenance(checkpoints=cks))
    atomic_write(a.results, lambda f: f.write(json.dumps(res, indent=1).encode()))


if __name__ == '__main__': main()
