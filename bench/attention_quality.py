"""Quality cost of mnist_cfg's attention choices: trains the same UNet with attention at 16x16 and 8x8 with 32-channel
heads (the default), with attention also at 32x32 (what a UNet2DConditionModel with cross-attention in every level
but the last does), and with 8-channel heads (about diffusers' default of 8 heads), for the same number of steps,
then compares training speed, held-out noise-prediction loss and conditional accuracy and judge-FID of DDPM 50
samples at the default guidance.

    python bench/attention_quality.py --dataset_path ../shared/data --text_encoder "$(python -m mnist_cfg.text)" \
        --base_channels 16 --batch_size 128 --num_epochs 12 --n_per_digit 30

On a GPU, run it with the default model size (--base_channels 32) and the full training split.
"""
import argparse, json, tempfile, time
from pathlib import Path

import torch
from accelerate.state import AcceleratorState

from mnist_cfg.core import TrainConfig
from mnist_cfg.data import load_mnist_tensors, to_unit_range
from mnist_cfg.evaluate import conditional_accuracy, judge_fid, load_judge, machine_info
from mnist_cfg.sample import generate, load_model
from mnist_cfg.schedule import make_train_scheduler
from mnist_cfg.train import diffusion_loss, draw_noise, train

VARIANTS = {'default': ('attention at 16, 8; 32-channel heads (default)', dict(attention_levels=(1, 2))),
            'at32': ('attention at 32, 16, 8', dict(attention_levels=(0, 1, 2))),
            'heads8': ('8-channel heads', dict(head_channels=8))}


@torch.no_grad()
def heldout_loss(model, dataset_path:str, n:int=2000, seed:int=0) -> float:
    "Noise-prediction MSE of the (EMA) UNet on `n` test images, with noise and timesteps fixed by `seed`."
    test = load_mnist_tensors(dataset_path, train=False)
    x0, y = test.batch(torch.randperm(len(test), generator=torch.Generator().manual_seed(seed))[:n])
    sched = make_train_scheduler()
    noise, t, _ = draw_noise(x0.shape, sched.config.num_train_timesteps, 0.0, torch.Generator().manual_seed(seed + 1))
    dev, cond = model.device, model.text.table[y.to(model.text.table.device)]
    total = 0.0
    for i in range(0, n, 500):
        sl = slice(i, i + 500)
        total += diffusion_loss(model.unet, sched, x0[sl].to(dev), cond[sl].to(dev), noise[sl].to(dev), t[sl].to(dev)).item() * len(x0[sl])
    return total / n


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
    judge, jinfo = load_judge(a.dataset_path, device=dev)
    n = 10 * a.n_per_digit
    test = to_unit_range(load_mnist_tensors(a.dataset_path, train=False).batch(torch.arange(n))[0])
    labels = torch.arange(10).repeat_interleave(a.n_per_digit)
    root = Path(a.keep or tempfile.mkdtemp(prefix='attention_quality_'))
    rows = []
    for key in a.variants:
        name, kw = VARIANTS[key]
        AcceleratorState._reset_state(True)
        cfg = TrainConfig(dataset_path=a.dataset_path, text_encoder=a.text_encoder, base_channels=a.base_channels,
                          batch_size=a.batch_size, num_epochs=a.num_epochs, sample_every=0, checkpoint_every=a.num_epochs,
                          output_dir=str(root/key), cpu=a.cpu, **kw)
        t0 = time.perf_counter(); res = train(cfg); secs = time.perf_counter() - t0
        train_secs = sum(h['seconds'] for h in res['history'])
        model = load_model(res['model_dir'], dev, a.text_encoder)
        t1 = time.perf_counter()
        imgs = generate(model, [model.text.captions[d] for d in labels], a.guidance_scale, 50, 'ddpm', seed=0, batch_size=250, progress=False)
        sample_ips = n / (time.perf_counter() - t1)
        ca = conditional_accuracy(judge, imgs, labels)
        rows.append(dict(variant=name, attention_levels=list(cfg.attention_levels), head_channels=cfg.head_channels, train_seconds=train_secs, wall_seconds=secs,
                         train_images_per_s=sum(h['images_per_s'] * h['seconds'] for h in res['history']) / train_secs,
                         final_train_loss=res['history'][-1]['loss'], heldout_loss=heldout_loss(model, a.dataset_path),
                         accuracy=ca['accuracy'], mean_prob=ca['mean_prob'], fid=judge_fid(judge, imgs, test),
                         sample_images_per_s=sample_ips))
        r = rows[-1]
        print(f"{name:30s} train {r['train_images_per_s']:6.1f} img/s ({r['train_seconds']:.0f} s) | held-out loss {r['heldout_loss']:.4f} | "
              f"DDPM50 s={a.guidance_scale:g}: accuracy {r['accuracy']:.1%}, judge-FID {r['fid']:.1f}, {r['sample_images_per_s']:.1f} img/s", flush=True)
    out = Path(a.out or f"bench/results/attention_quality_{dev}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(dict(machine=machine_info(), date=time.strftime('%Y-%m-%d'), args=vars(a), n=n, judge=jinfo,
                                   random_text_encoder=bool(model.text.random_weights), rows=rows), indent=1))


if __name__ == '__main__': main()
