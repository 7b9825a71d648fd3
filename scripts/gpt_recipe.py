#!/usr/bin/env python
"""The demo's GPT with another recipe, on the codes of finished `hita_nb demo` runs: for each run folder, train the
tiny GPT again on its codes with the given learning rate / steps / batch (everything else as `run_demo` trains it,
fp32), and score its samples exactly as the demo does (`score_samples`: 20 per class, CFG 3, the demo's seed, its
judge). The tokenizer is the run's own, so the comparison with the run's `samples.class_accuracy` is paired by seed.

    python scripts/gpt_recipe.py /tmp/gpt_steps/*_gpt1000_seed* --lr 2e-3 --out runs/gpt_lr --json nbs/results/demo_gpt_lr.json
    python scripts/gpt_recipe.py /tmp/gpt_steps/*_gpt1000_seed* --no-train --weights model --json nbs/results/demo_gpt_raw.json
    python scripts/gpt_recipe.py /tmp/gpt_steps/*_gpt1000_seed* --lr-min 0 --json nbs/results/demo_gpt_cosine.json

--no-train trains nothing: it scores the demo run's own GPT checkpoint, with its EMA weights (what the demo samples
from) or, with --weights model, its raw weights.

Each run is written to OUT/<demo folder name>_lr{lr}_steps{n}_b{batch}[_cos{lr_min}]; a run whose result.json exists is kept.
"""
import argparse, json, os, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def one(demo: str, out: str, lr: float, steps: int, batch: int, threads: int, train: bool = True, weights: str = 'ema',
        lr_min: float = -1.0) -> dict:
    os.environ['OMP_NUM_THREADS'] = os.environ['MKL_NUM_THREADS'] = str(threads)
    import torch
    torch.set_num_threads(threads)
    from hita_nb.ar.train import GPTTrainConfig, train_gpt
    from hita_nb.ar.load import load_gpt
    from hita_nb.tokenizer.load import load_tokenizer
    from hita_nb.data.attributes import load_or_train_classifier
    from hita_nb.eval.protocol import score_samples
    d, m = Path(demo), json.loads((Path(demo) / 'metrics.json').read_text())
    if not train: steps, lr, batch, lr_min = m['training']['gpt_steps'], 1e-3, 32, -1.0   # the demo's own GPT (run_demo's recipe)
    rd = Path(out) / ((f'{d.name}_lr{lr:g}_steps{steps}_b{batch}' + (f'_cos{lr_min:g}' if lr_min >= 0 else '') if train else f'{d.name}_own') + ('' if weights == 'ema' else f'_{weights}'))
    if (rd / 'result.json').exists(): return json.loads((rd / 'result.json').read_text())
    tok_ckpt = d / 'tokenizer/checkpoints' / f"step_{m['training']['tokenizer_steps']:07d}.pt"
    t0 = time.time()
    gc = GPTTrainConfig(gpt='tiny', tokenizer=str(tok_ckpt), codes=str(d / 'codes'), global_batch=batch, steps=steps, lr=lr, lr_min=lr_min,
                        ema_decay=0.99, token_dropout=0.0, resid_dropout=0.0, ffn_dropout=0.0, log_every=25, sample_every=10**9,
                        ckpt_every=10**9, keep=1, seed=m['seed'], out=str(rd / 'gpt'), device='cpu', precision='fp32')
    if train: train_gpt(gc, progress=False, overrides=dict(n_layer=4, n_head=4, dim=128))
    rd.mkdir(parents=True, exist_ok=True)
    tok = load_tokenizer(tok_ckpt, 'ema'); gpt = load_gpt((rd if train else d) / 'gpt/checkpoints' / f'step_{steps:07d}.pt', weights)
    net = load_or_train_classifier(d, 32, progress=False)
    smp, _ = score_samples(tok, gpt, net, 20, 3.0, m['seed'], d / 'attribute_net_32.pt', 1000)
    res = dict(demo=d.name, seed=m['seed'], lr=lr, lr_min=lr_min, steps=steps, batch=batch, trained=train, weights=weights, samples=smp, minutes=(time.time() - t0) / 60,
               demo_samples=m['samples'], demo_gpt_steps=m['training']['gpt_steps'])
    (rd / 'result.json').write_text(json.dumps(res, indent=1))
    print(f"{d.name}: class accuracy {m['samples']['class_accuracy']:.3f} (demo) -> {smp['class_accuracy']:.3f} ({res['minutes']:.1f} min)", flush=True)
    return res


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('demos', nargs='+', help='finished hita_nb demo folders (with codes/ and the tokenizer checkpoint kept)')
    p.add_argument('--lr', type=float, default=1e-3); p.add_argument('--steps', type=int, default=1000); p.add_argument('--batch', type=int, default=32)
    p.add_argument('--lr-min', type=float, default=-1.0, help='a cosine from --lr to this rate at the last step (GPTTrainConfig.lr_min); -1: constant, as the demo')
    p.add_argument('--out', default='runs/gpt_recipe'); p.add_argument('--jobs', type=int, default=2)
    p.add_argument('--threads', type=int, default=0, help='threads per run (0: cores // jobs); the demo runs of demo_seeds.py had 1')
    p.add_argument('--no-train', action='store_true', help="train nothing: score each demo run's own GPT checkpoint")
    p.add_argument('--weights', default='ema', choices=['ema', 'model'], help='which weights of the GPT checkpoint sample (the demo: ema)')
    p.add_argument('--json', default='', help='write every result here')
    a = p.parse_args(argv)
    threads = a.threads or max(1, (os.cpu_count() or 1) // a.jobs)
    with ProcessPoolExecutor(a.jobs) as ex:
        res = list(ex.map(one, a.demos, *zip(*[(a.out, a.lr, a.steps, a.batch, threads, not a.no_train, a.weights, a.lr_min)] * len(a.demos))))
    if a.json:
        from hita_nb.core import provenance
        Path(a.json).write_text(json.dumps(dict(experiment="the demo's GPT retrained with another recipe on the demo runs' codes",
                                                runs=res, provenance=provenance(seeds=sorted({r['seed'] for r in res}))), indent=1))


if __name__ == '__main__': main()
