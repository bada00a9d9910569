"""The default recipe's model, end to end: ship the last checkpoint of a run as `pretrained/` (fp16 weights, caption
table, no CLIP needed), evaluate it with `mnist_cfg.evaluate`'s protocol (n images per digit, DPM-Solver++ 2M SDE 20
steps and DDPM 50 steps, the guidance scales asked), keep the generated images as uint8 (one .pt per setting, readable by `evaluate --samples`), and draw what the run's
per-epoch sample grids show at the default guidance (rows: digits, columns: epochs).

    python bench/evaluate_default.py --run outputs/full_default --dataset_path ../shared/data --n_per_digit 100 --guidance_scales 8
"""
import argparse, json, time
from pathlib import Path

import torch
from PIL import Image

from mnist_cfg.evaluate import evaluate_model, load_judge, plot_sweep
from mnist_cfg.sample import load_model, save_model
from mnist_cfg.train import grid_scales, list_checkpoints, load_checkpoint, sample_path


def epoch_grid(run:Path, guidance_scale:float, out:Path):
    "Rows: digits 0-9; columns: epochs; the images the run drew at `guidance_scale` after each epoch."
    import matplotlib.pyplot as plt
    col = grid_scales(guidance_scale).index(float(guidance_scale))
    pngs = sorted((run/'samples').glob('samples_epoch_*.png'))
    fig, axs = plt.subplots(10, len(pngs), figsize=(max(3.5, 1.1 * len(pngs)), 10.5), squeeze=False)
    for e, p in enumerate(pngs):
        g = Image.open(p).convert('L')
        for d in range(10):
            x0, y0 = 2 + col * 34, 2 + d * 34                      # make_grid: 32-pixel images, 2-pixel padding
            axs[d, e].imshow(g.crop((x0, y0, x0 + 32, y0 + 32)), cmap='gray', vmin=0, vmax=255)
            axs[d, e].set_xticks([]); axs[d, e].set_yticks([])
            if d == 0: axs[d, e].set_title(f'epoch {int(p.stem[-3:])}', fontsize=8)
            if e == 0: axs[d, e].set_ylabel(str(d), rotation=0, labelpad=10)
    fig.suptitle(f'"A handwritten digit d", guidance {guidance_scale:g}, DDPM 50 (EMA weights)', fontsize=9)
    plt.tight_layout(); fig.savefig(out, dpi=80); plt.close(fig)


def sample_sheet(images:torch.Tensor, labels:torch.Tensor, per_digit:int, out:Path):
    "A PNG with `per_digit` images of each digit (rows: 0-9), taken from the evaluation's images."
    from mnist_cfg.core import image_grid
    rows = torch.cat([images[labels == d][:per_digit] for d in range(10)])
    image_grid(rows, nrow=per_digit).resize(((per_digit * 34 + 2) * 2, (10 * 34 + 2) * 2), Image.NEAREST).save(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--run', default='outputs/mnist'); p.add_argument('--dataset_path', default='./dataset_cache')
    p.add_argument('--pretrained', default='pretrained'); p.add_argument('--n_per_digit', type=int, default=100)
    p.add_argument('--guidance_scales', type=float, nargs='+', default=[1, 2, 3, 5, 8])
    p.add_argument('--dtype', default='bfloat16', choices=['float32', 'bfloat16'])
    p.add_argument('--ddpm_steps', type=int, default=50, help='DDPM steps (0: only the fast sampler, DPM-Solver++ 2M SDE 20)')
    p.add_argument('--out', default='bench/results/default_recipe_cpu')
    p.add_argument('--judge_max_train_images', type=int, default=0, help='judge on fewer training images (dry runs only)')
    p.add_argument('--no_ship', action='store_true', help='evaluate the --pretrained folder as it is, without re-writing it')
    a = p.parse_args()
    run, out = Path(a.run), Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    last = list_checkpoints(run)[-1]
    ck = load_checkpoint(last)
    if not a.no_ship: save_model(load_model(last, 'cpu', verbose=False), a.pretrained, torch.float16)
    if any((run/'samples').glob('samples_epoch_*.png')):   # runs with --sample_every 0 (time_to_quality's) have none
        epoch_grid(run, ck['config']['guidance_scale'], out.with_name(out.name + '_epochs.png'))
    model = load_model(a.pretrained, dtype=getattr(torch, a.dtype))   # on the GPU where there is one
    judge, jinfo = load_judge(a.dataset_path, max_train_images=a.judge_max_train_images)
    kept = {}
    def keep(row, imgs, labels):
        key = f"{row['sampler']}_{row['steps']}_" + (f"s{row['guidance_scale']:g}" if 'guidance_scale' in row else 'uncond')
        kept[key] = dict(images=(imgs[:, 0, 2:30, 2:30] * 255).round().to(torch.uint8), labels=labels)
    t0 = time.time()
    res = evaluate_model(model, judge, a.dataset_path, a.n_per_digit, tuple(a.guidance_scales),
                         (('sde-dpmsolver++', 20),) + ((('ddpm', a.ddpm_steps),) if a.ddpm_steps else ()), on_images=keep)
    res.update(judge=jinfo, checkpoint=str(last), params_m=sum(q.numel() for q in model.unet.parameters()) / 1e6, pretrained=a.pretrained, dtype=a.dtype, eval_seconds=time.time() - t0,
               training=dict(config={k: ck['config'].get(k) for k in ('num_epochs', 'batch_size', 'learning_rate', 'micro_batch_size',
                                                                     'text_time_embedding', 'mixed_precision', 'seed')},
                             epochs=[{k: h.get(k) for k in ('epoch', 'loss', 'images_per_s', 'seconds', 'lr', 'step_losses')} for h in ck['history']],
                             seconds=sum(h['seconds'] for h in ck['history']), random_text_encoder=ck.get('random_text_encoder')))
    out.with_suffix('.json').write_text(json.dumps(res, indent=1))
    for k, v in kept.items():   # re-score with: python -m mnist_cfg.evaluate --samples <file>
        if not k.endswith('uncond'): torch.save(v, out.with_name(f'{out.name}_{k}.pt'))
    plot_sweep(res, out.with_suffix('.png'))
    best = f"ddpm_{a.ddpm_steps}_s{max(a.guidance_scales):g}" if a.ddpm_steps else f"sde-dpmsolver++_20_s{max(a.guidance_scales):g}"   # the sheet
    imgs = kept[best]['images'][:, None].float().div(255)
    if not a.no_ship: sample_sheet(torch.nn.functional.pad(imgs, (2, 2, 2, 2)), kept[best]['labels'], 8, Path(a.pretrained)/'samples.png')
    for o in res['sweep']: print(f"{o['sampler']:>15} {o['steps']:>3} steps  s={o['guidance_scale']:<4g} accuracy {o['accuracy']:7.2%}  FID {o['fid']:8.2f}")
    print(f"FID floor {res['fid_floor']:.2f}; unconditional entropy {res['unconditional']['entropy_bits']:.2f} bits; {res['eval_seconds']:.0f}s")


if __name__ == '__main__': main()
