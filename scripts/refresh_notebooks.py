"""Re-execute notebooks in place so that their outputs (figures, tables, printed checks) show on GitHub and in the docs,
then clean them with nbdev_clean (which keeps outputs) and check each file's size.

    python scripts/refresh_notebooks.py                       # every notebook in nbs/, slow cells skipped
    python scripts/refresh_notebooks.py nbs/16_tokenizer.ipynb nbs/80_holistic_collapse.ipynb
    python scripts/refresh_notebooks.py --check               # run nothing: only the size check

Cells flagged `#| slow`, `#| cuda`, `#| weights` or `#| eval: false` are skipped, as by `nbdev_test`; their old outputs are dropped. Figures
are stored as PNG at 72 dpi (not retina), and any single output larger than --max-output-kb is replaced by a one-line
note, so a notebook stays well under --max-kb. A notebook that raises stops the run with its traceback, and the file is
left as it was. Takes about as long as the test suite (10-15 minutes for all notebooks on 2 cores).
"""
import argparse, os, subprocess, sys, time, json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def _skip(cell) -> bool:
    "True for cells nbdev_test would not run: markdown, `#| slow`, `#| cuda`, `#| weights`, `#| eval: false`, an nbdev_export call."
    if cell.cell_type != 'code': return True
    head = [l.strip().replace(' ', '') for l in cell.source.splitlines() if l.strip().startswith('#|')]
    return any(h in ('#|slow', '#|cuda', '#|weights') or h.lower().startswith('#|eval:false') for h in head) or 'nbdev_export' + '(' in cell.source

def _size(o) -> int: return len(json.dumps(o))

def refresh(path: Path, max_output_kb: int) -> float:
    "Execute one notebook in its folder, keep its outputs (big ones replaced by a note), write it back; returns seconds."
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    nb = read_nb(path); t0 = time.time()
    for c in nb.cells:
        if c.cell_type == 'code': c.outputs, c.execution_count = [], None
    sh = CaptureShell(path, mpl_format='png')
    cwd = os.getcwd(); os.chdir(path.parent)
    try:
        sh.run("import matplotlib as _m; _m.rcParams.update({'figure.dpi': 72, 'savefig.dpi': 72})")
        sh.run_all(nb, exc_stop=True, preproc=_skip)
    except Exception:
        sys.stderr.write(sh.prettytb(fname=path) + '\n'); raise RuntimeError(f'{path.name} failed: left unchanged')
    finally: os.chdir(cwd)
    for c in nb.cells:
        if c.cell_type == 'code':
            c.outputs = [o if _size(o) <= max_output_kb * 1024 else
                         dict(output_type='stream', name='stdout', text=[f'[output of {_size(o) // 1024} kB left out of the stored notebook]\n'])
                         for o in c.get('outputs', [])]
    write_nb(nb, path)
    return time.time() - t0

def check_sizes(paths, max_kb: int) -> list[str]:
    "The notebooks over `max_kb`, with their sizes."
    return [f'{p.name}: {p.stat().st_size // 1024} kB' for p in paths if p.stat().st_size > max_kb * 1024]

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('notebooks', nargs='*', help='notebooks to refresh (default: every nbs/*.ipynb except index and _*)')
    p.add_argument('--check', action='store_true', help='run nothing: only check the sizes')
    p.add_argument('--max-kb', type=int, default=800, help='largest allowed notebook file')
    p.add_argument('--max-output-kb', type=int, default=150, help='largest single output kept')
    p.add_argument('--jobs', type=int, default=2, help='notebooks run at the same time, each in its own process')
    p.add_argument('--one', action='store_true', help=argparse.SUPPRESS)   # internal: run one notebook in this process
    a = p.parse_args(argv)
    nbs = [Path(n).resolve() for n in a.notebooks] or sorted(p for p in (ROOT / 'nbs').glob('*.ipynb') if not p.name.startswith('_'))
    if not a.check:
        if a.one: print(f'{nbs[0].name}: {refresh(nbs[0], a.max_output_kb):.0f} s', flush=True); return
        from concurrent.futures import ThreadPoolExecutor   # each notebook in a fresh process: IPython takes over __main__
        env = {**os.environ, 'HITA_NB_PROGRESS': os.environ.get('HITA_NB_PROGRESS', 'lines')}   # progress as a few lines, not a redrawn bar
        run = lambda n: subprocess.run([sys.executable, __file__, '--one', '--max-output-kb', str(a.max_output_kb), str(n)], env=env)
        with ThreadPoolExecutor(a.jobs) as ex: codes = list(ex.map(run, nbs))
        failed = [n.name for n, r in zip(nbs, codes) if r.returncode]
        if failed: raise SystemExit(f'failed (left unchanged): {failed}')
        subprocess.run(['nbdev_clean'], cwd=ROOT, check=True)
    big = check_sizes(nbs, a.max_kb)
    if big: raise SystemExit('over the size limit: ' + ', '.join(big))
    print(f'{len(nbs)} notebooks, each under {a.max_kb} kB (largest {max(n.stat().st_size for n in nbs) // 1024} kB)')

if __name__ == '__main__': main()
