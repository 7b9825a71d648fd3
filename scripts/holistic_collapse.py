"""Why the holistic codebook collapses in miniature, and what stops it (notebook 80): train tiny tokenizers per
(variant, seed), score them on held-out images (seed 0 also at steps 100 and 200), and write one JSON with every number.

    python scripts/holistic_collapse.py --out runs/collapse                          # every variant, seeds 0 1 2
    python scripts/holistic_collapse.py --out runs/collapse --variants faithful restart20_patch4 --seeds 0
    python scripts/holistic_collapse.py --out runs/collapse --collect --results nbs/results/collapse.json
    python scripts/holistic_collapse.py --out runs/more --collect --merge --results nbs/results/collapse.json   # add new runs
    python scripts/holistic_collapse.py --out runs/collapse --rescore     # add scores a run lacks, from its final checkpoint
    python scripts/holistic_collapse.py --out runs/collapse --variants style_b16 --seeds 0 --look look.png   # a picture of its swaps

A run takes 6-8 minutes on one core of this 2-core machine with the other core busy (each run records its minutes);
two runs in parallel: start the script twice with different --variants. Runs are resumable: a run whose result file exists is read back, so the script can be stopped and
restarted. --collect trains nothing: it gathers the finished runs of the folder.
"""
import argparse, json
from pathlib import Path
from hita_nb.core import provenance
from hita_nb.experiments.collapse import COLLAPSE_VARIANTS, collapse_study

def collect(out: Path, variants) -> dict:
    "The finished runs under `out`, in variant order, then seed order."
    runs = []
    for v in variants:
        for f in sorted(out.glob(f'{v}_seed*/result.json'), key=lambda p: int(p.parent.name.rsplit('seed', 1)[1])):
            r = json.loads(f.read_text())
            if r['variant'] == v: runs.append(r)
    return dict(experiment='holistic codebook collapse in miniature (notebook 80)', runs=runs)

def rescore(out: Path, variants) -> int:
    "Add the scores a finished run lacks (reconstruction attributes; where swapped textures went; swaps onto plain sources), from its final checkpoint; returns how many."
    from hita_nb.core import atomic_write
    from hita_nb.data.attributes import load_or_train_classifier
    from hita_nb.data.datasets import ShapeStyles, HELD_OUT_SEED
    from hita_nb.tokenizer.load import load_tokenizer
    from hita_nb.tokenizer.semantic import STAND_INS
    from hita_nb.apps.style import score_style_transfer
    from hita_nb.experiments.collapse import recon_attributes, swap_onto_plain
    net = load_or_train_classifier(out, 32, 400, progress=False)
    held = ShapeStyles(500, 32, seed=HELD_OUT_SEED); x, a = held.batch(range(len(held)))[0], held.sample_attributes(range(len(held)))
    n = 0
    for v in variants:
        for f in sorted(out.glob(f'{v}_seed*/result.json')):
            r = json.loads(f.read_text()); ck = f.parent / 'checkpoints' / f'step_{r["steps"]:07d}.pt'
            fin, last = r['final'], r['curve'][str(r['steps'])]
            need_rec, need_swap = 'recon_attributes' not in fin, 'texture_kept_from_source' not in fin.get('style_transfer', {})
            need_plain = 'swap_onto_plain' not in fin
            if r['variant'] != v or not (need_rec or need_swap or need_plain) or not ck.exists(): continue
            sem = r['overrides'].get('semantic')
            look = {k: x for k, x in r['overrides'].get('data', {}).items() if k not in ('train', 'retexture')}   # a fixed texture phase: its own images
            hx, ha = (x, a) if not look else (lambda d: (d.batch(range(len(d)))[0], d.sample_attributes(range(len(d)))))(
                ShapeStyles(500, 32, seed=HELD_OUT_SEED, **look))
            tok = load_tokenizer(ck, semantic_weights=str(out / f'{sem}_32.pt') if sem in STAND_INS else '')
            if need_rec: fin['recon_attributes'] = last['recon_attributes'] = recon_attributes(tok, net, hx, ha)
            if need_swap: fin['style_transfer'] = last['style_transfer'] = score_style_transfer(tok, net, fin['style_transfer']['pairs'], data=look)[0]
            if need_plain: fin['swap_onto_plain'] = last['swap_onto_plain'] = swap_onto_plain(tok, net, fin['style_transfer']['pairs'], data=look)
            r['rescored'] = provenance(checkpoints=[ck])
            atomic_write(f, lambda fh: fh.write(json.dumps(r, indent=1).encode())); n += 1
            print(f.parent.name, fin['recon_attributes'], fin['style_transfer'], fin['swap_onto_plain'], flush=True)
    return n

def look(out: Path, variants, seed: int, dest: Path) -> Path:
    "One picture: 8 held-out sources and references, then per variant (its run with `seed`) the reconstructions and the swaps."
    import matplotlib; matplotlib.use('Agg')
    from hita_nb.data.datasets import ShapeStyles, HELD_OUT_SEED
    from hita_nb.tokenizer.load import load_tokenizer
    from hita_nb.tokenizer.semantic import STAND_INS
    from hita_nb.experiments.collapse import look_rows, plot_rows
    x = ShapeStyles(16, 32, seed=HELD_OUT_SEED).batch(range(16))[0]     # the default held-out images, whatever a variant's data
    rows = {'sources': x[:8], 'references': x[8:]}
    for v in variants:
        rd = out / f'{v}_seed{seed}'
        if not (rd / 'result.json').exists(): raise SystemExit(f'no finished run {rd}')
        r = json.loads((rd / 'result.json').read_text()); sem = r['overrides'].get('semantic')
        tok = load_tokenizer(rd / 'checkpoints' / f'step_{r["steps"]:07d}.pt', semantic_weights=str(out / f'{sem}_32.pt') if sem in STAND_INS else '')
        rows.update({f'{v}: {k.split(":")[0]}': t for k, t in look_rows(tok, x[:8], x[8:]).items()})
    fig = plot_rows(rows); dest.parent.mkdir(parents=True, exist_ok=True); fig.savefig(dest); return dest

def merge(old: dict, new: dict) -> dict:
    "The runs of `old` and those of `new` whose (variant, seed) `old` lacks, in variant order of COLLAPSE_VARIANTS, then seed."
    have = {(r['variant'], r['seed']) for r in old['runs']}
    added = [r for r in new['runs'] if (r['variant'], r['seed']) not in have]
    skipped = [f"{r['variant']}/{r['seed']}" for r in new['runs'] if (r['variant'], r['seed']) in have]
    if skipped: print('already in the results, kept as they were:', ', '.join(skipped))
    order = {v: i for i, v in enumerate(COLLAPSE_VARIANTS)}
    runs = sorted(old['runs'] + added, key=lambda r: (order.get(r['variant'], len(order)), r['seed']))
    print(f'{len(added)} runs added to {len(old["runs"])}')
    return dict(old, runs=runs)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default='runs/collapse', help='working folder (checkpoints, one result file per run)')
    p.add_argument('--variants', nargs='*', default=list(COLLAPSE_VARIANTS), help=f'a subset of {list(COLLAPSE_VARIANTS)}')
    p.add_argument('--seeds', nargs='*', type=int, default=[0, 1, 2])
    p.add_argument('--steps', type=int, default=400, help='tokenizer training steps (batch 32), as in the demo')
    p.add_argument('--collect', action='store_true', help='train nothing: gather the finished runs of --out')
    p.add_argument('--rescore', action='store_true', help='train nothing: add the scores a finished run lacks, from its final checkpoint')
    p.add_argument('--results', default='', help='JSON to write (default OUT/collapse.json)')
    p.add_argument('--merge', action='store_true', help='with --collect: keep the runs already in --results and add the new ones')
    p.add_argument('--look', default='', help='train nothing: write a PNG of the reconstructions and swaps of the finished runs of --variants (first of --seeds)')
    a = p.parse_args(argv)
    unknown = set(a.variants) - set(COLLAPSE_VARIANTS)
    if unknown: p.error(f'unknown variants {sorted(unknown)}; known: {list(COLLAPSE_VARIANTS)}')
    out = Path(a.out)
    if a.rescore: print(f'{rescore(out, a.variants)} runs rescored'); return
    if a.look: print('->', look(out, a.variants, a.seeds[0], Path(a.look))); return
    res = collect(out, a.variants) if a.collect else collapse_study(out, {v: COLLAPSE_VARIANTS[v] for v in a.variants}, a.seeds, a.steps)
    dest = Path(a.results or out / 'collapse.json'); dest.parent.mkdir(parents=True, exist_ok=True)
    if a.merge:
        if not (a.collect and dest.exists()): p.error('--merge needs --collect and an existing --results file')
        old = json.loads(dest.read_text()); res = merge(old, res)
        res['merged'] = old.get('merged', []) + [old.get('provenance', {})]   # where each earlier part came from
    res.update(provenance=provenance(seeds=a.seeds))
    dest.write_text(json.dumps(res, indent=1))
    print(f'{len(res["runs"])} runs -> {dest}')

if __name__ == '__main__': main()
