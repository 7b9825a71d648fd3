#!/usr/bin/env bash
# Hita tokenizers, the paper's recipe (HITA_SPEC section 2.5): 336 px, global batch 256 on 8 GPUs (32 each),
# 50 epochs (about 250k steps on ImageNet-1k), Adam 1e-4 (0.9, 0.95), 4 warm-up epochs then constant, clip 1.0,
# bf16, EMA 0.9999, LPIPS-VGG weight 1, adversarial weight 0.5 from step 20000, checkpoints every 5000 steps.
#   hita_v: PatchGAN discriminator (as the README trains it).
#   hita_u: DINO ViT-S/16 discriminator and the foundation-feature loss (1 - cos, weight 1); needs the DINO ViT-S/16
#           weights in timm's cache (or --dino-disc-weights FILE).
# Needs: ImageNet train as root/<class>/<image>, the DINOv2-L/14-reg4 weights, torchvision's VGG16 weights.
# Fewer GPUs, same recipe: NGPU=1 scripts/train_tokenizer.sh ... --micro-batch 32 (8 passes of 32 per step).
# Several nodes (by hand or under SLURM): NNODES, NODE_RANK, MASTER_ADDR; examples in scripts/torchrun_args.sh.
# Usage: scripts/train_tokenizer.sh hita_v|hita_u /data/imagenet/train /models/dinov2_vitl14_reg4_pretrain.pth [extra flags]
# Resumes from $OUT/checkpoints when it exists.
set -euo pipefail
source "$(dirname "$0")/torchrun_args.sh"   # NGPU, NNODES, NODE_RANK, MASTER_ADDR, RDZV_ENDPOINT, DRY_RUN: see that file
FLAVOUR=${1:?hita_v or hita_u}; DATA=${2:?ImageNet train folder}; DINO=${3:?DINOv2 weights file}; shift 3
case "$FLAVOUR" in
  hita_v) DISC=(--disc patchgan) ;;
  hita_u) DISC=(--disc dino --vfm-weight 1.0) ;;
  *) echo "flavour must be hita_v or hita_u, got $FLAVOUR" >&2; exit 2 ;;
esac
run_torchrun -m hita_nb.tokenizer.train \
  --preset "$FLAVOUR" --data "$DATA" --semantic-weights "$DINO" --image-size 336 \
  --global-batch 256 --epochs 50 --lr 1e-4 --beta1 0.9 --beta2 0.95 --warmup-epochs 4 --clip 1.0 \
  --precision bf16 --ema-decay 0.9999 --perceptual-weight 1.0 --lpips-download \
  "${DISC[@]}" --disc-start 20000 --disc-weight 0.5 --ckpt-every 5000 --workers 8 \
  --out "${OUT:-runs/$FLAVOUR}" --resume "$@"
