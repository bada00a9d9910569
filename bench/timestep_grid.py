"""The shipped model before and after the timestep-grid fix (issue 21): conditional accuracy, judge-FID and the grey
and ink shares of issue 22 at guidance 8, n = 100 per digit, for DPM-Solver++ 2M SDE 20 steps and DDPM 50 steps.

"Before" rows score the committed evaluation images (`bench/results/default_recipe_cuda_*_s8.pt`, drawn from the
model folder on the old grids: DPM-Solver starting at t = 940, DDPM at t = 980); "after" rows draw the same settings
now, on the trailing grid every path uses. Grey share: images with more pixels in (0.08, 0.5) than 99.5 % of real test
digits; ink share: more pixels > 0.5 than 99.5 % of real test digits (28 x 28 crops in [0, 1]).

    python bench/timestep_grid.py --dataset_path ../shared/data --out bench/results/timestep_grid_cpu.json
"""
import argparse, json, math, time
from pathlib import Path

import torch

from mnist_cfg.evaluate import (class_entropy, classify, conditional_accuracy, judge_fid, load_judge, load_samples,
                                machine_info, pixel_counts, real_images)
from mnist_cfg.sample import generate, load_model


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--dataset_path', default='./dataset_cache'); p.add_argument('--pretrained', default='pretrained')
    p.add_argument('--n_per_digit', type=int, default=100); p.add_argument('--guidance_scale', type=float, default=8.0)
    p.add_argument('--dtype', default='bfloat16', choices=['float32', 'bfloat16'])
    p.add_argument('--settings', nargs='+', default=['sde-dpmsolver++:20', 'ddpm:50'])
    p.add_argument('--before', default='bench/results/default_recipe_cuda', help='prefix of the committed old-grid images')
    p.add_argument('--out', default='bench/results/timestep_grid_cpu.json')
    a = p.parse_args()
    out = Path(a.out); out.parent.mkdir(parents=True, exist_ok=True)
    n = 10 * a.n_per_digit
    judge, jinfo = load_judge(a.dataset_path)
    test = real_images(a.dataset_path, None)
    grey_real, ink_real = pixel_counts(test)
    grey_t, ink_t = grey_real.float().quantile(0.995).item(), ink_real.float().quantile(0.995).item()
    real = real_images(a.dataset_path, n, 1)
    res = dict(machine=machine_info(), date=time.strftime('%Y-%m-%d'), n=n, guidance_scale=a.guidance_scale, dtype=a.dtype,
               judge=jinfo, grey_threshold=grey_t, ink_threshold=ink_t,
               fid_floor=judge_fid(judge, real_images(a.dataset_path, n, 2, train=True), real), rows=[])
    def score(grid, sampler, steps, imgs, labels, secs=None):
        g, k = pixel_counts(imgs)
        row = dict(grid=grid, sampler=sampler, steps=steps, fid=judge_fid(judge, imgs, real), grey_share=(g > grey_t).float().mean().item(),
                   ink_share=(k > ink_t).float().mean().item(), seconds=secs, **conditional_accuracy(judge, imgs, labels))
        res['rows'].append(row); out.write_text(json.dumps(res, indent=1))
        print(f"{grid:>6} {sampler:>15} {steps:>3}: accuracy {row['accuracy']:.2%}  FID {row['fid']:.1f} ({row['fid'] / res['fid_floor']:.1f}x floor)  "
              f"grey {row['grey_share']:.1%}  ink {row['ink_share']:.1%}", flush=True)
    for s in a.settings:   # the committed images of the old grids first: they cost nothing
        sampler, steps = s.split(':')
        f = Path(f"{a.before}_{sampler}_{steps}_s{a.guidance_scale:g}.pt")
        if f.exists(): score('before', sampler, int(steps), *load_samples(f))
    model = load_model(a.pretrained, 'cpu', dtype=getattr(torch, a.dtype), verbose=False)
    labels = torch.arange(10).repeat_interleave(a.n_per_digit)
    prompts = [model.text.captions[d] for d in labels]
    for s in a.settings:
        sampler, steps = s.split(':')
        t0 = time.perf_counter()
        imgs = generate(model, prompts, a.guidance_scale, int(steps), sampler, seed=0, batch_size=500, progress=False)
        score('after', sampler, int(steps), imgs, labels, time.perf_counter() - t0)
        torch.save(dict(images=(imgs[:, 0, 2:30, 2:30] * 255).round().to(torch.uint8), labels=labels),
                   out.with_name(f"{out.stem}_{sampler}_{steps}_s{a.guidance_scale:g}.pt"))
    sampler, steps = a.settings[0].split(':')
    uncond = generate(model, [''] * n, 1.0, int(steps), sampler, seed=0, batch_size=500, progress=False)
    res['unconditional'] = dict(grid='after', sampler=sampler, steps=int(steps), entropy_bits=class_entropy(judge, uncond), max_bits=math.log2(10),
                                histogram=torch.bincount(classify(judge, uncond).argmax(-1), minlength=10).tolist())
    out.write_text(json.dumps(res, indent=1))
    print(f"unconditional entropy {res['unconditional']['entropy_bits']:.2f} bits; FID floor {res['fid_floor']:.2f}")


if __name__ == '__main__': main()
