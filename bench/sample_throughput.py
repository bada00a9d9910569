"""Sampling throughput and quality: images/s, UNet evaluations per image and conditional accuracy for DDPM 50,
DDIM 50, DPM-Solver++ 2M 20 and 10 steps (deterministic) and DPM-Solver++ 2M SDE 20 and 10 steps (stochastic) at the
default guidance, every sampler from the same starting noise, so speed is only claimed at equal quality.

    python bench/sample_throughput.py --checkpoint outputs/mnist/model --dataset_path ../shared/data --n_per_digit 50
"""
import argparse, json, time
from pathlib import Path

import torch

from mnist_cfg.evaluate import conditional_accuracy, load_judge, machine_info
from mnist_cfg.sample import generate, load_model

SETTINGS = (('ddpm', 50), ('ddim', 50), ('dpmsolver++', 20), ('dpmsolver++', 10), ('sde-dpmsolver++', 20), ('sde-dpmsolver++', 10))


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--checkpoint', required=True); p.add_argument('--dataset_path', default='./dataset_cache')
    p.add_argument('--n_per_digit', type=int, default=50); p.add_argument('--guidance_scale', type=float, default=8.0)
    p.add_argument('--batch_size', type=int, default=500); p.add_argument('--text_encoder', default=None)
    p.add_argument('--cpu', action='store_true'); p.add_argument('--out', default=None)
    a = p.parse_args()
    dev = 'cpu' if a.cpu or not torch.cuda.is_available() else 'cuda'
    model = load_model(a.checkpoint, dev, a.text_encoder, dtype=torch.bfloat16 if dev == 'cuda' else torch.float32)
    judge, jinfo = load_judge(a.dataset_path, device=dev)
    labels = torch.arange(10).repeat_interleave(a.n_per_digit)
    prompts = [model.text.captions[d] for d in labels]
    generate(model, prompts[:8], a.guidance_scale, 2, 'ddpm', 0, progress=False)   # warm-up
    rows = []
    for sampler, steps in SETTINGS:
        if dev == 'cuda': torch.cuda.synchronize()
        t0 = time.perf_counter()
        imgs = generate(model, prompts, a.guidance_scale, steps, sampler, seed=0, batch_size=a.batch_size, progress=False)
        secs = time.perf_counter() - t0
        ca = conditional_accuracy(judge, imgs, labels)
        rows.append(dict(sampler=sampler, steps=steps, images_per_s=len(imgs) / secs, unet_calls_per_image_batch=steps,
                         unet_evals_per_image=steps * (2 if a.guidance_scale != 1 else 1), accuracy=ca['accuracy'],
                         mean_prob=ca['mean_prob']))
        print(f"{sampler:>15} {steps:>3} steps: {rows[-1]['images_per_s']:8.1f} images/s, {rows[-1]['unet_evals_per_image']} UNet evals/image, "
              f"accuracy {ca['accuracy']:.2%}")
    res = dict(machine=machine_info(), date=time.strftime('%Y-%m-%d'), checkpoint=a.checkpoint, n=len(labels),
               guidance_scale=a.guidance_scale, random_text_encoder=bool(model.text.random_weights), judge=jinfo, rows=rows)
    out = Path(a.out or f"bench/results/sample_throughput_{dev}.json")
    out.parent.mkdir(parents=True, exist_ok=True); out.write_text(json.dumps(res, indent=1))


if __name__ == '__main__': main()
