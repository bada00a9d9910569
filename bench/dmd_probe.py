"""Issue 25 probe (bench only, not the library): distribution-matching distillation (DMD2, Yin et al. 2024, "Improved
distribution matching distillation for fast image synthesis") as a fine-tune of a latent-consistency student, without DMD2's GAN term. Superseded by the library's
`python -m mnist_cfg.distill --method dmd` (the same algorithm, with checkpoints and exact resume); kept because
bench/results/dmd_probe_cpu.json was measured on its output.

The student G draws x0 in its 4-step LCM schedule (backward simulation: k = 0..3 of its own steps without gradients,
then one with); x0 is noised to a random t, and G is pushed along the difference of two x0 predictions there: a
"fake" score network's (initialised as the teacher's conditional UNet and trained, 2 updates per G step, to denoise
G's samples) minus the guided teacher's (its autoguidance over the noisier half of the timesteps, as its sampler
guides, at the student's guidance scale s in [1.5, 3.5]; the fake network takes no scale, so it cannot teach the
student's guidance input anything new). Unlike latent consistency distillation it does not learn
the teacher's deterministic ODE, whose samples the judges read at ~98.5%, but the distribution of the guided score.
Writes the student's EMA (decay up to 0.99) as a model folder OUT_STEP every 200 steps.

    python bench/dmd_probe.py INIT STEPS LR_G LR_FAKE BATCH OUT [FAKE_UPDATES] [SEED]
    python -m mnist_cfg.distill --teacher pretrained --output_dir outputs/student_new_teacher   # INIT, ~45 min
    python bench/dmd_probe.py outputs/student_new_teacher/model 1600 1e-5 5e-5 32 outputs/dmd/a 2   # ~30 min, 2 cores
    python bench/sample_throughput.py --out bench/results/dmd_probe_cpu.json \
        --rows outputs/dmd/a_1600:default:4:bf16 ...

INIT: a student of `pretrained/` (here the 3,000-step distillation of the shipped teacher, `python -m mnist_cfg.distill
--teacher pretrained`, bench/results/distill_new_teacher_cpu.json). Single process, CPU, bf16 autocast, SEED 0 by default.
"""
import sys, time, copy, torch, torch.nn.functional as F
from mnist_cfg.sample import load_model, save_model
from mnist_cfg.unet import predict_noise
from mnist_cfg.distill import consistency_output, guidance_interval
if len(sys.argv) < 7: print('usage: python bench/dmd_probe.py INIT STEPS LR_G LR_FAKE BATCH OUT [FAKE_UPDATES] [SEED] (see the docstring)', file=sys.stderr); sys.exit(2)
torch.set_num_threads(2); torch.manual_seed(int(sys.argv[8]) if len(sys.argv) > 8 else 0)
init, steps, lr_g, lr_f, B, out = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
nfake = int(sys.argv[7]) if len(sys.argv) > 7 else 2
T = load_model('pretrained', 'cpu', verbose=False); T.unet.requires_grad_(False); T.weak.unet.requires_grad_(False)
S = load_model(init, 'cpu', verbose=False); G = S.unet.float().train().requires_grad_(True)
fake = copy.deepcopy(T.unet).float().train().requires_grad_(True)
sch = S.scheduler; sch.set_timesteps(4); ts = sch.timesteps.clone()
ac = sch.alphas_cumprod
guided = guidance_interval(T.defaults.get('guider'), torch.arange(1000))
print('4-step timesteps', ts.tolist(), 'guided t>=', guided.nonzero().min().item(), flush=True)
og = torch.optim.AdamW(G.parameters(), lr=lr_g, betas=(0.0, 0.999), weight_decay=0)
of = torch.optim.AdamW(fake.parameters(), lr=lr_f, betas=(0.0, 0.999), weight_decay=0)
ema = copy.deepcopy(G).eval().requires_grad_(False)
ab = lambda t: ac[t].view(-1, 1, 1, 1)
def x0_of(eps, x, t): a = ab(t); return (x - (1 - a).sqrt() * eps) / a.sqrt()
ac_ = torch.autocast('cpu', dtype=torch.bfloat16)
t0 = time.time()
for step in range(steps):
    lab = torch.randint(0, 10, (B,)); cond = T.text.lookup(lab)
    s = 1.5 + 2.0 * torch.rand(B)
    k = torch.randint(0, 4, (1,)).item()
    x = torch.randn(B, 1, 32, 32)
    with torch.no_grad(), ac_:
        for j in range(k):
            tt = ts[j].repeat(B); x0 = consistency_output(G, sch, x, tt, cond, s).clamp(-1, 1)
            x = sch.add_noise(x0, torch.randn_like(x0), ts[j + 1].repeat(B))
    with ac_: x0 = consistency_output(G, sch, x, ts[k].repeat(B), cond, s).float()
    # DMD gradient at a random noise level
    t = torch.randint(20, 980, (B,)); n = torch.randn_like(x0)
    xt = (ab(t).sqrt() * x0 + (1 - ab(t)).sqrt() * n).detach()
    with torch.no_grad(), ac_:
        ec = predict_noise(T.unet, xt, t, cond).float()
        g = guided[t]
        if g.any():
            eu = predict_noise(T.weak.unet, xt[g], t[g], cond[g]).float()
            ec[g] = eu + s[g].view(-1, 1, 1, 1) * (ec[g] - eu)
        ef = predict_noise(fake, xt, t, cond).float()
    pr, pf = x0_of(ec, xt, t), x0_of(ef, xt, t)
    w = (x0.detach() - pr).abs().mean(dim=(1, 2, 3), keepdim=True).clamp(min=1e-3)
    grad = (pf - pr) / w
    lg = 0.5 * F.mse_loss(x0, (x0 - grad).detach(), reduction='sum') / B
    og.zero_grad(); lg.backward(); torch.nn.utils.clip_grad_norm_(G.parameters(), 1.0); og.step()
    with torch.no_grad():
        for pe, p in zip(ema.parameters(), G.parameters()): pe.lerp_(p, 1 - min(0.99, (1 + step) / (10 + step)))
    # fake score: denoising loss on the student's (detached) samples
    xs = x0.detach().clamp(-1, 1)
    for _ in range(nfake):
        tf = torch.randint(0, 1000, (B,)); nf = torch.randn_like(xs)
        xtf = ab(tf).sqrt() * xs + (1 - ab(tf)).sqrt() * nf
        with ac_: lf = F.mse_loss(predict_noise(fake, xtf, tf, cond).float(), nf)
        of.zero_grad(); lf.backward(); torch.nn.utils.clip_grad_norm_(fake.parameters(), 1.0); of.step()
    if step % 10 == 0: print(step, f'lg {lg.item():.4f} lf {lf.item():.4f} |grad| {grad.abs().mean().item():.3f} {time.time()-t0:.0f}s', flush=True)
    if (step + 1) % 200 == 0 or step + 1 == steps:
        S.unet = copy.deepcopy(ema).eval(); save_model(S, f'{out}_{step+1}'); print('saved', f'{out}_{step+1}', flush=True)
