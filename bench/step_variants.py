"""Training-step throughput of mnist_cfg's `train_step` under variants of the config, one process: precision,
channels_last, attention placement and head size. The source of the "bf16 alone" and "attention placement"
numbers in the README (batch 128 there).

    python bench/step_variants.py --dataset_path ../shared/data --text_encoder "$(python -m mnist_cfg.text)" --batch_size 128
    # the micro-batch sizes of one 512-image step (bf16; the same update, see --micro_batch_size)
    python bench/step_variants.py --dataset_path ../shared/data --text_encoder "$(python -m mnist_cfg.text)" --batch_size 512 \
        --micro_batches 512 256 128 64 --out bench/results/micro_batch_cpu.json
"""
import argparse, json, statistics, time
from dataclasses import replace
from pathlib import Path

import torch
from accelerate.state import AcceleratorState

from mnist_cfg.core import TrainConfig
from mnist_cfg.data import global_batches, load_mnist_tensors
from mnist_cfg.evaluate import machine_info
from mnist_cfg.text import TextConditioner
from mnist_cfg.train import make_accelerator, setup_training, train_step
from mnist_cfg.unet import n_params

VARIANTS = [('fp32', dict(mixed_precision='no')), ('bf16', dict(mixed_precision='bf16')),
            ('fp32 + channels_last', dict(mixed_precision='no', channels_last=True)),
            ('bf16 + channels_last', dict(mixed_precision='bf16', channels_last=True)),
            ('attention at 32, 16, 8 (bf16)', dict(mixed_precision='bf16', attention_levels=(0, 1, 2))),
            ('8-channel heads (bf16)', dict(mixed_precision='bf16', head_channels=8))]


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--dataset_path', default='./dataset_cache'); p.add_argument('--text_encoder', default='openai/clip-vit-base-patch32')
    p.add_argument('--batch_size', type=int, default=128); p.add_argument('--steps', type=int, default=3)
    p.add_argument('--micro_batches', type=int, nargs='*', default=None, help='instead: bf16 steps in micro-batches of these sizes')
    p.add_argument('--cpu', action='store_true'); p.add_argument('--out', default=None)
    a = p.parse_args()
    variants = [(f'bf16, micro-batches of {m}', dict(mixed_precision='bf16', micro_batch_size=m)) for m in a.micro_batches] if a.micro_batches else VARIANTS
    base = TrainConfig(dataset_path=a.dataset_path, text_encoder=a.text_encoder, batch_size=a.batch_size, cpu=a.cpu)
    data, text = load_mnist_tensors(base.dataset_path), TextConditioner(base.text_encoder, verbose=False)
    rows = []
    for name, kw in variants:
        AcceleratorState._reset_state(True)   # a fresh Accelerator per precision
        cfg = replace(base, **kw); acc = make_accelerator(cfg)
        s = setup_training(cfg, acc, text.dim, 1000)
        d, t = data.to(acc.device), TextConditioner(base.text_encoder, verbose=False, device=acc.device) if acc.device.type != 'cpu' else text
        b = global_batches(len(d), a.batch_size, 0, 0, device=acc.device)
        for i in range(2): train_step(s, d, t, b[i], cfg, acc)           # warm-up
        times = []
        for i in range(2, 2 + a.steps):
            t0 = time.perf_counter(); train_step(s, d, t, b[i], cfg, acc)[0].item(); times.append(time.perf_counter() - t0)
        rows.append(dict(variant=name, params=n_params(s.raw), images_per_s=a.batch_size / statistics.median(times)))
        print(f"{name:32s} {rows[-1]['images_per_s']:7.1f} images/s ({rows[-1]['params']/1e6:.2f}M params)", flush=True)
    out = Path(a.out or f"bench/results/step_variants_{'cuda' if torch.cuda.is_available() and not a.cpu else 'cpu'}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(dict(machine=machine_info(), date=time.strftime('%Y-%m-%d'), batch_size=a.batch_size, rows=rows), indent=1))


if __name__ == '__main__': main()
