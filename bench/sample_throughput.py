"""Sampling speed at measured quality (issue 25): images/s, UNet evaluations per image and every quality measure of
issue 22 (accuracy by three judges, judge-FID against its real-vs-real floor, recall, grey/ink shares, thickness),
per model, sampler, step count, precision and batch size, every row from the same seeds. And the README's grid
(80 digits, `python -m mnist_cfg.sample ... --all_digits --num_images 8`) timed as a user meets it: a fresh process,
start-up and model loading included.

    python bench/sample_throughput.py --dataset_path ../shared/data --n_per_digit 100 \
        --rows pretrained:default:fp32 pretrained:default:bf16 pretrained:ddpm:50:fp32 pretrained_student:default:fp32 \
        --grid pretrained pretrained_student

A row is MODEL:SAMPLER[:STEPS]:PRECISION[:BATCH][:gSCALE][:GUIDER]; SAMPLER 'default' is the model's own scheduler and
steps, PRECISION fp32 or bf16 (the UNet weights and activations), BATCH images per UNet call (default 256), SCALE the
guidance scale (default: the model's), GUIDER the rest of the row, a guider spec of `mnist_cfg.schedule.make_guider`
(default: the model's), e.g. pretrained_student:default:1:bf16:256:g3.5 or pretrained:dpmsolver++:20:bf16:256:g3:cfg
(the teacher's deterministic sampler with guidance at every step). `--save_rejects DIR` also writes, per row, a grid
of the images that any judge reads as another digit (DIR/ROW.png, the row's ':' as '_').

The teacher's deterministic (probability-flow ODE) samplers against its stochastic default (issue 25's diagnosis):

    python bench/sample_throughput.py --dataset_path ../shared/data --out bench/results/sampler_ceiling_cpu.json \
        --rows pretrained:default:bf16 pretrained:ddim:50:bf16:256:g2 pretrained:dpmsolver++:20:bf16:256:g2 \
               pretrained:dpmsolver++:50:bf16:256:g2 pretrained:dpmsolver++:20:bf16:256:g5 pretrained:dpmsolver++:20:bf16:256:g5:cfg
"""
import argparse, json, statistics, subprocess, sys, tempfile, time
from pathlib import Path

import torch

from mnist_cfg.core import MnistCfgError
from mnist_cfg.evaluate import classify, load_judges, machine_info, real_reference, sample_report
from mnist_cfg.sample import generate, load_model
from mnist_cfg.schedule import make_guider

DTYPES = {'fp32': torch.float32, 'bf16': torch.bfloat16}


def parse_row(spec:str) -> dict:
    parts = spec.split(':')
    if len(parts) < 3: sys.exit(f"error: row {spec!r} is not MODEL:SAMPLER[:STEPS]:PRECISION[:BATCH][:gSCALE][:GUIDER]")
    model, sampler, rest = parts[0], parts[1], parts[2:]
    try:
        steps = int(rest.pop(0)) if rest and rest[0].isdigit() else None
        precision = rest.pop(0) if rest else 'fp32'
        if precision not in DTYPES: raise ValueError("precision must be fp32 or bf16")
        batch = int(rest.pop(0)) if rest and rest[0].isdigit() else 256
        scale = float(rest.pop(0)[1:]) if rest and rest[0][:1] == 'g' and rest[0][1:2].isdigit() else None
        guider = ':'.join(rest) or None
        if guider is not None: make_guider(guider, 2.0)   # a bad guider fails here, before any sampling
    except (ValueError, MnistCfgError) as e:
        sys.exit(f"error: row {spec!r}: {e} (rows are MODEL:SAMPLER[:STEPS]:PRECISION[:BATCH][:gSCALE][:GUIDER])")
    # the JSON's `guider` is the row's (None: the model's own); `guider_used` is what sampled
    return dict(spec=spec, model=model, sampler=None if sampler == 'default' else sampler, steps=steps, precision=precision, batch_size=batch,
                guidance_scale=scale, guider=guider)


def count_calls(model):
    "Forward hooks counting UNet evaluations (images through a UNet) on the model's UNet and weak UNet."
    n = [0]
    hooks = [u.register_forward_hook(lambda m, i, o: n.__setitem__(0, n[0] + len(i[0])))
             for u in (model.unet, getattr(model.weak, 'unet', None)) if u is not None]
    return n, hooks


def save_rejects(images, labels, judges, out:Path):
    "Save a grid (10 per row) of the images that any judge reads as another digit than asked; returns how many."
    from torchvision.utils import save_image
    bad = torch.zeros(len(images), dtype=torch.bool)
    for j, _ in judges.values(): bad |= classify(j, images).argmax(-1) != labels
    out.parent.mkdir(parents=True, exist_ok=True)
    if bad.any(): save_image(images[bad], out, nrow=10, pad_value=0.5)
    elif out.exists(): out.unlink()   # an earlier run's grid of this row would mislead
    print(f"{int(bad.sum())} images rejected by a judge{f', saved to {out}' if bad.any() else ''}", flush=True)
    return int(bad.sum())


def grid_seconds(model:str, repeats:int) -> list:
    "Wall-clock seconds of the README's sampling command in a fresh process, `repeats` times."
    out = []
    with tempfile.TemporaryDirectory() as d:
        for r in range(repeats):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, '-m', 'mnist_cfg.sample', '--checkpoint', model, '--all_digits', '--num_images', '8',
                            '--out', f'{d}/grid{r}.png'], check=True, capture_output=True)
            out.append(time.perf_counter() - t0)
    return out


def unet_micro(model_path:str, batches=(8, 80, 256, 1000), repeats:int=5) -> list:
    "Milliseconds per image of one UNet call, per dtype, memory format and batch size (the sampling loop's unit of work)."
    from mnist_cfg.unet import predict_noise
    out = []
    for prec, dtype in DTYPES.items():
        model = load_model(model_path, 'cpu', dtype=dtype, verbose=False)
        for fmt in ('contiguous', 'channels_last'):
            if fmt == 'channels_last': model.unet.to(memory_format=torch.channels_last)
            for b in batches:
                x = torch.randn(b, 1, 32, 32, dtype=dtype)
                if fmt == 'channels_last': x = x.contiguous(memory_format=torch.channels_last)
                cond, t = model.text.lookup(torch.arange(b) % 10).to(dtype), torch.tensor(500)
                kw = dict(guidance_scale=2.5) if getattr(model.unet.config, 'time_cond_proj_dim', None) else {}
                with torch.inference_mode():
                    predict_noise(model.unet, x, t, cond, **kw)
                    t0 = time.perf_counter()
                    for _ in range(repeats): predict_noise(model.unet, x, t, cond, **kw)
                    ms = (time.perf_counter() - t0) / repeats / b * 1000
                out.append(dict(model=model_path, precision=prec, memory_format=fmt, batch=b, ms_per_image=ms))
                print(f"UNet call, {model_path} {prec} {fmt} batch {b}: {ms:.2f} ms per image", flush=True)
    return out


def startup_seconds(repeats:int) -> dict:
    "Wall-clock seconds of a fresh process that only imports torch, and one that imports `mnist_cfg.sample` (torch, diffusers, transformers, accelerate)."
    out = {}
    for what, code in (('import torch', 'import torch'), ('import mnist_cfg.sample', 'import mnist_cfg.sample')):
        secs = []
        for _ in range(repeats):
            t0 = time.perf_counter(); subprocess.run([sys.executable, '-c', code], check=True); secs.append(time.perf_counter() - t0)
        out[what] = dict(seconds=secs, median_seconds=statistics.median(secs))
        print(f"fresh process, {what}: median {statistics.median(secs):.1f} s", flush=True)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--rows', nargs='*', default=[]); p.add_argument('--grid', nargs='*', default=[], help='models whose README grid is timed')
    p.add_argument('--grid_repeats', type=int, default=3)
    p.add_argument('--startup', action='store_true', help='also time fresh processes that only import (where a grid\'s seconds go)')
    p.add_argument('--micro', default=None, help='model whose single UNet call is timed per dtype, memory format and batch')
    p.add_argument('--dataset_path', default='./dataset_cache'); p.add_argument('--n_per_digit', type=int, default=100)
    p.add_argument('--save_rejects', default=None, help='folder for a grid per row of the images any judge reads as another digit')
    p.add_argument('--seed', type=int, default=0); p.add_argument('--out', default='bench/results/sample_throughput_cpu.json')
    a = p.parse_args()
    rows = [parse_row(s) for s in a.rows]
    res = dict(machine=machine_info(), date=time.strftime('%Y-%m-%d'), threads=torch.get_num_threads(), args=vars(a), rows=[], grid=[], micro=[])
    if a.micro: res['micro'] = unet_micro(a.micro)
    if rows:
        judges = load_judges(a.dataset_path, verbose=False)
        ref = real_reference(a.dataset_path, judges, n=10 * a.n_per_digit, seed=a.seed)
        res['reference'] = dict(n=ref['n'], fid_floor=ref['fid_floor'], real_recall=ref['real_pr']['recall'])
        labels = torch.arange(10).repeat_interleave(a.n_per_digit)
    for r in rows:
        model = load_model(r['model'], 'cpu', dtype=DTYPES[r['precision']], verbose=False)
        prompts = [model.text.captions[d] for d in labels]
        kw = dict(scheduler=r['sampler'], num_inference_steps=r['steps'], guidance_scale=r['guidance_scale'], guider=r['guider'],
                  batch_size=r['batch_size'], progress=False)
        generate(model, prompts[:8], seed=10**6, **kw)   # warm-up
        n, hooks = count_calls(model)
        t0 = time.perf_counter()
        images = generate(model, prompts, seed=a.seed, **kw)
        secs = time.perf_counter() - t0
        for h in hooks: h.remove()
        rep = sample_report(images.float(), labels, judges, ref)
        d = model.defaults
        row = dict(**r, sampler_used=r['sampler'] or d.get('sample_scheduler'), steps_used=r['steps'] or d.get('num_inference_steps'),
                   guidance_scale_used=r['guidance_scale'] or d.get('guidance_scale'), guider_used=r['guider'] or d.get('guider'),
                   autoguidance=model.weak is not None,
                   seconds=secs, images_per_s=len(labels) / secs, unet_evals_per_image=n[0] / len(labels), n=len(labels),
                   min_accuracy=rep['min_accuracy'], accuracy={k: v['accuracy'] for k, v in rep['judges'].items()},
                   fid=rep['fid'], fid_x_floor=rep['fid_x_floor'], recall_x_real=rep['recall_x_real'], pr_precision=rep['precision'],
                   grey_share=rep['grey_share'], ink_share=rep['ink_share'], thickness_gap=rep['thickness_gap'])
        res['rows'].append(row)
        if a.save_rejects: save_rejects(images.float(), labels, judges, Path(a.save_rejects)/f"{r['spec'].replace(':', '_').replace('/', '_')}.png")
        print(f"{r['spec']:>40}: {row['images_per_s']:7.1f} images/s, {row['unet_evals_per_image']:4.1f} UNet evals/image, "
              f"accuracy {row['min_accuracy']:.2%} (min of {', '.join(f'{v:.1%}' for v in row['accuracy'].values())}), "
              f"judge-FID {row['fid_x_floor']:.2f}x floor, recall {row['recall_x_real']:.2f}x", flush=True)
    for m in a.grid:
        secs = grid_seconds(m, a.grid_repeats)
        res['grid'].append(dict(model=m, command=f"python -m mnist_cfg.sample --checkpoint {m} --all_digits --num_images 8",
                                seconds=secs, median_seconds=statistics.median(secs)))
        print(f"README grid, {m}: median {statistics.median(secs):.1f} s of {', '.join(f'{s:.1f}' for s in secs)}", flush=True)
    if a.startup: res['startup'] = startup_seconds(a.grid_repeats)
    out = Path(a.out); out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=1))


if __name__ == '__main__': main()
