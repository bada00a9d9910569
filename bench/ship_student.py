"""Ship the few-step student (issue 25) as a pipeline folder with its model card: from a distillation run's model
folder, its last checkpoint (history, settings, clock) and the speed/quality rows of `bench/sample_throughput.py`.

    python bench/ship_student.py --run outputs/student --report bench/results/sample_throughput_cpu.json \
        --num_inference_steps 4 --out pretrained_student

Also writes `bench/results/distill_cpu.json` (the run's settings, loss history and wall-clock minutes).
"""
import argparse, json, time
from dataclasses import replace
from pathlib import Path

import torch

from mnist_cfg.core import image_grid
from mnist_cfg.distill import distill_checkpoints
from mnist_cfg.evaluate import machine_info
from mnist_cfg.sample import generate, load_model, save_model


def rows_table(rep:dict) -> str:
    "Markdown rows of the throughput report: model, sampler, steps, precision, UNet evaluations, images/s, accuracy, FID."
    out = []
    for r in rep['rows']:
        out.append(f"| {r['model']} | {r['sampler_used']} | {r['steps_used']} | {r['precision']} | {r['unet_evals_per_image']:.0f} | "
                   f"{r['images_per_s']:.0f} | {r['min_accuracy']:.1%} | {r['fid_x_floor']:.2f}× |")
    return '\n'.join(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--run', required=True, help="the distillation run's output_dir"); p.add_argument('--report', required=True)
    p.add_argument('--num_inference_steps', type=int, required=True, help="the shipped default (the fastest that met the targets)")
    p.add_argument('--out', default='pretrained_student'); p.add_argument('--history_out', default='bench/results/distill_cpu.json')
    a = p.parse_args()
    rep = json.load(open(a.report))
    model = load_model(Path(a.run)/'model', 'cpu', verbose=False)
    model.defaults['num_inference_steps'] = a.num_inference_steps
    ck = torch.load(distill_checkpoints(a.run)[-1], map_location='cpu', weights_only=True)
    c, hist = ck['config'], ck['history']
    model.defaults['guidance_scale_range'] = [c['guidance_scale_min'], c['guidance_scale_max']]   # what generate lets a user ask for
    how = '' if c['max_train_steps'] == ck['step'] else (
        f" The run was configured for {c['max_train_steps']:,} steps, stopped after its step-{ck['step']:,} checkpoint and resumed with"
        f" `--max_train_steps {ck['step']}`, which writes the model folder: the learning rate is constant and every step has its own"
        f" generator, so this is what a {ck['step']:,}-step run (the default) writes.")
    minutes = hist[-1]['seconds'] / 60   # one unbroken run: its clock at the last step
    per_step = min((b['seconds'] - a['seconds']) / (b['step'] - a['step']) for a, b in zip(hist, hist[1:]))   # the fastest stretch: the cores to itself
    Path(a.history_out).write_text(json.dumps(dict(machine=machine_info(), date=time.strftime('%Y-%m-%d'), config=c, steps=ck['step'],
                                                   minutes=minutes, fastest_seconds_per_step=per_step, history=hist), indent=1))
    out = save_model(model, a.out)
    prompts = [model.text.captions[d] for d in range(10) for _ in range(8)]
    image_grid(generate(model, prompts, seed=0, progress=False), nrow=8).save(out/'samples.png')
    d = model.defaults
    acc = lambda m, k: next(r['min_accuracy'] for r in rep['rows'] if r['model'] == m and r['steps_used'] == k and r['precision'] == 'bf16')
    card = f"""---
library_name: diffusers
pipeline_tag: text-to-image
license: apache-2.0
tags: [mnist, text-to-image, diffusion, latent-consistency-model, guidance-distillation, mnist_cfg]
base_model: mnist_cfg/pretrained
---

# mnist_cfg student: the shipped MNIST model in {d['num_inference_steps']} steps

![rows: digits 0-9, eight each, at the defaults]({'samples.png'})

A **guidance-distilled latent consistency student** (Luo et al. 2023, LCM; Meng et al. 2023) of `pretrained/`: the
same UNet with the guidance scale as an input (diffusers' `time_cond_proj_dim`), predicting `v`, sampled by diffusers'
`LCMScheduler`. It draws a guided digit in 1 to 8 UNet calls and no unguided pass, where its teacher takes 20 steps of
up to two calls (autoguidance over the first half).

```python
import torch
from mnist_cfg.pipeline import MnistCfgPipeline
pipe = MnistCfgPipeline.from_pretrained("pretrained_student")
images = pipe("A handwritten digit 7", num_images_per_prompt=8, num_inference_steps={d['num_inference_steps']}, generator=torch.manual_seed(0)).images
```
or `python -m mnist_cfg.sample --checkpoint pretrained_student --all_digits --num_images 8`, or `demo()` in a notebook.
The teacher's 10 captions come from the stored caption table; other text needs the teacher's text encoder
(a random-weight CLIP stand-in, so only the training captions mean something).

Distilled by `python -m mnist_cfg.distill --teacher pretrained` ({ck['step']} steps of {c['batch_size']} images, learning rate {c['learning_rate']:g},
N = {c['num_ddim_timesteps']} grid, guidance scales {c['guidance_scale_min']:g}-{c['guidance_scale_max']:g}, pseudo-Huber loss, target EMA {c['ema_decay']:g},
shipped EMA {c['sample_ema_decay']:g}) in {minutes:.0f} minutes by the run's clock on a 2-core CPU VM ({machine_info()}), which
shared the cores with tests for part of the run; alone, a step took {per_step:.2f} s ({ck['step'] * per_step / 60:.0f} minutes for the
run). Loss {hist[0]['loss']:.4f} → {hist[-1]['loss']:.4f} (`bench/results/distill_cpu.json`).{how} Defaults (`model_index.json`): {d['num_inference_steps']} steps, guidance scale {d['guidance_scale']:g}.

## Speed and quality, measured

`python bench/sample_throughput.py` on {rep['machine']}, {rep['date']}, n = {rep['rows'][0]['n']} (100 per digit, the same seeds in every row);
accuracy is the minimum over three independent judges, judge-FID a multiple of its real-vs-real floor
(`bench/results/{Path(a.report).name}`):

| model | sampler | steps | precision | UNet evals / image | images/s | accuracy | judge-FID |
|---|---|---|---|---|---|---|---|
{rows_table(rep)}

## Limitations

MNIST only, the teacher's ten captions. It draws the asked-for digit less often than its teacher ({acc('pretrained_student', d['num_inference_steps']):.1%} at {d['num_inference_steps']} steps,
{acc('pretrained_student', 1):.1%} at 1, against {acc('pretrained', 20):.1%}), and 1-step digits sit on speckled grey backgrounds (4 steps: mostly clean). The guidance
scale input barely changes its digits (measured at 2.5, 3 and 3.5: `bench/results/sample_throughput_student_scales_cpu.json`);
scales outside {c['guidance_scale_min']:g}-{c['guidance_scale_max']:g} were never distilled.
"""
    (out/'README.md').write_text(card)
    print(f"wrote {out} (pipeline folder, samples.png, README.md) and {a.history_out}")


if __name__ == '__main__': main()
