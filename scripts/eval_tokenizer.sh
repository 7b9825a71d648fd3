#!/usr/bin/env bash
# Tokenizer reconstruction on ImageNet val (HITA_SPEC section 5.1): centre crop at the tokenizer's resolution, EMA
# weights, both sets to uint8 and bicubic 256, then rFID / rIS between reconstructions and resized originals
# (torch-fidelity Inception), PSNR, SSIM with data_range 1 (and the official, inflated data_range 2), and the usage of
# both codebooks over the 50,000 images.
# Usage: scripts/eval_tokenizer.sh TOKENIZER_CKPT IMAGENET_VAL_FOLDER [DINOV2_WEIGHTS]
set -euo pipefail
TOK=${1:?tokenizer checkpoint (ours or official hita-tok.pt / hita-ultra.pt)}; VAL=${2:?ImageNet val as root/<class>/<image>}
python -m hita_nb.eval recon --tokenizer "$TOK" --semantic-weights "${3:-}" --data "$VAL" --n 50000 --batch 32 \
  --json "${OUT:-runs/eval}/$(basename "$TOK" .pt)_recon.json"
