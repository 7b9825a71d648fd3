#!/usr/bin/env bash
# Sample 50,000 class-conditional images on 8 GPUs and evaluate them (HITA_SPEC section 5.2).
# The CFG scales behind the paper's numbers are recorded neither in the paper nor in the official code (whose default
# is 1.5), so the scale is an argument: sweep it (e.g. 1.5 1.75 2.0 2.25) and report the best FID with its scale.
# CFG-free rows (Hita-U) use --cfg-scale 1.0.
# Several nodes (by hand or under SLURM): NNODES, NODE_RANK, MASTER_ADDR; examples in scripts/torchrun_args.sh.
# Usage: scripts/eval_gpt.sh GPT_CKPT TOKENIZER_CKPT CFG_SCALE REFERENCE_NPZ [extra sample flags]
#   GPT_CKPT / TOKENIZER_CKPT: ours or the official GPT-*.pt / hita-tok.pt (DINOv2 via SEMANTIC=...)
#   REFERENCE_NPZ: the ADM reference batch VIRTUAL_imagenet256_labeled.npz
# Outputs: $OUT/samples/*.png, $OUT/samples.npz (for the ADM TensorFlow evaluator, which the paper used),
#          $OUT/samples/settings.json and $OUT/fid.json (torch-fidelity Inception FID / IS / precision / recall).
# Labels are class-balanced (50 per class); add --labels uniform to draw them like the official script.
set -euo pipefail
source "$(dirname "$0")/torchrun_args.sh"   # NGPU, NNODES, NODE_RANK, MASTER_ADDR, RDZV_ENDPOINT, DRY_RUN: see that file
GPT=${1:?GPT checkpoint}; TOK=${2:?tokenizer checkpoint}; CFG=${3:?CFG scale}; REF=${4:?reference npz}; shift 4
OUT=${OUT:-runs/eval/$(basename "$GPT" .pt)_cfg$CFG}
run_torchrun -m hita_nb.eval sample --gpt "$GPT" --tokenizer "$TOK" \
  --semantic-weights "${SEMANTIC:-}" --out "$OUT/samples" --n 50000 --batch 32 --cfg-scale "$CFG" "$@"
run_cmd python -m hita_nb.eval fid --samples "$OUT/samples.npz" --reference "$REF" --prc --json "$OUT/fid.json"
