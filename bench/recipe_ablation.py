"""Recipe ablation: trains the UNet with one lever of the recipe changed at a time (same data, steps, seed and model),
then compares held-out noise loss (unweighted, on test digits), conditional accuracy and judge-FID at each of
`--guidance_scales` and the class entropy of unconditional samples, all sampled with DPM-Solver++ 2M SDE (20 steps)
from the same noise (`mnist_cfg.evaluate.evaluate_model`).

CPU, reduced size: the CPU recipe (configs/cpu.yaml, 2,500 steps of 64 images; about 22 minutes a variant on 2 cores,
scoring included) with one lever changed at a time:
    python bench/recipe_ablation.py --config configs/cpu.yaml --dataset_path ../shared/data \
        --text_encoder "$(python -m mnist_cfg.text)" --n_per_digit 100 --guidance_scales 2 8 \
        --variants default no_text_time seed423 no_ema warmup10 --keep outputs/ablation_cpu
GPU, full size (the default recipe: 5 epochs x 512 images on all 60,000):
    python bench/recipe_ablation.py --dataset_path ./dataset_cache --n_per_digit 100
"""
import argparse, json, tempfile, time
from pathlib import Path

import torch
from accelerate.state import AcceleratorState

from mnist_cfg.core import TrainConfig, load_yaml_config
from mnist_cfg.evaluate import evaluate_model, heldout_loss, load_judge, machine_info
from mnist_cfg.sample import load_model
from mnist_cfg.train import checkpoint_path, load_checkpoint, train

VARIANTS = {'default': ('the base settings (defaults, --config and --set)', {}),
            'seed423': ('the base settings, another training seed (423): the spread between seeds', dict(seed=423)),
            'no_text_time': ('pooled text embedding not added to the timestep embedding', dict(text_time_embedding=False)),
            'min_snr5': ('min-SNR-γ loss weighting, γ = 5', dict(snr_gamma=5.0)),
            'no_snr': ('no min-SNR-γ weighting (plain MSE)', dict(snr_gamma=0.0)),
            'lr1e-3': ('peak learning rate 1e-3', dict(learning_rate=1e-3)),
            'lr2e-3': ('peak learning rate 2e-3', dict(learning_rate=2e-3)),
            'warmup10': ('10 warmup steps', dict(lr_warmup_steps=10)),
            'dropout0.2': ('caption dropout 0.2', dict(cond_dropout=0.2)),
            'no_ema': ('no EMA: sample with the last weights', dict(use_ema=False)),
            'ema_power0.75': ('EMA warmup power 3/4 (longer window early)', dict(ema_power=0.75))}


def compare(variants:dict, # key -> (description, TrainConfig overrides)
            base:dict, # TrainConfig fields shared by every variant
            dataset_path:str, n_per_digit:int, guidance_scales:list, sampler:str, steps:int, root:Path, dev:str,
            on_row=None, # called as `on_row(rows, judge info, random_clip)` after each variant (to save partial results)
           ) -> tuple:
    "Train each variant from scratch in `root/key` and score it; returns (rows, judge info, whether CLIP was random)."
    judge, jinfo = load_judge(dataset_path, device=dev)
    rows, random_clip = [], None
    for key, (name, kw) in variants.items():
        AcceleratorState._reset_state(True)
        cfg = TrainConfig(**{**base, **kw, 'output_dir': str(root/key), 'dataset_path': dataset_path, 'sample_every': 0})
        final = checkpoint_path(cfg.output_dir, cfg.num_epochs - 1)
        if final.exists():   # trained by an earlier call with the same --keep folder (the settings are checked): only score it
            history, wall = load_checkpoint(final, cfg)['history'], None
        else:
            t0 = time.perf_counter(); history = train(cfg)['history']; wall = time.perf_counter() - t0
        model_dir = Path(cfg.output_dir)/'model'
        train_secs = sum(h['seconds'] for h in history)
        heldout = heldout_loss(load_model(model_dir, dev, verbose=False), dataset_path)           # float32
        model = load_model(model_dir, dev, verbose=False, dtype=torch.bfloat16)   # bf16 sampling: AVX512-BF16 CPUs and GPUs
        random_clip = bool(model.text.random_weights)
        ev = evaluate_model(model, judge, dataset_path, n_per_digit, guidance_scales, ((sampler, steps),), batch_size=250)
        rows.append(dict(key=key, variant=name, overrides=kw, train_seconds=train_secs, wall_seconds=wall,
                         train_images_per_s=sum(h['images_per_s'] * h['seconds'] for h in history) / train_secs,
                         final_train_loss=history[-1]['loss'], heldout_loss=heldout, fid_floor=ev['fid_floor'],
                         sweep=ev['sweep'], unconditional=ev['unconditional']))
        scores = ', '.join(f"s={r['guidance_scale']:g}: {r['accuracy']:.1%} FID {r['fid']:.1f}" for r in ev['sweep'])
        print(f"{key:14s} {name:58s} train {rows[-1]['train_images_per_s']:5.1f} img/s ({train_secs:.0f} s) | held-out loss "
              f"{heldout:.4f} | {sampler} {steps}: {scores} (floor {ev['fid_floor']:.1f}) | unconditional "
              f"{ev['unconditional']['entropy_bits']:.2f} bits", flush=True)
        if on_row is not None: on_row(rows, jinfo, random_clip)
    return rows, jinfo, random_clip


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--dataset_path', default='./dataset_cache'); p.add_argument('--text_encoder', default='openai/clip-vit-base-patch32')
    p.add_argument('--config', default=None, help='YAML file of TrainConfig fields shared by every variant (e.g. configs/cpu.yaml)')
    p.add_argument('--set', nargs='*', default=[], help='TrainConfig fields shared by every variant, as key=value (win over --config)')
    p.add_argument('--variants', nargs='+', default=list(VARIANTS), choices=list(VARIANTS))
    p.add_argument('--n_per_digit', type=int, default=50); p.add_argument('--guidance_scales', type=float, nargs='+', default=[8.0])
    p.add_argument('--sampler', default='sde-dpmsolver++'); p.add_argument('--steps', type=int, default=20)
    p.add_argument('--keep', default=None, help='keep the runs here'); p.add_argument('--cpu', action='store_true')
    p.add_argument('--out', default=None)
    a = p.parse_args()
    dev = 'cpu' if a.cpu or not torch.cuda.is_available() else 'cuda'
    base = (load_yaml_config(a.config) if a.config else {}) | dict(kv.split('=', 1) for kv in a.set) | dict(text_encoder=a.text_encoder, cpu=a.cpu)
    root = Path(a.keep or tempfile.mkdtemp(prefix='recipe_ablation_'))
    out = Path(a.out or f"bench/results/recipe_ablation_{dev}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    def save(rows, jinfo, random_clip):   # after every variant: a run stopped midway keeps what it measured
        out.write_text(json.dumps(dict(machine=machine_info(), date=time.strftime('%Y-%m-%d'), args=vars(a), base=base,
                                       n=10 * a.n_per_digit, judge=jinfo, random_text_encoder=random_clip, rows=rows), indent=1))
    compare({k: VARIANTS[k] for k in a.variants}, base, a.dataset_path, a.n_per_digit, a.guidance_scales, a.sampler, a.steps,
            root, dev, on_row=save)


if __name__ == '__main__': main()
