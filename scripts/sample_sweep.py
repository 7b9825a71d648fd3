#!/usr/bin/env python
"""Class accuracy of a finished `hita_nb demo` run's samples against the sampling settings: classifier-free guidance
scale, temperature and top-k, on a sampling seed of its own (not the demo's), so that choosing a setting from this
table does not choose on the demo's reported samples.

    python scripts/sample_sweep.py hita_demo --cfg 1 2 3 5 8 --json nbs/results/demo_sample_sweep.json

Every row samples `--per-class` images of each class with the demo's tokenizer and GPT (EMA weights) and asks the
demo's attribute classifier for their shape; a 95% Wilson interval goes with each accuracy. With `--fid`, each row
also has the offline FID of its samples against 1000 held-out images (features of the same classifier, as the demo's
report has it), so that a setting which buys accuracy with diversity shows the price.

    python scripts/sample_sweep.py run0 run1 run2 --cfg 2 3 4 --temperature 1 0.8 --fid --json sweep.json
"""
import argparse, json, time
from pathlib import Path
import torch
from hita_nb.core import provenance, atomic_write
from hita_nb.tokenizer.load import load_tokenizer
from hita_nb.ar.load import load_gpt
from hita_nb.ar.generate import generate
from hita_nb.data.attributes import load_or_train_classifier, attribute_scores
from hita_nb.stats import wilson
from hita_nb.data.datasets import ShapeStyles, HELD_OUT_SEED
from hita_nb.eval.fidelity import fidelity_metrics, resize_uint8

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('demo', nargs='+', help='the --out folders of finished hita_nb demo runs (each is swept in turn)')
    ap.add_argument('--cfg', type=float, nargs='+', default=[1.0, 2.0, 3.0, 5.0, 8.0], help='guidance scales')
    ap.add_argument('--temperature', type=float, nargs='+', default=[1.0], help='sampling temperatures')
    ap.add_argument('--top-k', type=int, nargs='+', default=[0], help='top-k values (0 = all codes)')
    ap.add_argument('--per-class', type=int, default=20, help='samples per class and setting')
    ap.add_argument('--seed', type=int, default=1, help='sampling seed (the demo reports seed 0)')
    ap.add_argument('--fid', action='store_true', help="also the offline FID of each setting's samples against 1000 held-out images")
    ap.add_argument('--json', default='', help='write the table here')
    a = ap.parse_args(argv)
    if a.per_class < 1: ap.error('--per-class must be at least 1')
    for d in a.demo:
        if not (Path(d) / 'gpt/checkpoints').is_dir(): ap.error(f'{d} is not the folder of a finished hita_nb demo run (no gpt/checkpoints)')
    runs = []
    for d in map(Path, a.demo):
        tok = load_tokenizer(sorted((d / 'tokenizer/checkpoints').glob('step_*.pt'))[-1], 'ema')
        gpt = load_gpt(sorted((d / 'gpt/checkpoints').glob('step_*.pt'))[-1], 'ema')
        net = load_or_train_classifier(d, 32, progress=False)
        real = None
        if a.fid:
            real = resize_uint8(ShapeStyles(1000, tok.cfg.image_size, seed=HELD_OUT_SEED + 2).batch(range(1000))[0], tok.cfg.image_size)
        labels = torch.arange(gpt.cfg.num_classes).repeat_interleave(a.per_class)
        rows = []
        for cfg in a.cfg:
            for t in a.temperature:
                for k in a.top_k:
                    t0 = time.time()
                    h, p = generate(gpt, labels, cfg_scale=cfg, temperature=t, top_k=k, generator=torch.Generator().manual_seed(a.seed))
                    imgs = tok.decode(h, p).clamp(-1, 1)
                    acc = float(attribute_scores(net, imgs, dict(shape=labels))['shape'])
                    lo, hi = wilson(round(acc * len(labels)), len(labels))
                    row = dict(cfg_scale=cfg, temperature=t, top_k=k, class_accuracy=acc, ci95=[lo, hi], samples=len(labels))
                    if a.fid:
                        row['fid_offline'] = float(fidelity_metrics(resize_uint8(imgs, tok.cfg.image_size), real, 'attributes',
                                                                    d / 'attribute_net_32.pt', isc=False)['frechet_inception_distance'])
                    row['seconds'] = time.time() - t0
                    rows.append(row)
                    print(f'{d.name}: cfg {cfg:4.1f}  temperature {t:.2f}  top-k {k:4d}: class accuracy {acc:.3f} [{lo:.3f}, {hi:.3f}]'
                          + (f"  FID {row['fid_offline']:.2f}" if a.fid else ''), flush=True)
        runs.append(dict(demo=str(d), rows=rows))
    if a.json:
        out = dict(runs=runs, seed=a.seed, per_class=a.per_class, **provenance(seeds=a.seed))
        if len(runs) == 1: out = dict(demo=runs[0]['demo'], seed=a.seed, per_class=a.per_class, rows=runs[0]['rows'], **provenance(seeds=a.seed))
        atomic_write(a.json, lambda f: f.write(json.dumps(out, indent=1).encode()))

if __name__ == '__main__': main()
