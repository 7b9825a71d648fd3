#!/usr/bin/env python
"""Paper Fig. 2c and Fig. 7 in miniature: train the same tiny GPT on the codes of the Hita miniature and of a plain
VQGAN tokenizer, score class-conditional samples every EVAL_EVERY steps (class accuracy, offline FID) and in-painting
from 25/50/75 percent prefixes at the end.

With --seeds (notebooks 94 and 96): per seed s, the tokenizers hita and vanilla_vq of seed s, trained with --recipe
(default tiny_style, the demo's) unless --tokenizers holds them already (the output folder of
scripts/ablation_tokenizer.py with the same recipe), and one GPT each with seed s; --commit copies the results to
nbs/results/convergence_style.json. Resumable per (seed, tokenizer); processes with different --seeds may share --out
(one core each), and a last call with every seed trains nothing and writes the complete file:

    OMP_NUM_THREADS=1 python scripts/convergence.py --seeds 0 2 --out runs/convergence_style &
    OMP_NUM_THREADS=1 python scripts/convergence.py --seeds 1 --out runs/convergence_style &
    wait; python scripts/convergence.py --seeds 0 1 2 --out runs/convergence_style --commit

Without --seeds: the first miniature's single run (seed-0 tokenizers of recipe tiny from --tokenizers, which must
exist), written to nbs/results/convergence.json with --commit (the notebooks read the seeds run: convergence_style.json)."""
import argparse, shutil
from pathlib import Path
from hita_nb.experiments.convergence import gpt_convergence, convergence_seeds
from hita_nb.experiments.ablations import RECIPES

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--out', default='runs/convergence', help='working folder')
p.add_argument('--seeds', type=int, nargs='+', default=None, help='several seeds, paired tokenizer and GPT seeds (see above)')
p.add_argument('--recipe', default='tiny_style', choices=list(RECIPES), help='the tokenizers\' recipe with --seeds (notebook 90)')
p.add_argument('--tokenizers', default='', help='a folder of scripts/ablation_tokenizer.py runs (default with --seeds: OUT/tokenizers; '
               'without: runs/ablation_tokenizer)')
p.add_argument('--tok-seed', type=int, default=0, help='without --seeds: the tokenizers\' seed')
p.add_argument('--tok-steps', type=int, default=0, help="tokenizer steps (default: the recipe's; 400 without --seeds)")
p.add_argument('--steps', type=int, default=1200, help='GPT steps'); p.add_argument('--eval-every', type=int, default=300)
p.add_argument('--per-class', type=int, default=20); p.add_argument('--cfg-scale', type=float, default=3.0)
p.add_argument('--seed', type=int, default=0, help='without --seeds: the GPT seed'); p.add_argument('--inpaint-images', type=int, default=100)
p.add_argument('--commit', action='store_true', help='copy the JSON to nbs/results/')
a = p.parse_args()
kw = dict(steps=a.steps, eval_every=a.eval_every, per_class=a.per_class, cfg_scale=a.cfg_scale, inpaint_images=a.inpaint_images)
results = Path(__file__).resolve().parent.parent / 'nbs/results'
if a.seeds:
    res = convergence_seeds(a.out, a.seeds, recipe=a.recipe, tokenizer_dir=a.tokenizers or None, tok_steps=a.tok_steps or None, **kw)
    if a.commit: shutil.copy(Path(a.out) / 'results.json', results / 'convergence_style.json'); print(f"copied to {results / 'convergence_style.json'}")
    for r in res['runs']:
        print(r['variant'], r['seed'], [(c['step'], round(c['class_accuracy'], 3), round(c['fid_offline'], 2)) for c in r['curve']])
else:
    steps = a.tok_steps or 400
    cks = {n: Path(a.tokenizers or 'runs/ablation_tokenizer') / f'{n}_seed{a.tok_seed}' / 'checkpoints' / f'step_{steps:07d}.pt' for n in ('hita', 'vanilla_vq')}
    for n, ck in cks.items():
        if not ck.exists(): p.error(f'{ck} not found: run scripts/ablation_tokenizer.py --variants hita vanilla_vq first')
    res = gpt_convergence(a.out, cks, seed=a.seed, **kw)
    if a.commit: shutil.copy(Path(a.out) / 'results.json', results / 'convergence.json'); print(f"copied to {results / 'convergence.json'}")
    for n, r in res['runs'].items():
        print(n, [(c['step'], round(c['class_accuracy'], 3), round(c['fid_offline'], 2)) for c in r['curve']])
