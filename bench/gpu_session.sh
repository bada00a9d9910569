#!/usr/bin/env bash
# Every GPU measurement of bench/README.md in one go (meant to fit in 5 minutes on one H100; not run yet), for a session lent a GPU
# once: throughput against the plain baseline (with FLOPs and MFU), step variants, the default recipe's time to 99%, then sampling
# throughput and quality on the model that run trained. Results land in bench/results/*_cuda.json (and $OUT if set).
#
#   DATA=../shared/data CLIP=openai/clip-vit-base-patch32 bash bench/gpu_session.sh
set -euo pipefail
DATA=${DATA:-./dataset_cache}
CLIP=${CLIP:-$(python -m mnist_cfg.text)}   # offline: the random-weight stand-in
RUN=${RUN:-/tmp/mnist_cfg_ttq}
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python bench/train_throughput.py --dataset_path "$DATA" --text_encoder "$CLIP" --batch_size 512 --steps 10 --repeats 5
python bench/train_throughput.py --dataset_path "$DATA" --text_encoder "$CLIP" --batch_size 512 --steps 10 --repeats 5 \
    --set compile=true compile_mode=reduce-overhead --out bench/results/train_throughput_cuda_compiled.json
python bench/step_variants.py --dataset_path "$DATA" --text_encoder "$CLIP" --batch_size 512 --steps 10
python bench/time_to_quality.py --target 0.99 --dataset_path "$DATA" --text_encoder "$CLIP" --output_dir "$RUN"   # the default recipe, 5 epochs
python bench/sample_throughput.py --checkpoint "$(ls -d "$RUN"/checkpoints/checkpoint_epoch_*.pt | tail -1)" \
    --dataset_path "$DATA" --text_encoder "$CLIP" --n_per_digit 200
if [ -n "${OUT:-}" ]; then cp bench/results/*_cuda*.json "$OUT"/; fi
