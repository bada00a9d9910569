"""Does the text control how the digit is written? The controllability report (`mnist_cfg.evaluate.controllability`)
of a model trained with `--captions attributes`, next to the digit accuracy of a plain-caption model of the same
recipe on the same prompts and noise, with the histogram plot and the attribute grid (rows: digits; columns: the
plain caption and each attribute word).

    python bench/controllability.py --checkpoint outputs/attr_cpu --baseline /tmp/ttq_cpu --dataset_path ../shared/data \
        --n_per_digit 50 --out bench/results/controllability_cpu
"""
import argparse, json, time
from pathlib import Path

import torch

from mnist_cfg.evaluate import attribute_grid, conditional_accuracy, controllability, load_judge, plot_controllability
from mnist_cfg.sample import generate, load_model
from mnist_cfg.train import list_checkpoints, load_checkpoint


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--checkpoint', required=True, help='the attribute-caption model (model folder or run output_dir)')
    p.add_argument('--baseline', default=None, help='a plain-caption model of the same recipe, for its digit accuracy')
    p.add_argument('--dataset_path', default='./dataset_cache'); p.add_argument('--n_per_digit', type=int, default=50)
    p.add_argument('--guidance_scale', type=float, default=8.0); p.add_argument('--steps', type=int, default=20)
    p.add_argument('--dtype', default='bfloat16', choices=['float32', 'bfloat16'])
    p.add_argument('--out', default='bench/results/controllability_cpu')
    a = p.parse_args()
    out, dtype = Path(a.out), getattr(torch, a.dtype)
    out.parent.mkdir(parents=True, exist_ok=True)
    judge, jinfo = load_judge(a.dataset_path)
    model = load_model(a.checkpoint, dtype=dtype)
    t0 = time.time()
    res = controllability(model, judge, a.n_per_digit, a.guidance_scale, 'sde-dpmsolver++', a.steps)
    res.update(checkpoint=a.checkpoint, judge=jinfo, dtype=a.dtype, eval_seconds=time.time() - t0)
    run = Path(a.checkpoint)
    if ck := list_checkpoints(run):   # a run's output_dir: record how it was trained
        c = load_checkpoint(ck[-1])
        res['training'] = dict(config=c['config'], seconds=sum(h['seconds'] for h in c['history']), epochs=len(c['history']))
    if a.baseline:   # the plain-caption model on the same prompts ("A handwritten digit d") and the same noise
        base = load_model(a.baseline, dtype=dtype, verbose=False)
        labels = torch.arange(10).repeat_interleave(a.n_per_digit)
        imgs = generate(base, [base.text.captions[d] for d in labels], a.guidance_scale, a.steps, 'sde-dpmsolver++', seed=0, progress=False)
        res['baseline'] = dict(checkpoint=a.baseline, digit_accuracy=conditional_accuracy(judge, imgs, labels)['accuracy'])
    out.with_suffix('.json').write_text(json.dumps(res, indent=1))
    plot_controllability(res, out.with_suffix('.png'))
    attribute_grid(model, a.guidance_scale, 'sde-dpmsolver++', a.steps, path=out.with_name(out.name + '_grid.png'))
    print(f"plain captions: digit accuracy {res['plain']['digit_accuracy']:.1%}" +
          (f" (plain-caption model: {res['baseline']['digit_accuracy']:.1%})" if a.baseline else ''))
    for r in res['rows']:
        print(f"{r['attribute']:>9} {r['word']:>20}: {r['attribute_accuracy']:6.1%} in the asked bin (plain prompts: {r['plain_share']:5.1%}), "
              f"mean {r['mean']:6.3f}, digit accuracy {r['digit_accuracy']:6.1%}")
    for k, s in res['summary'].items(): print(f"{k}: attribute accuracy {s['attribute_accuracy']:.1%}, spread {s['spread']:+.3f}")


if __name__ == '__main__': main()
