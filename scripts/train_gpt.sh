#!/usr/bin/env bash
# Class-conditional Hita GPTs, the paper's recipe (HITA_SPEC section 3.5): AdamW 1e-4 constant, betas (0.9, 0.95),
# weight decay 0.05 on 2+-dim parameters, clip 1.0, bf16, EMA 0.9999, class/token/residual/FFN dropout 0.1,
# global batch 256 over 8 GPUs, DDP for every size (as the official trainer).
# Fewer GPUs, same recipe: NGPU=2 scripts/train_gpt.sh ... --micro-batch 32 (4 passes of 32 per GPU and step).
# Several nodes (by hand or under SLURM): NNODES, NODE_RANK, MASTER_ADDR; examples in scripts/torchrun_args.sh.
# Usage: scripts/train_gpt.sh SIZE EPOCHS TOKENIZER_CKPT CODES_OR_IMAGES [extra flags]
#   SIZE: B, L, XL, XXL or 2B; EPOCHS: 50 or 300 (the model zoo also has 100 and 250)
#   CODES_OR_IMAGES: a folder written by `python -m hita_nb.ar.extract` (fast), or an ImageNet train folder
#   (tokenized on the fly every step, as the official trainer does; pass --semantic-weights for DINOv2).
# Extract codes first (once, on 8 GPUs):
#   torchrun --nproc_per_node 8 -m hita_nb.ar.extract --tokenizer TOKENIZER_CKPT --data /imagenet/train --out codes/ --variants ten_crop
set -euo pipefail
source "$(dirname "$0")/torchrun_args.sh"   # NGPU, NNODES, NODE_RANK, MASTER_ADDR, RDZV_ENDPOINT, DRY_RUN: see that file
SIZE=${1:?B, L, XL, XXL or 2B}; EPOCHS=${2:?50 or 300}; TOK=${3:?tokenizer checkpoint}; SRC=${4:?codes folder or image folder}; shift 4
if [ -f "$SRC/manifest.json" ]; then DATA=(--codes "$SRC"); else DATA=(--data "$SRC"); fi
run_torchrun -m hita_nb.ar.train \
  --gpt "$SIZE" --tokenizer "$TOK" "${DATA[@]}" --num-classes 1000 --epochs "$EPOCHS" --global-batch 256 \
  --lr 1e-4 --weight-decay 0.05 --beta1 0.9 --beta2 0.95 --clip 1.0 --precision bf16 --ema-decay 0.9999 \
  --class-dropout 0.1 --token-dropout 0.1 --resid-dropout 0.1 --ffn-dropout 0.1 --drop-path 0.0 \
  --ckpt-every 10000 --sample-every 10000 --workers 8 --out "${OUT:-runs/gpt_${SIZE}_${EPOCHS}e}" --resume "$@"
