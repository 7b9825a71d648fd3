#!/usr/bin/env python
"""Paper Tables 2, 3, 9 and 10 in miniature: train tiny tokenizer variants (no queries, semantic injection with the
offline stand-in, Partial / Full mask-token fusion, without E_trans, without E_causal, a plain VQGAN, selection lengths
k = 0, 1, 4, Hita itself and Hita without recoloured patch inputs) on the embedded dataset, and score reconstruction,
codebook usage, linear probes of the class and swap-decode style transfer on held-out images. Writes OUT/results.json;
with --commit copies it to nbs/results/ablation_tokenizer.json (recipe tiny, the first miniature) or to
nbs/results/ablation_tokenizer_style.json (recipe tiny_style, the demo's, read by notebooks 90-93). Resumable: finished
(variant, seed) runs are skipped, so two processes with different --variants may share --out (one core each); a last
call with every variant trains nothing and writes the complete results file (about 5 minutes per run and core on a
2-core AVX-512 machine; 60 runs in about 2.5 hours):

    OMP_NUM_THREADS=1 python scripts/ablation_tokenizer.py --recipe tiny_style --seeds 0 1 2 3 4 --variants hita no_queries vanilla_vq semantic hita_norecolour partial &
    OMP_NUM_THREADS=1 python scripts/ablation_tokenizer.py --recipe tiny_style --seeds 0 1 2 3 4 --variants full no_trans no_causal k0 k1 k4 &
    wait; python scripts/ablation_tokenizer.py --recipe tiny_style --seeds 0 1 2 3 4 --commit"""
import argparse, shutil
from pathlib import Path
from hita_nb.experiments.ablations import tokenizer_variants, VARIANTS, RECIPES

class _Fmt(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter): pass
p = argparse.ArgumentParser(description=__doc__, formatter_class=_Fmt)
p.add_argument('--out', default='', help='working folder (default runs/ablation_tokenizer, or runs/ablation_tokenizer_style)')
p.add_argument('--recipe', default='tiny', choices=list(RECIPES), help="the options and training budget of every variant (notebook 90)")
p.add_argument('--variants', nargs='+', default=list(VARIANTS), choices=list(VARIANTS))
p.add_argument('--seeds', type=int, nargs='+', default=[0, 1])
p.add_argument('--steps', type=int, default=None, help="tokenizer steps (default: the recipe's, 400 or 800)")
p.add_argument('--images', type=int, default=8000)
p.add_argument('--batch', type=int, default=None, help="images per step (default: the recipe's, 32 or 16)")
p.add_argument('--lr', type=float, default=1e-3)
p.add_argument('--probe-images', type=int, default=2000, help='training images of the linear probes (0: no probe)')
p.add_argument('--style-pairs', type=int, default=200, help='held-out pairs scored for style transfer (0: none)')
p.add_argument('--commit', action='store_true', help='copy the JSON to nbs/results/ablation_tokenizer.json')
a = p.parse_args()
style = a.recipe == 'tiny_style'
out = a.out or ('runs/ablation_tokenizer_style' if style else 'runs/ablation_tokenizer')
res = tokenizer_variants(out, {v: VARIANTS[v] for v in a.variants}, a.seeds, a.steps, a.images, batch=a.batch, lr=a.lr,
                         probe_images=a.probe_images, style_pairs=a.style_pairs, recipe=a.recipe,
                         experiment='tokenizer variants (paper Tables 2, 9, 10), miniature' + (', recipe tiny_style' if style else ''))
if a.commit:
    dst = Path(__file__).resolve().parent.parent / f"nbs/results/ablation_tokenizer{'_style' if style else ''}.json"
    dst.parent.mkdir(parents=True, exist_ok=True); shutil.copy(Path(out) / 'results.json', dst); print(f'copied to {dst}')
for r in res['runs']:
    print(f"{r['variant']:<11} seed {r['seed']}: PSNR {r['psnr']:.2f}, usage holistic {r['usage_holistic']}, patch {r['usage_patch']:.3f}, "
          f"probe {r.get('linear_probe')}, palette from ref {r.get('style_transfer', {}).get('palette_from_reference')}")
