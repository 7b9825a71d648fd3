"""`hita_nb demo` over several seeds and presets (notebook 65): one demo per (preset, seed), each a subprocess with its own
output folder, then one JSON with every run's metrics.json, for paired comparisons of the presets (and of the
tokenizer's amplitude-loss weight, `hita_nb demo --spectral-weight`: each weight is an arm of its own).

    python scripts/demo_seeds.py --out runs/demo_seeds                                    # tiny_style, tiny_style_random; seeds 0 1 2
    python scripts/demo_seeds.py --out runs/demo_seeds --presets tiny_style --seeds 3 4 --jobs 1
    python scripts/demo_seeds.py --out runs/demo_seeds --presets tiny_style --spectral-weights 0 1   # a flag's arms, paired by seed
    python scripts/demo_seeds.py --out runs/demo_seeds --collect --results nbs/results/demo_seeds.json

A demo takes about 10 minutes on 2 cores; with --jobs 2 each job gets one thread (OMP_NUM_THREADS=1), so two demos run
side by side in about the time of one on two threads, each slower than the demo's budget (its minutes are recorded as
they were: they are not the demo's 10-minute figure). Runs are resumable: a run whose metrics.json exists is kept, so the
script can be stopped and restarted. --collect trains nothing: it gathers the finished runs of --out.
"""
import argparse, json, os, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from hita_nb.core import provenance

PRESETS = ['tiny_style', 'tiny_style_random']

def arm_name(preset: str, spectral_weight: float = 0.0) -> str:
    "The arm's name (its folder prefix and `variant`): the preset, with `_spectral{w}` when the amplitude loss is on."
    return preset if not spectral_weight else f'{preset}_spectral{spectral_weight:g}'

def run_one(out: Path, preset: str, seed: int, threads: int, spectral_weight: float = 0.0) -> Path:
    "Run one demo into `out/{arm}_seed{seed}` (skipped when its metrics.json exists); its log beside it."
    d = out / f'{arm_name(preset, spectral_weight)}_seed{seed}'
    if (d / 'metrics.json').exists(): return d
    d.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    cmd = [sys.executable, '-c', 'import sys; from hita_nb.cli import main; sys.exit(main())',
           'demo', '--out', str(d), '--preset', preset, '--seed', str(seed), '--spectral-weight', str(spectral_weight)]
    t0 = time.time()
    with open(d / 'demo.log', 'w') as log:
        rc = subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT).returncode
    print(f'{d.name}: exit {rc} after {(time.time() - t0) / 60:.1f} min', flush=True)
    if rc: raise RuntimeError(f'{d.name} failed (exit {rc}); see {d / "demo.log"}')
    return d

def collect(out: Path, presets, spectral_weights=(0.0,)) -> dict:
    "The finished runs under `out`, in preset order, then weight order, then seed order."
    runs = []
    for p in presets:
        for w in spectral_weights:
            arm = arm_name(p, w)
            for f in sorted(out.glob(f'{arm}_seed*/metrics.json'), key=lambda f: int(f.parent.name.rsplit('seed', 1)[1])):
                m = json.loads(f.read_text())
                ok = m['preset'] == p and not m['quick'] and m['training'].get('spectral_weight', 0.0) == w
                if ok: runs.append(dict(variant=arm, **m))   # `variant`: for claim_verdicts
    return dict(experiment='hita_nb demo over seeds and presets (notebook 65)', runs=runs)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default='runs/demo_seeds', help='working folder: one demo folder per (preset, seed)')
    p.add_argument('--presets', nargs='*', default=PRESETS, help='demo presets (hita_nb demo --preset)')
    p.add_argument('--seeds', nargs='*', type=int, default=[0, 1, 2])
    p.add_argument('--spectral-weights', nargs='*', type=float, default=[0.0],
                   help="the tokenizer's amplitude-loss weights (hita_nb demo --spectral-weight); each one is an arm")
    p.add_argument('--jobs', type=int, default=2, help='demos run side by side; each gets cores // jobs threads')
    p.add_argument('--collect', action='store_true', help='train nothing: gather the finished runs of --out')
    p.add_argument('--results', default='', help='JSON to write (default OUT/demo_seeds.json)')
    a = p.parse_args(argv)
    out = Path(a.out)
    if not a.collect:
        threads = max(1, (os.cpu_count() or 1) // a.jobs)
        jobs = [(pr, s, w) for s in a.seeds for pr in a.presets for w in a.spectral_weights]   # seed-major: arms finish together
        with ThreadPoolExecutor(a.jobs) as ex: list(ex.map(lambda j: run_one(out, j[0], j[1], threads, j[2]), jobs))
    res = collect(out, a.presets, a.spectral_weights)
    res.update(provenance=provenance(seeds=a.seeds))
    dest = Path(a.results or out / 'demo_seeds.json'); dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(res, indent=1))
    print(f'{len(res["runs"])} runs -> {dest}')

if __name__ == '__main__': main()
