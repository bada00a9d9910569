"""Quality cost of mnist_cfg's attention choices: trains the same UNet with attention at 16x16 and 8x8 with 32-channel
heads (the default), with attention also at 32x32 (what a UNet2DConditionModel with cross-attention in every level
but the last does), and with 8-channel heads (about diffusers' default of 8 heads), for the same number of steps,
then compares training speed, held-out noise-prediction loss and conditional accuracy and judge-FID of DDPM 50
samples at the default guidance.

    python bench/attention_quality.py --dataset_path ../shared/data --text_encoder "$(python -m mnist_cfg.text)" \
        --base_channels 16 --batch_size 128 --num_epochs 12 --n_per_digit 30

On a GPU, run it with the default model size (--base_channels 32) and the full training split.
"""
import argparse, json, sys, tempfile, time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from recipe_ablation import compare
from mnist_cfg.evaluate import machine_info

VARIANTS = {'default': ('attention at 16, 8; 32-channel heads (default)', dict(attention_levels=(1, 2))),
            'at32': ('attention at 32, 16, 8', dict(attention_levels=(0, 1, 2))),
            'heads8': ('8-channel heads', dict(head_channels=8))}


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--dataset_path', default='./dataset_cache'); p.add_argument('--text_encoder', default='openai/clip-vit-base-patch32')
    p.add_argument('--base_channels', type=int, default=32); p.add_argument('--batch_size', type=int, default=512)
    p.add_argument('--num_epochs', type=int, default=5); p.add_argument('--n_per_digit', type=int, default=50)
    p.add_argument('--guidance_scale', type=float, default=8.0); p.add_argument('--keep', default=None, help='keep the runs here')
    p.add_argument('--variants', nargs='+', default=list(VARIANTS), choices=list(VARIANTS))
    p.add_argument('--cpu', action='store_true'); p.add_argument('--out', default=None)
    a = p.parse_args()
    dev = 'cpu' if a.cpu or not torch.cuda.is_available() else 'cuda'
    base = dict(text_encoder=a.text_encoder, base_channels=a.base_channels, batch_size=a.batch_size, num_epochs=a.num_epochs,
                checkpoint_every=a.num_epochs, cpu=a.cpu)
    root = Path(a.keep or tempfile.mkdtemp(prefix='attention_quality_'))
    rows, jinfo, random_clip = compare({k: VARIANTS[k] for k in a.variants}, base, a.dataset_path, a.n_per_digit,
                                       a.guidance_scale, 'ddpm', 50, root, dev)
    out = Path(a.out or f"bench/results/attention_quality_{dev}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(dict(machine=machine_info(), date=time.strftime('%Y-%m-%d'), args=vars(a), n=10 * a.n_per_digit,
                                   judge=jinfo, random_text_encoder=random_clip, rows=rows), indent=1))


if __name__ == '__main__': main()
