"""Guider x scale x sampler for one model, measured by every instrument of issue 22: accuracy by each judge of the
panel and its minimum, grey and ink shares, Morpho-MNIST thickness gap, judge-FID against its floor, precision and
recall against real vs real, and the unconditional class entropy of each sampler.

Guiders are `mnist_cfg.schedule.make_guider` specs (diffusers' guiders: cfg, cfg:guidance_rescale=0.7, apg:eta=0,
cfg-zero-star, tcfg, ...); `--weak_checkpoint` adds autoguidance rows (Karras et al. 2024: the weak model's
conditional prediction instead of the unconditional one, combined by each guider of `--autoguidance_guiders`).
Rows are written to `--out` as they finish, so a stopped run keeps what it measured.

    python bench/guidance_sweep.py --checkpoint pretrained --dataset_path ../shared/data \
        --guiders cfg apg:eta=0 --scales 2 3 5 --n_per_digit 30 --out bench/results/guidance_sweep_cpu.json
"""
import argparse, json, math, time
from pathlib import Path

import torch

from mnist_cfg.evaluate import class_entropy, classify, guider_grid, load_judges, machine_info, real_reference, sample_report
from mnist_cfg.sample import generate, load_model

TARGETS = dict(min_accuracy=('>=', 0.993), grey_share=('<=', 0.02), ink_share=('<=', 0.02), thickness_gap=('<=', 0.3),
               fid_x_floor=('<=', 2.0), recall_x_real=('>=', 0.9))   # issue 22 §3; entropy_bits >= 3.25 per sampler

def met(row:dict) -> dict:
    "Which of issue 22's per-row targets `row` meets."
    return {k: (row[k] >= v if op == '>=' else row[k] <= v) for k, (op, v) in TARGETS.items()}

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--checkpoint', default='pretrained'); p.add_argument('--dataset_path', default='./dataset_cache')
    p.add_argument('--weak_checkpoint', default=None, help="weak model for autoguidance rows (same caption table); 'own': the folder's own weak model")
    p.add_argument('--guiders', nargs='*', default=['cfg', 'cfg:guidance_rescale=0.7', 'apg:eta=0', 'cfg-zero-star', 'tcfg'])
    p.add_argument('--autoguidance_guiders', nargs='*', default=['cfg'])
    p.add_argument('--scales', nargs='+', type=float, default=[2., 3., 5.])
    p.add_argument('--samplers', nargs='+', default=['sde-dpmsolver++:20'])
    p.add_argument('--judges', nargs='+', default=None, help='judges of the panel (default: all)')
    p.add_argument('--n_per_digit', type=int, default=100); p.add_argument('--seed', type=int, default=0)
    p.add_argument('--entropy', action='store_true', help='also the unconditional class entropy of each sampler (10 x n_per_digit images)')
    p.add_argument('--dtype', default='float32', choices=['float32', 'bfloat16'])
    p.add_argument('--save_images', default=None, help='folder for each row\'s images as uint8 .pt')
    p.add_argument('--grid', default=None, help='also draw one row per guider (guider_grid) at --grid_scale into this PNG')
    p.add_argument('--grid_scale', type=float, default=None, help="scale of the grid's rows (default: the first of --scales)")
    p.add_argument('--out', default='bench/results/guidance_sweep_cpu.json')
    a = p.parse_args()
    out = Path(a.out); out.parent.mkdir(parents=True, exist_ok=True)
    n = 10 * a.n_per_digit
    judges = load_judges(a.dataset_path, a.judges)
    ref = real_reference(a.dataset_path, judges, n, a.seed)
    dtype = getattr(torch, a.dtype)
    model = load_model(a.checkpoint, 'cpu', dtype=dtype, verbose=False)
    weak = (model.weak if a.weak_checkpoint == 'own' else load_model(a.weak_checkpoint, 'cpu', dtype=dtype, verbose=False)) if a.weak_checkpoint else None
    if a.weak_checkpoint == 'own' and weak is None: raise SystemExit(f"--weak_checkpoint own: {a.checkpoint} ships no weak model")
    res = dict(machine=machine_info(), date=time.strftime('%Y-%m-%d'), checkpoint=a.checkpoint, weak_checkpoint=a.weak_checkpoint,
               n=n, seed=a.seed, dtype=a.dtype, judges={k: info for k, (_, info) in judges.items()},
               reference=dict(fid_floor=ref['fid_floor'], real_pr=ref['real_pr'], k=ref['k']), targets=TARGETS, rows=[], unconditional=[])
    if a.save_images: Path(a.save_images).mkdir(parents=True, exist_ok=True)
    labels = torch.arange(10).repeat_interleave(a.n_per_digit)
    prompts = [model.text.captions[d] for d in labels]
    runs = [(g, None) for g in a.guiders] + ([(g, weak) for g in a.autoguidance_guiders] if weak else [])
    for spec in a.samplers:
        sampler, steps = spec.split(':'); steps = int(steps)
        if a.entropy:
            t0 = time.perf_counter()
            unc = generate(model, [''] * n, 1.0, steps, sampler, a.seed, progress=False)
            res['unconditional'].append(dict(sampler=sampler, steps=steps, entropy_bits=class_entropy(next(iter(judges.values()))[0], unc),
                                              histogram=torch.bincount(classify(next(iter(judges.values()))[0], unc).argmax(-1), minlength=10).tolist(),
                                              seconds=time.perf_counter() - t0))
            out.write_text(json.dumps(res, indent=1))
            print(f"{sampler} {steps}: unconditional entropy {res['unconditional'][-1]['entropy_bits']:.2f} bits", flush=True)
        for guider, w in runs:
            for s in a.scales:
                t0 = time.perf_counter()
                imgs = generate(model, prompts, s, steps, sampler, a.seed, progress=False, guider=guider, weak_model=w if w is not None else False)   # False: not the folder's own weak model
                secs = time.perf_counter() - t0
                rep = sample_report(imgs, labels, judges, ref)
                row = dict(sampler=sampler, steps=steps, guider=guider, autoguidance=w is not None, guidance_scale=s, seconds=secs, **rep)
                row['met'] = met(row)
                res['rows'].append(row); out.write_text(json.dumps(res, indent=1))
                name = f"{sampler}_{steps}_{'auto-' if w is not None else ''}{guider}_s{s:g}".replace(':', '-').replace('=', '').replace(',', '-')
                if a.save_images: torch.save(dict(images=(imgs * 255).round().to(torch.uint8), labels=labels), Path(a.save_images)/f'{name}.pt')
                acc = ' '.join(f"{k} {v['accuracy']:.1%}" for k, v in row['judges'].items())
                print(f"{name}: {acc} | grey {row['grey_share']:.1%} ink {row['ink_share']:.1%} thick {row['thickness_gap']:.2f} "
                      f"FID {row['fid_x_floor']:.1f}x prec {row['precision']:.2f} rec {row['recall_x_real']:.2f}x real | "
                      f"met {sum(row['met'].values())}/{len(TARGETS)} ({secs:.0f}s)", flush=True)
    if a.grid:
        sampler, steps = a.samplers[0].split(':')
        rows = {g: g for g in a.guiders} | ({f'autoguidance ({g})': (g, weak) for g in a.autoguidance_guiders} if weak else {})
        img, names = guider_grid(model, rows, a.grid_scale or a.scales[0], sampler, int(steps), per_digit=2, seed=a.seed)
        img.save(a.grid); res['grid'] = dict(path=a.grid, rows=names, guidance_scale=a.grid_scale or a.scales[0]); out.write_text(json.dumps(res, indent=1))
        print(f"wrote {a.grid} (rows: {', '.join(names)})")
    print(f"wrote {out}")

if __name__ == '__main__': main()
