#!/usr/bin/env bash
# Hita-V tokenizer, the paper's recipe (HITA_SPEC section 2.5): 336 px, global batch 256 on 8 GPUs (32 each),
# 50 epochs (about 250k steps on ImageNet-1k), Adam 1e-4 (0.9, 0.95), 4 warm-up epochs then constant, clip 1.0,
# bf16, EMA 0.9999, LPIPS-VGG weight 1, PatchGAN from step 20000 with weight 0.5, checkpoints every 5000 steps.
# Needs: ImageNet train as root/<class>/<image>, the DINOv2-L/14-reg4 weights, torchvision's VGG16 weights.
# Usage: scripts/train_tokenizer_hita_v.sh /data/imagenet/train /models/dinov2_vitl14_reg4_pretrain.pth [extra flags]
set -euo pipefail
DATA=${1:?ImageNet train folder}; DINO=${2:?DINOv2 weights file}; shift 2
torchrun --nproc_per_node "${NGPU:-8}" -m hita_nb.tokenizer.train \
  --preset hita_v --data "$DATA" --semantic-weights "$DINO" --image-size 336 \
  --global-batch 256 --epochs 50 --lr 1e-4 --beta1 0.9 --beta2 0.95 --warmup-epochs 4 --clip 1.0 \
  --precision bf16 --ema-decay 0.9999 --perceptual-weight 1.0 --lpips-download \
  --disc patchgan --disc-start 20000 --disc-weight 0.5 --ckpt-every 5000 --workers 8 \
  --out "${OUT:-runs/hita_v}" --resume "$@"
