"""A candidate for `pretrained/` from a run that continued it (`python -m mnist_cfg.train --init_model pretrained ...`):
the shipped folder with its UNet replaced by the run's EMA UNet. Everything else stays the shipped folder's (but the
guidance scale, with --guidance_scale): the sampling defaults (scheduler, guider, steps), the caption table and the weak model that guides it by
autoguidance (the first run's epoch-0 checkpoint). Refuses a run of another architecture or caption table.

    python -m mnist_cfg.train --config configs/quality.yaml --init_model pretrained --num_epochs 3 --learning_rate 1e-3 \
        --seed 423 --text_encoder offline:clip-vit-base-patch32-random --output_dir outputs/quality_more
    python bench/continue_pretrained.py --run outputs/quality_more/model --out outputs/pretrained_more --guidance_scale 2
"""
import argparse

import torch

from mnist_cfg.sample import load_model, save_model
from mnist_cfg.text import caption_mismatch
from mnist_cfg.unet import config_diff


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--base', default='pretrained', help='the shipped folder whose settings and weak model the candidate keeps')
    p.add_argument('--run', required=True, help="the continued run's model folder (output_dir/model) or checkpoint")
    p.add_argument('--out', required=True, help='the candidate folder to write')
    p.add_argument('--guidance_scale', type=float, default=None, help="the candidate's default guidance scale (default: --base's)")
    a = p.parse_args()
    base, run = load_model(a.base, 'cpu', verbose=False), load_model(a.run, 'cpu', verbose=False)
    if bad := config_diff(run.unet.config, base.unet.config):
        raise SystemExit(f"error: {a.run} is not of {a.base}'s architecture ({bad[0]}: {bad[1]!r}, {a.base}'s {bad[2]!r})")
    if d := caption_mismatch(run.text, base.text):
        raise SystemExit(f"error: {a.run} was trained on other {d[0]} than {a.base} ({d[1]})")
    with torch.no_grad(): base.unet.load_state_dict(run.unet.state_dict())
    if a.guidance_scale is not None: base.defaults['guidance_scale'] = a.guidance_scale
    print(f"wrote {save_model(base, a.out)}: {a.base} with the UNet of {a.run}")


if __name__ == '__main__': main()
