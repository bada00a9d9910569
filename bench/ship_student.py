"""Ship the few-step student (issue 25) as a pipeline folder with its model card: from a distillation run's model
folder, its last checkpoint (history, settings, clock) and the speed/quality rows of `bench/sample_throughput.py`.

    python bench/ship_student.py --run outputs/student --report bench/results/sample_throughput_cpu.json \
        --num_inference_steps 4 --out pretrained_student
    python bench/ship_student.py --run outputs/student_dmd --init_run outputs/student --report bench/results/sample_throughput_dmd_cpu.json \
        --num_inference_steps 1 --out pretrained_student --history_out bench/results/distill_dmd_cpu.json   # a --method dmd run

Also writes `--history_out` (the run's settings, loss history and wall-clock minutes; for a dmd run, those of the
consistency run it fine-tuned, `--init_run`, too).
"""
import argparse, json, statistics, time
from dataclasses import replace
from pathlib import Path

import torch

from mnist_cfg.core import image_grid
from mnist_cfg.distill import METHOD_DEFAULTS, distill_checkpoints
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
    p.add_argument('--init_run', default=None, help="a --method dmd run: the output_dir of the consistency run it fine-tuned (its --init_student)")
    p.add_argument('--out', default='pretrained_student'); p.add_argument('--history_out', default='bench/results/distill_cpu.json')
    a = p.parse_args()
    rep = json.load(open(a.report))
    model = load_model(Path(a.run)/'model', 'cpu', verbose=False)
    model.defaults['num_inference_steps'] = a.num_inference_steps
    ck = torch.load(distill_checkpoints(a.run)[-1], map_location='cpu', weights_only=True)
    c, hist = ck['config'], ck['history']
    dmd = c.get('method', 'lcd') == 'dmd'
    if dmd != bool(a.init_run): p.error("--init_run is needed for a --method dmd run, and only for one")
    model.defaults['guidance_scale_range'] = [c['guidance_scale_min'], c['guidance_scale_max']]   # what generate lets a user ask for
    def resumed(cc, step):   # a run stopped at a checkpoint of a longer one (constant learning rate: the same weights)
        return '' if cc['max_train_steps'] == step else (
            f" The run was configured for {cc['max_train_steps']:,} steps, stopped after its step-{step:,} checkpoint and resumed with"
            f" `--max_train_steps {step}`, which writes the model folder: the learning rate is constant and every step has its own"
            f" generator, so this is what a {step:,}-step run writes.")
    how = resumed(c, ck['step'])
    def clock(h):   # one unbroken run: its clock at the last step, and its median pace (robust to a stretch shared with other work)
        return h[-1]['seconds'] / 60, statistics.median((y['seconds'] - x['seconds']) / (y['step'] - x['step']) for x, y in zip(h, h[1:]))
    minutes, per_step = clock(hist)
    record = dict(machine=machine_info(), date=time.strftime('%Y-%m-%d'), config=c, steps=ck['step'], minutes=minutes, median_seconds_per_step=per_step, history=hist)
    if dmd:
        ck0 = torch.load(distill_checkpoints(a.init_run)[-1], map_location='cpu', weights_only=True)
        m0, ps0 = clock(ck0['history'])
        record['init_run'] = dict(config=ck0['config'], steps=ck0['step'], minutes=m0, median_seconds_per_step=ps0, history=ck0['history'])
    Path(a.history_out).write_text(json.dumps(record, indent=1))
    out = save_model(model, a.out)
    unet_cfg = out/'unet'/'config.json'   # diffusers records where the weights were read from: the run's folder, not the shipped one
    unet_cfg.write_text(json.dumps({**json.loads(unet_cfg.read_text()), '_name_or_path': f'{out.name}/unet'}, indent=2, sort_keys=True) + '\n')
    prompts = [model.text.captions[d] for d in range(10) for _ in range(8)]
    image_grid(generate(model, prompts, seed=0, progress=False), nrow=8).save(out/'samples.png')
    d = model.defaults
    row = lambda m, k: next(r for r in rep['rows'] if r['model'] == m and r['steps_used'] == k and r['precision'] == 'bf16')
    lcd_intro = """A **guidance-distilled latent consistency student** (Luo et al. 2023, LCM; Meng et al. 2023) of `pretrained/`: the
same UNet with the guidance scale as an input (diffusers' `time_cond_proj_dim`), predicting `v`, sampled by diffusers'
`LCMScheduler`."""
    lcd_made = (f"Distilled by `python -m mnist_cfg.distill --teacher pretrained{{flag}}` ({{steps:,}} steps of {{b}} images, learning rate {{lr:g}}, N = {c['num_ddim_timesteps']} grid, "
                f"guidance scales {c['guidance_scale_min']:g}-{c['guidance_scale_max']:g}, pseudo-Huber loss, target EMA {{ema:g}}, shipped EMA {{sema:g}}) in {{minutes:.0f}} minutes by the run's clock "
                f"on a 2-core CPU VM ({machine_info()}); its median pace was {{per_step:.2f}} s a step ({{alone:.0f}} minutes at that pace).")
    fmt = lambda cc, steps, minutes, per_step: lcd_made.format(steps=steps, flag='' if steps == METHOD_DEFAULTS['lcd']['max_train_steps'] else f' --max_train_steps {steps}', b=cc['batch_size'], lr=cc['learning_rate'], ema=cc['ema_decay'], sema=cc['sample_ema_decay'],
                                                               minutes=minutes, per_step=per_step, alone=steps * per_step / 60)
    if dmd:
        r0 = record['init_run']
        k_flag = '' if d['num_inference_steps'] == METHOD_DEFAULTS['dmd']['num_inference_steps'] else f" --num_inference_steps {d['num_inference_steps']}"
        intro = lcd_intro + """ Then fine-tuned by **distribution matching** (DMD2, Yin et al. 2024, without its GAN term): its
samples are pushed along the difference between the guided teacher's score and that of a second network that learns
the student's own samples, so it is trained to match the distribution of the guided teacher rather than its deterministic ODE."""
        made = (f"Stage 1: {fmt(r0['config'], r0['steps'], r0['minutes'], r0['median_seconds_per_step'])}{resumed(r0['config'], r0['steps'])} Stage 2: `python -m mnist_cfg.distill --method dmd "
                f"--init_student <stage 1>/model{k_flag}` ({ck['step']:,} steps of {c['batch_size']} images, learning rate {c['learning_rate']:g}, fake score learning rate "
                f"{c['fake_learning_rate']:g}, {c['fake_updates']} fake updates a step, backward simulation over {c['simulation_steps']} steps, shipped EMA {c['ema_decay']:g}) "
                f"in {minutes:.0f} minutes by its clock; its median pace was {per_step:.2f} s a step. Settings and loss histories: `{a.history_out}`.{how}")
    else:
        intro = lcd_intro
        made = f"{fmt(c, ck['step'], minutes, per_step)} Loss {hist[0]['loss']:.4f} → {hist[-1]['loss']:.4f} (`{a.history_out}`).{how}"
    k, r_t = d['num_inference_steps'], row('pretrained', 20)
    one = '' if k == 1 else f"1 step: {row('pretrained_student', 1)['min_accuracy']:.1%}; "
    limits = (f"MNIST only, the teacher's ten captions. At {k} step{'s' if k > 1 else ''} it draws the asked-for digit {row('pretrained_student', k)['min_accuracy']:.1%} of the time "
              f"({one}the teacher at its default: {r_t['min_accuracy']:.1%}); grey share of its images "
              f"{row('pretrained_student', k)['grey_share']:.1%} (teacher {r_t['grey_share']:.1%}), stroke-thickness gap to real digits "
              f"{row('pretrained_student', k)['thickness_gap']:.2f} (teacher {r_t['thickness_gap']:.2f}; `{Path(a.report).name}`)."
              + (" (The gap is the worst digit's, unsigned; by eye its strokes are thicker: samples.png.)" if row('pretrained_student', k)['thickness_gap'] > r_t['thickness_gap'] else "")
              + (f" Recall (variety) {row('pretrained_student', k)['recall_x_real']:.2f}× real, the teacher's {r_t['recall_x_real']:.2f}×. Only guidance scale {d['guidance_scale']:g} was measured: stage 2's fake network takes no scale, so it may change how the student responds to one (not measured)." if dmd else
                 f" The guidance scale input barely changes its digits (measured at 2.5, 3 and 3.5: `bench/results/sample_throughput_student_scales_cpu.json`)")
              + f" Scales outside {c['guidance_scale_min']:g}-{c['guidance_scale_max']:g} were never distilled.")
    card = f"""---
library_name: diffusers
pipeline_tag: text-to-image
license: apache-2.0
tags: [mnist, text-to-image, diffusion, latent-consistency-model, guidance-distillation, {'distribution-matching-distillation, ' if dmd else ''}mnist_cfg]
base_model: mnist_cfg/pretrained
---

# mnist_cfg student: the shipped MNIST model in {d['num_inference_steps']} step{'s' if d['num_inference_steps'] > 1 else ''}

![rows: digits 0-9, eight each, at the defaults]({'samples.png'})

{intro}

```python
import torch
from mnist_cfg.pipeline import MnistCfgPipeline
pipe = MnistCfgPipeline.from_pretrained("pretrained_student")
images = pipe("A handwritten digit 7", num_images_per_prompt=8, num_inference_steps={d['num_inference_steps']}, generator=torch.manual_seed(0)).images
```
or `python -m mnist_cfg.sample --checkpoint pretrained_student --all_digits --num_images 8`, or `demo()` in a notebook.
The teacher's 10 captions come from the stored caption table; other text needs the teacher's text encoder
(a random-weight CLIP stand-in, so only the training captions mean something).

{made} Defaults (`model_index.json`): {d['num_inference_steps']} step{'s' if d['num_inference_steps'] > 1 else ''}, guidance scale {d['guidance_scale']:g}.

## Speed and quality, measured

`python bench/sample_throughput.py` on {rep['machine']}, {rep['date']}, n = {rep['rows'][0]['n']} (100 per digit, the same seeds in every row);
accuracy is the minimum over three independent judges, judge-FID a multiple of its real-vs-real floor
(`bench/results/{Path(a.report).name}`):

| model | sampler | steps | precision | UNet evals / image | images/s | accuracy | judge-FID |
|---|---|---|---|---|---|---|---|
{rows_table(rep)}

## Limitations

{limits}
"""
    (out/'README.md').write_text(card)
    print(f"wrote {out} (pipeline folder, samples.png, README.md) and {a.history_out}")


if __name__ == '__main__': main()
