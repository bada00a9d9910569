#!/usr/bin/env bash
# The GPU measurements of the quality issue in one go, for a session lent a GPU (15 minutes of device time in all):
#   1. the README's default recipe (5 epochs x 512 on all 60,000 images), one epoch at a time with exact resume, its EMA
#      model scored after every epoch (time to 99%, bench/time_to_quality.py --all_epochs);
#   2. that model evaluated like the CPU one (bench/evaluate_default.py: n = 100 per digit, guidance 1-8, DDPM 50 and
#      DPM-Solver++ 2M SDE 20, FID floor, unconditional entropy), shipped as a model folder;
#   3. the recipe ablation at full size (bench/recipe_ablation.py), reusing run 1 as its 'default' row, until the deadline.
# Each step has its own time limit and writes under $RESULTS as it goes; a step that fails does not stop the next.
#
#   DATA=../shared/data CLIP="$(python -m mnist_cfg.text)" DEADLINE=420 RESULTS=/tmp/gpu_results bash bench/gpu_session.sh
#
# Run once on an H200 (2026-11-28, results/gpu_session_cuda.log): the machine had torch but not diffusers or fastcore
# (carried as wheels), MNIST came gzipped in a carried folder, the random CLIP stand-in was rebuilt there with
# make_random_text_encoder (seed 0: the same caption table as here, to 3e-6) and the judge cache was carried, so the
# numbers use the same judge as the CPU ones. The ablation stopped at the deadline; the rest of it ran in a second
# call on the same warm machine (python bench/recipe_ablation.py --keep <runs> ..., which reuses finished runs).
set -uo pipefail
DATA=${DATA:-./dataset_cache}
CLIP=${CLIP:-$(python -m mnist_cfg.text)}   # offline: the random-weight stand-in
RESULTS=${RESULTS:-/tmp/gpu_results}; RUNS=${RUNS:-/tmp/gpu_runs}
DEADLINE=${DEADLINE:-420}                   # seconds for the whole script
VARIANTS=${VARIANTS:-default no_text_time min_snr5 dropout0.2 ema_power0.75 lr2e-3 warmup10}
N_EVAL=${N_EVAL:-100}; N_ABL=${N_ABL:-200}; SCALES=${SCALES:-1 2 3 4 5 6 8}
SET=${SET:-}                                # dry runs: TrainConfig fields as key=value (e.g. max_train_images=512 num_epochs=2)
mkdir -p "$RESULTS" "$RUNS"
left() { echo $(( DEADLINE - SECONDS > 5 ? DEADLINE - SECONDS : 5 )); }
step() { local limit=$1; shift; echo "== $(date +%T) [$SECONDS s] $* (limit ${limit}s)"; timeout --kill-after 5 "$limit" "$@"; echo "== exit $? after $SECONDS s"; }
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python -c "import torch, diffusers, transformers, accelerate; print('torch', torch.__version__, 'cuda', torch.version.cuda, '| diffusers', diffusers.__version__, '| transformers', transformers.__version__, '| accelerate', accelerate.__version__)"
step $(( $(left) < 180 ? $(left) : 180 )) python bench/time_to_quality.py --target 0.99 --all_epochs --n_per_digit $N_EVAL \
    $(for kv in $SET; do echo "--${kv%%=*} ${kv#*=}"; done) --dataset_path "$DATA" --text_encoder "$CLIP" --output_dir "$RUNS/default" --out "$RESULTS/time_to_quality_cuda.json"
step $(( $(left) < 120 ? $(left) : 120 )) python bench/evaluate_default.py --run "$RUNS/default" --pretrained "$RESULTS/pretrained_cuda" \
    --dataset_path "$DATA" --n_per_digit $N_EVAL --guidance_scales $SCALES --out "$RESULTS/default_recipe_cuda"
step $(left) python bench/recipe_ablation.py --dataset_path "$DATA" --text_encoder "$CLIP" --keep "$RUNS" --n_per_digit $N_ABL \
    ${SET:+--set $SET} --variants $VARIANTS --out "$RESULTS/recipe_ablation_cuda.json"
ls -la "$RESULTS"
