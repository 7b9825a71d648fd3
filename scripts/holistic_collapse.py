"""Why the holistic codebook collapses in miniature, and what stops it (notebook 80): train tiny tokenizers per
(variant, seed), score them on held-out images (seed 0 also at steps 100 and 200), and write one JSON with every number.

    python scripts/holistic_collapse.py --out runs/collapse                          # every variant, seeds 0 1 2
    python scripts/holistic_collapse.py --out runs/collapse --variants faithful restart20_patch4 --seeds 0
    python scripts/holistic_collapse.py --out runs/collapse --collect --results nbs/results/collapse.json

A run takes 6-8 minutes on one core of this 2-core machine with the other core busy (each run records its minutes);
two runs in parallel: start the script twice with different --variants. Runs are resumable: a run whose result file exists is read back, so the script can be stopped and
restarted. --collect trains nothing: it gathers the finished runs of the folder.
"""
import argparse, json, subprocess, sys
from pathlib import Path
from hita_nb.experiments.collapse import COLLAPSE_VARIANTS, collapse_study

def collect(out: Path, variants) -> dict:
    "The finished runs under `out`, in variant order, then seed order."
    runs = []
    for v in variants:
        for f in sorted(out.glob(f'{v}_seed*/result.json'), key=lambda p: int(p.parent.name.rsplit('seed', 1)[1])):
            r = json.loads(f.read_text())
            if r['variant'] == v: runs.append(r)
    return dict(experiment='holistic codebook collapse in miniature (notebook 80)', runs=runs)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default='runs/collapse', help='working folder (checkpoints, one result file per run)')
    p.add_argument('--variants', nargs='*', default=list(COLLAPSE_VARIANTS), help=f'a subset of {list(COLLAPSE_VARIANTS)}')
    p.add_argument('--seeds', nargs='*', type=int, default=[0, 1, 2])
    p.add_argument('--steps', type=int, default=400, help='tokenizer training steps (batch 32), as in the demo')
    p.add_argument('--collect', action='store_true', help='train nothing: gather the finished runs of --out')
    p.add_argument('--results', default='', help='JSON to write (default OUT/collapse.json)')
    a = p.parse_args(argv)
    unknown = set(a.variants) - set(COLLAPSE_VARIANTS)
    if unknown: p.error(f'unknown variants {sorted(unknown)}; known: {list(COLLAPSE_VARIANTS)}')
    out = Path(a.out)
    res = collect(out, a.variants) if a.collect else collapse_study(out, {v: COLLAPSE_VARIANTS[v] for v in a.variants}, a.seeds, a.steps)
    res.update(command=' '.join(sys.argv), script_commit=subprocess.run(['git', 'rev-parse', 'HEAD'], capture_output=True, text=True).stdout.strip())
    dest = Path(a.results or out / 'collapse.json'); dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(res, indent=1))
    print(f'{len(res["runs"])} runs -> {dest}')

if __name__ == '__main__': main()
