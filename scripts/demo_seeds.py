"""`hita_nb demo` over several seeds and recipes (notebook 65): one demo per (arm, seed), each a subprocess with its own
output folder, then one JSON with every run's metrics.json, for paired comparisons of the arms.

An arm is a preset with its tokenizer budget, amplitude-loss weight, EMA decay and GPT steps (`hita_nb demo --preset P
--tok-steps N --spectral-weight W --tok-ema D --gpt-steps G`); its name says them,
`{preset}_{steps}[_spectral{w}][_ema{d}][_gpt{g}]` (tiny_style_720, tiny_style_880_spectral1,
tiny_style_880_spectral1_ema0.95: the EMA decay only where it is not 0.99, the GPT steps only where not 500), read back
from each run's metrics.json, so runs made with another default keep their own name.

    python scripts/demo_seeds.py --out runs/demo_seeds                                    # the default recipe; seeds 0 1 2
    python scripts/demo_seeds.py --out runs/demo_seeds --presets tiny_style tiny_style_random --seeds 3 4 --jobs 1
    python scripts/demo_seeds.py --out runs/demo_seeds --spectral-weights 0 1 --tok-steps 720   # arms paired by seed
    python scripts/demo_seeds.py --out runs/demo_seeds --tok-ema 0.95 --seeds 0 1 2 3 4          # the default with a shorter EMA
    python scripts/demo_seeds.py --out runs/gpt_steps --gpt-steps 500 1000 --seeds 0 1 2 3 4 --results nbs/results/demo_gpt_steps.json
    python scripts/demo_seeds.py --out runs/demo_seeds --collect --merge --results nbs/results/demo_seeds.json

A demo takes about 10 minutes on 2 cores; with --jobs 2 each job gets one thread (OMP_NUM_THREADS=1), so two demos run
side by side in about the time of one on two threads, each slower than the demo's budget (its minutes are recorded as
they were: they are not the demo's 10-minute figure). Runs are resumable: a run whose metrics.json exists is kept, so the
script can be stopped and restarted. --collect trains nothing: it gathers the finished runs of --out; with --merge it
keeps the runs already in --results and adds the new arms' runs.
"""
import argparse, json, os, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from hita_nb.core import provenance
from hita_nb.apps.demo import DEMO_RECIPES

def arm_name(preset: str, tok_steps: int, spectral_weight: float = 0.0, ema: float = 0.99, gpt_steps: int = 500) -> str:
    "An arm's name (its folder prefix and `variant`): the preset, its tokenizer steps, the amplitude-loss weight when on, the EMA decay when not 0.99, the GPT steps when not 500."
    return (f'{preset}_{tok_steps}' + (f'_spectral{spectral_weight:g}' if spectral_weight else '') + (f'_ema{ema:g}' if ema != 0.99 else '')
            + (f'_gpt{gpt_steps}' if gpt_steps != 500 else ''))

def arm_of(m: dict) -> str:
    "The arm a finished demo's metrics.json belongs to."
    t = m['training']
    return arm_name(m['preset'], t['tokenizer_steps'], t.get('spectral_weight', 0.0), t.get('tokenizer_ema_decay', 0.99), t.get('gpt_steps', 500))

def resolve(preset: str, tok_steps, spectral_weight):
    "The (steps, weight) a demo of `preset` runs with: the given ones, else the preset's recipe (DEMO_RECIPES)."
    r = DEMO_RECIPES[preset]
    return (tok_steps or r['tok_steps'], r.get('spectral_weight', 0.0) if spectral_weight is None else spectral_weight)

def run_one(out: Path, preset: str, seed: int, threads: int, tok_steps: int, spectral_weight: float, ema: float = 0.99,
            gpt_steps: int = 0) -> Path:
    "Run one demo into `out/{arm}_seed{seed}` (skipped when its metrics.json exists); its log beside it. gpt_steps 0: the preset's."
    gpt_steps = gpt_steps or DEMO_RECIPES[preset]['gpt_steps']
    d = out / f'{arm_name(preset, tok_steps, spectral_weight, ema, gpt_steps)}_seed{seed}'
    if (d / 'metrics.json').exists(): return d
    d.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    cmd = [sys.executable, '-c', 'import sys; from hita_nb.cli import main; sys.exit(main())',
           'demo', '--out', str(d), '--preset', preset, '--seed', str(seed), '--tok-steps', str(tok_steps),
           '--spectral-weight', str(spectral_weight), '--tok-ema', str(ema), '--gpt-steps', str(gpt_steps)]
    t0 = time.time()
    with open(d / 'demo.log', 'w') as log:
        rc = subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT).returncode
    print(f'{d.name}: exit {rc} after {(time.time() - t0) / 60:.1f} min', flush=True)
    if rc: raise RuntimeError(f'{d.name} failed (exit {rc}); see {d / "demo.log"}')
    return d

def collect(out: Path) -> list:
    "The finished full (not --quick) runs under `out`, each named by its arm."
    runs = [json.loads(f.read_text()) for f in out.glob('*_seed*/metrics.json')]
    return [dict(m, variant=arm_of(m)) for m in runs if not m['quick']]   # `variant`: for claim_verdicts

def merge(old: list, new: list) -> list:
    "The runs of `old` (renamed by their arm) and those of `new` whose (arm, seed) `old` lacks, by arm, then seed."
    old = [dict(m, variant=arm_of(m)) for m in old]
    have = {(m['variant'], m['seed']) for m in old}
    runs = old + [m for m in new if (m['variant'], m['seed']) not in have]
    return sorted(runs, key=lambda m: (m['variant'], m['seed']))

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default='runs/demo_seeds', help='working folder: one demo folder per (arm, seed)')
    p.add_argument('--presets', nargs='*', default=['tiny_style'], help='demo presets (hita_nb demo --preset)')
    p.add_argument('--seeds', nargs='*', type=int, default=[0, 1, 2])
    p.add_argument('--tok-steps', nargs='*', type=int, default=[0], help="tokenizer steps, each an arm (0: the preset's recipe)")
    p.add_argument('--spectral-weights', nargs='*', type=float, default=None,
                   help="the tokenizer's amplitude-loss weights (hita_nb demo --spectral-weight), each an arm (default: the preset's recipe)")
    p.add_argument('--tok-ema', nargs='*', type=float, default=[-1.0], help="the tokenizer's EMA decays (hita_nb demo --tok-ema), each an arm (-1: the preset's recipe)")
    p.add_argument('--gpt-steps', nargs='*', type=int, default=[0], help="GPT training steps (hita_nb demo --gpt-steps), each an arm (0: the preset's recipe)")
    p.add_argument('--jobs', type=int, default=2, help='demos run side by side; each gets cores // jobs threads')
    p.add_argument('--collect', action='store_true', help='train nothing: gather the finished runs of --out')
    p.add_argument('--merge', action='store_true', help='keep the runs already in --results and add the new ones')
    p.add_argument('--results', default='', help='JSON to write (default OUT/demo_seeds.json)')
    a = p.parse_args(argv)
    out, dest = Path(a.out), Path(a.results or Path(a.out) / 'demo_seeds.json')
    if not a.collect:
        threads = max(1, (os.cpu_count() or 1) // a.jobs)
        jobs = [(pr, s, *resolve(pr, n, w), DEMO_RECIPES[pr].get('tok_ema', 0.99) if e == -1 else e, g) for s in a.seeds for pr in a.presets
                for n in a.tok_steps for w in (a.spectral_weights or [None]) for e in a.tok_ema for g in a.gpt_steps]   # seed-major
        with ThreadPoolExecutor(a.jobs) as ex: list(ex.map(lambda j: run_one(out, j[0], j[1], threads, *j[2:]), jobs))
    runs = collect(out)
    if a.merge and dest.exists(): runs = merge(json.loads(dest.read_text())['runs'], runs)
    res = dict(experiment='hita_nb demo over seeds and recipes (notebook 65)', runs=runs, provenance=provenance(seeds=a.seeds))
    dest.parent.mkdir(parents=True, exist_ok=True); dest.write_text(json.dumps(res, indent=1))
    print(f'{len(runs)} runs -> {dest}: ' + ', '.join(sorted({f"{m['variant']} seed {m['seed']}" for m in runs})))

if __name__ == '__main__': main()
