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


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--base', default='pretrained', help='the shipped folder whose settings and weak model the candidate keeps')
    p.add_argument('--run', required=True, help="the continued run's model folder (output_dir/model) or checkpoint")
    p.add_argument('--out', required=True, help='the candidate folder to write')
    p.add_argument('--guidance_scale', type=float, default=None, help="the candidate's default guidance scale (default: --base's)")
    a = p.parse_args()
    base, run = load_model(a.base, 'cpu', verbose=False), load_model(a.run, 'cpu', verbose=False)
    arch = lambda u: {k: tuple(v) if isinstance(v, list) else v for k, v in u.config.items() if not k.startswith('_')}
    if arch(base.unet) != arch(run.unet): raise SystemExit(f"{a.run} is not of {a.base}'s architecture")
    if base.text.captions != run.text.captions or not torch.allclose(base.text.table.float(), run.text.table.float(), atol=1e-3):
        raise SystemExit(f"{a.run} was trained on other captions or caption embeddings than {a.base}")
    with torch.no_grad(): base.unet.load_state_dict(run.unet.state_dict())
    if a.guidance_scale is not None: base.defaults['guidance_scale'] = a.guidance_scale
    print(f"wrote {save_model(base, a.out)}: {a.base} with the UNet of {a.run}")


if __name__ == '__main__': main()
