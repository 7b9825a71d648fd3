# Sourced by the launch scripts in this folder: builds TORCHRUN, the torchrun command for one node or several.
#   NGPU          processes (GPUs) per node, default 8
#   NNODES        nodes, default 1
#   NODE_RANK     this node's index, 0..NNODES-1 (several nodes without a rendezvous endpoint)
#   MASTER_ADDR   host name or address of node 0, MASTER_PORT its free port (default 29500)
#   RDZV_ENDPOINT host:port of a c10d rendezvous instead (elastic; no NODE_RANK needed), RDZV_ID a job id (default hita)
#   DRY_RUN=1     print the command instead of running it
# Two nodes of 8 GPUs, by hand: on node 0 and node 1 run
#   NNODES=2 NODE_RANK=0 MASTER_ADDR=node0 scripts/train_gpt.sh XXL 300 hita-tok.pt codes/
#   NNODES=2 NODE_RANK=1 MASTER_ADDR=node0 scripts/train_gpt.sh XXL 300 hita-tok.pt codes/
# Under SLURM, one task per node (sbatch --nodes 2 --ntasks-per-node 1 --gres gpu:8):
#   srun bash -c 'NNODES=$SLURM_NNODES NODE_RANK=$SLURM_NODEID \
#     MASTER_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1) scripts/train_gpt.sh XXL 300 hita-tok.pt codes/'
# Every process gets its global RANK from torchrun: data is sharded by it, and only rank 0 writes logs and checkpoints
# (the output folder must be on a file system all nodes see, for resuming).
TORCHRUN=(torchrun --nproc_per_node "${NGPU:-8}" --nnodes "${NNODES:-1}")
if [ -n "${RDZV_ENDPOINT:-}" ]; then
  TORCHRUN+=(--rdzv_backend c10d --rdzv_endpoint "$RDZV_ENDPOINT" --rdzv_id "${RDZV_ID:-hita}")
elif [ "${NNODES:-1}" -gt 1 ]; then
  TORCHRUN+=(--node_rank "${NODE_RANK:?set NODE_RANK (0..NNODES-1) on each node}" \
             --master_addr "${MASTER_ADDR:?set MASTER_ADDR to node 0}" --master_port "${MASTER_PORT:-29500}")
fi
run_torchrun() { if [ -n "${DRY_RUN:-}" ]; then echo "${TORCHRUN[@]}" "$@"; else "${TORCHRUN[@]}" "$@"; fi; }
run_cmd() { if [ -n "${DRY_RUN:-}" ]; then echo "$@"; else "$@"; fi; }
