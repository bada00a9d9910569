"""Training throughput of one process: a plain baseline vs mnist_cfg's training step, same UNet and batch size.

(a) baseline, written the way a user of diffusers' example scripts would: torchvision `DataLoader` over `MNIST` with
    per-sample transforms (`num_workers=0`, diffusers' default), the CLIP text encoder run on every batch's
    captions, fp32, eager, AdamW, EMA.
(b) mnist_cfg: `setup_training` + `train_step` as `train` runs them, with its defaults (device-resident data,
    cached caption embeddings, global-batch noise, fused AdamW, foreach EMA, bf16 autocast where `auto` picks it).

Warm-up steps, then the median of repeated timings. Also reports FLOPs per image (torch.utils.flop_counter, one
forward + backward of the UNet) and the achieved GFLOP/s. Not a test: run it by hand, results go to bench/results/.

    python bench/train_throughput.py --dataset_path ../shared/data --text_encoder "$(python -m mnist_cfg.text)"
"""
import argparse, json, platform, statistics, sys, time
from dataclasses import replace
from pathlib import Path

import torch, torch.nn.functional as F
from torch.utils.data import DataLoader
from torch.utils.flop_counter import FlopCounterMode
from torchvision import transforms as T
from torchvision.datasets import MNIST
from diffusers.training_utils import EMAModel

from mnist_cfg.core import TrainConfig
from mnist_cfg.data import digit_captions, global_batches, load_mnist_tensors
from mnist_cfg.evaluate import machine_info
from mnist_cfg.schedule import make_train_scheduler
from mnist_cfg.text import TextConditioner, load_text_encoder
from mnist_cfg.train import make_accelerator, setup_training, train_step
from mnist_cfg.unet import n_params, unet_from_config


def sync(dev):
    if dev.type == 'cuda': torch.cuda.synchronize()


def timed(step, n_steps, warmup, repeats, dev):
    "Median seconds per step over `repeats` timings of `n_steps` steps, after `warmup` steps."
    for _ in range(warmup): step()
    sync(dev); times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(n_steps): step()
        sync(dev); times.append((time.perf_counter() - t0) / n_steps)
    return statistics.median(times), times


def baseline(cfg, dev, args):
    "The plain training step; returns a function doing one step."
    tf = T.Compose([T.Pad(2), T.ToTensor(), T.Normalize([0.5], [0.5])])
    ds = MNIST(cfg.dataset_path, train=True, transform=tf)
    dl = DataLoader(ds, batch_size=cfg.batch_size, shuffle=True, num_workers=0, drop_last=True)
    tok, te = load_text_encoder(cfg.text_encoder, device=dev, verbose=False)
    torch.manual_seed(cfg.seed)
    unet = unet_from_config(cfg, te.config.hidden_size).to(dev).train()
    opt = torch.optim.AdamW(unet.parameters(), lr=cfg.learning_rate, weight_decay=cfg.adam_weight_decay)
    ema = EMAModel(unet.parameters(), decay=cfg.ema_decay, use_ema_warmup=True, power=cfg.ema_power)
    ema.to(dev)
    sched, caps = make_train_scheduler(cfg.num_train_timesteps), digit_captions(cfg.caption_template)
    it = iter(dl)

    def step():
        nonlocal it
        try: x, y = next(it)
        except StopIteration: it = iter(dl); x, y = next(it)
        x = x.to(dev)
        prompts = ['' if torch.rand(()) < cfg.cond_dropout else caps[int(d)] for d in y]
        ids = tok(prompts, padding='max_length', max_length=cfg.tokenizer_max_length, truncation=True, return_tensors='pt').input_ids
        with torch.no_grad(): emb = te(ids.to(dev)).last_hidden_state
        noise = torch.randn_like(x)
        t = torch.randint(0, cfg.num_train_timesteps, (len(x),), device=dev)
        loss = F.mse_loss(unet(sched.add_noise(x, noise, t), t, encoder_hidden_states=emb).sample, noise)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(unet.parameters(), cfg.max_grad_norm)
        opt.step(); opt.zero_grad()
        ema.step(unet.parameters())
        return loss.item()  # the usual per-step logging
    return step, unet


def ours(cfg, args):
    "mnist_cfg's step with its defaults; returns a function doing one step and the accelerator."
    acc = make_accelerator(cfg)
    data = load_mnist_tensors(cfg.dataset_path).to(acc.device)
    text = TextConditioner(cfg.text_encoder, digit_captions(cfg.caption_template), cfg.tokenizer_max_length, device=acc.device, verbose=False)
    s = setup_training(cfg, acc, text.dim, 10_000)
    batches, k = [], 0

    def step():
        nonlocal batches, k
        if not batches: batches = global_batches(len(data), cfg.batch_size, k, cfg.seed, device=acc.device); k += 1
        return train_step(s, data, text, batches.pop(0), cfg, acc)[0]
    return step, acc, s.raw


def flops_per_image(unet, cfg, dev, batch=8, dtype=torch.float32):
    x = torch.randn(batch, 1, 32, 32, device=dev)
    t = torch.randint(0, 1000, (batch,), device=dev)
    e = torch.randn(batch, cfg.tokenizer_max_length, unet.config.cross_attention_dim, device=dev)
    with FlopCounterMode(display=False) as fc:
        unet(x, t, encoder_hidden_states=e).sample.float().pow(2).mean().backward()
    unet.zero_grad(set_to_none=True)
    return fc.get_total_flops() / batch


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--dataset_path', default='./dataset_cache'); p.add_argument('--text_encoder', default='openai/clip-vit-base-patch32')
    p.add_argument('--batch_size', type=int, default=512); p.add_argument('--steps', type=int, default=3)
    p.add_argument('--warmup', type=int, default=1); p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--cpu', action='store_true'); p.add_argument('--out', default=None)
    p.add_argument('--set', nargs='*', default=[], help='extra TrainConfig fields for (b), as key=value')
    a = p.parse_args()
    cfg = TrainConfig(dataset_path=a.dataset_path, text_encoder=a.text_encoder, batch_size=a.batch_size, cpu=a.cpu)
    cfg_b = replace(cfg, **dict(kv.split('=', 1) for kv in a.set)) if a.set else cfg
    TrainConfig.__post_init__(cfg_b)  # coerce the --set values
    dev = torch.device('cuda' if torch.cuda.is_available() and not a.cpu else 'cpu')

    step_b, acc, unet_b = ours(cfg_b, a)
    sb, tb = timed(step_b, a.steps, a.warmup, a.repeats, dev)
    step_a, unet_a = baseline(cfg, dev, a)
    sa, ta = timed(step_a, a.steps, a.warmup, a.repeats, dev)
    fpi = flops_per_image(unet_a, cfg, dev)
    res = dict(machine=machine_info(), date=time.strftime('%Y-%m-%d'), torch=torch.__version__, batch_size=a.batch_size,
               unet_params=n_params(unet_a), flops_per_image=fpi, mixed_precision_b=acc.mixed_precision, config_b=a.set,
               baseline=dict(images_per_s=a.batch_size / sa, seconds_per_step=ta, gflops_per_s=fpi * a.batch_size / sa / 1e9),
               mnist_cfg=dict(images_per_s=a.batch_size / sb, seconds_per_step=tb, gflops_per_s=fpi * a.batch_size / sb / 1e9),
               speedup=sa / sb)
    if dev.type == 'cuda':
        peak = {'H100': 989e12, 'H200': 989e12, 'A100': 312e12}
        name = torch.cuda.get_device_name()
        pk = next((v for k, v in peak.items() if k in name), None)
        if pk: res['mfu_bf16'] = fpi * a.batch_size / sb / pk
    print(json.dumps(res, indent=1))
    print(f"{res['machine']}: baseline {res['baseline']['images_per_s']:.1f} img/s, mnist_cfg {res['mnist_cfg']['images_per_s']:.1f} img/s "
          f"-> {res['speedup']:.2f}x; {fpi/1e9:.2f} GFLOP per training image, {res['mnist_cfg']['gflops_per_s']:.0f} GFLOP/s achieved")
    out = Path(a.out or f"bench/results/train_throughput_{dev.type}.json")
    out.parent.mkdir(parents=True, exist_ok=True); out.write_text(json.dumps(res, indent=1))


if __name__ == '__main__': main()
