#!/usr/bin/env python
"""The demo's scores that sit near their targets, on a fresh and larger draw of held-out images, for finished
`hita_nb demo` runs: the swaps (style transfer) on `--pairs` new (source, reference) pairs and in-painting at a 50%
prefix on `--images` new images, grey and mirror fill. The demo scores 200 pairs and 100 images with fixed seeds, so
its numbers carry a draw's noise of a few points; this script measures the same trained models again on images none of
them has seen or been scored on (seed `HELD_OUT_SEED + 11` by default). Beside each, the same score of plain
reconstructions (every code the image's own): the shape of the swaps' sources, and the palette of the rows the
in-painting generates, as read from the whole image's codes. A swap or an in-painting that only matches its
reconstruction is limited by the tokenizer's reconstructions, not by the holistic codes.

    python scripts/redraw_scores.py run0 run1 run2 run3 run4 --json nbs/results/demo_redraw_1600.json
"""
import argparse, json, time
from pathlib import Path
import torch
from hita_nb.core import provenance, atomic_write
from hita_nb.tokenizer.load import load_tokenizer
from hita_nb.ar.load import load_gpt
from hita_nb.data.attributes import load_or_train_classifier
from hita_nb.data.datasets import HELD_OUT_SEED, ShapeStyles
from hita_nb.data.attributes import attribute_scores
from hita_nb.apps.style import score_style_transfer
from hita_nb.apps.inpainting import score_inpainting, generated_rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('demo', nargs='+', help='the --out folders of finished hita_nb demo runs')
    ap.add_argument('--pairs', type=int, default=1000, help='swap pairs per run (the demo: 200)')
    ap.add_argument('--images', type=int, default=500, help='in-painted images per run and fill (the demo: 100)')
    ap.add_argument('--seed', type=int, default=HELD_OUT_SEED + 11, help='seed of the fresh held-out images')
    ap.add_argument('--json', default='', help='write the scores here')
    a = ap.parse_args(argv)
    if a.pairs < 100 or a.pairs % 100 or a.images < 1: ap.error('--pairs: a multiple of 100; --images: at least 1')
    used = (HELD_OUT_SEED, HELD_OUT_SEED + 1, HELD_OUT_SEED + 2)   # the demo's scores, probes and FID images
    if a.seed in used or 0 <= a.seed < 1000:
        ap.error(f'--seed {a.seed}: the demo scores on {", ".join(map(str, used))} and trains on small seeds; pick another')
    for d in a.demo:
        if not (Path(d) / 'gpt/checkpoints').is_dir(): ap.error(f'{d} is not the folder of a finished hita_nb demo run (no gpt/checkpoints)')
    runs = []
    for d in map(Path, a.demo):
        t0 = time.time()
        tok = load_tokenizer(sorted((d / 'tokenizer/checkpoints').glob('step_*.pt'))[-1], 'ema')
        gpt = load_gpt(sorted((d / 'gpt/checkpoints').glob('step_*.pt'))[-1], 'ema')
        net = load_or_train_classifier(d, 32, progress=False)
        sty, _ = score_style_transfer(tok, net, a.pairs, seed=a.seed)
        inp = {fill: score_inpainting(tok, gpt, net, a.images, fractions=(0.5,), seed=a.seed, fill=fill)[0]['50%'] for fill in ('grey', 'mirror')}
        with torch.no_grad():   # the reconstructions of the same images: what the tokenizer keeps when no code is swapped or generated
            ds = ShapeStyles(2 * a.pairs, tok.cfg.image_size, seed=a.seed); x = ds.batch(range(a.pairs))[0]
            shape = ds.sample_attributes(range(a.pairs))['shape']
            rec_shape = float(attribute_scores(net, torch.cat([tok(x[i:i + 100]).recon for i in range(0, a.pairs, 100)]).clamp(-1, 1), dict(shape=shape))['shape'])
            di = ShapeStyles(a.images, tok.cfg.image_size, seed=a.seed); xi = di.batch(range(a.images))[0]
            pal = di.sample_attributes(range(a.images))['palette']
            ri = torch.cat([tok(xi[i:i + 100]).recon for i in range(0, a.images, 100)]).clamp(-1, 1)
            rec_pal = float(attribute_scores(net, generated_rows(ri, 0.5), dict(palette=pal))['palette'])
        runs.append(dict(demo=str(d), style_transfer=sty, inpainting_50=inp, reconstruction=dict(shape_of_sources=rec_shape, palette_of_lower_rows=rec_pal),
                         seconds=time.time() - t0))
        print(f"{d.name}: swap palette {sty['palette_from_reference']:.3f}, texture {sty['texture_from_reference']:.3f}, shape kept "
              f"{sty['shape_from_source']:.3f}; in-painting palette, grey {inp['grey']['palette_consistency']:.3f}, mirror "
              f"{inp['mirror']['palette_consistency']:.3f}; reconstructions: shape {rec_shape:.3f}, palette of the lower rows {rec_pal:.3f} "
              f"({time.time() - t0:.0f} s)", flush=True)
    if a.json:
        out = dict(runs=runs, pairs=a.pairs, images=a.images, seed=a.seed, **provenance(seeds=a.seed))
        atomic_write(a.json, lambda f: f.write(json.dumps(out, indent=1).encode()))

if __name__ == '__main__': main()
