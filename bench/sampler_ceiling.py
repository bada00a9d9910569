"""Issue 25 diagnosis: accuracy (min of 3 judges) and every sample measure of one model at one sampler, steps, guidance
scale and guider, on 1,000 images (100 per digit, seeds 0..999, bf16), with the images the judges disagree with saved as
a grid. Used to compare the teacher's deterministic (ODE) samplers with its stochastic default:

    python bench/sampler_ceiling.py pretrained 20 ode.png 2 dpmsolver++          # ODE, the model's guider
    python bench/sampler_ceiling.py pretrained 20 ode_cfg.png 3 dpmsolver++ cfg  # guidance at every step
    python bench/sampler_ceiling.py pretrained_student 4 student.png             # the student's defaults

Arguments: MODEL STEPS OUT.png [SCALE|-] [SAMPLER] [GUIDER]. Results: bench/results/sampler_ceiling_cpu.json.
"""
import os, sys, torch, json
from mnist_cfg.evaluate import load_judges, panel_accuracy, classify
from mnist_cfg.sample import load_model, generate
from torchvision.utils import save_image
torch.set_num_threads(2)
DATA = os.environ.get('MNIST_DATA', '../shared/data')   # the MNIST folder the judges train on
path, steps, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
gs = float(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] != '-' else None
sampler = sys.argv[5] if len(sys.argv) > 5 else None
m = load_model(path); m.unet.to(torch.bfloat16)
if m.weak is not None: m.weak.unet.to(torch.bfloat16)
judges = load_judges(DATA, verbose=False)
labels = torch.arange(10).repeat_interleave(100)
prompts = [m.text.captions[d] for d in labels.tolist()]
kw = dict(num_inference_steps=steps) if steps else {}
x = generate(m, prompts, seed=0, progress=False, guidance_scale=gs, scheduler=sampler, guider=(sys.argv[6] if len(sys.argv) > 6 else None), **kw).float()
r = panel_accuracy(judges, x, labels)
print({n: p['accuracy'] for n, p in r['judges'].items()}, r['min_accuracy'])
bad = torch.zeros(len(x), dtype=torch.bool)
for n, (j, _) in judges.items():
    pr = classify(j, x).argmax(-1); bad |= pr != labels
    print(n, 'wrong idx', (pr != labels).nonzero().flatten().tolist())
print('union wrong', bad.sum().item(), 'per digit', [bad[labels==d].sum().item() for d in range(10)])
save_image(x[bad], out, nrow=10, pad_value=0.5)
torch.save(dict(images=x, labels=labels), out.replace('.png', '.pt'))
from mnist_cfg.evaluate import real_reference, sample_report
ref = real_reference(DATA, judges, n=1000, seed=0)
rep = sample_report(x, labels, judges, ref); print({k: v for k, v in rep.items() if not isinstance(v, (dict, list))})
