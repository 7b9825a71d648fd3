#!/usr/bin/env python
"""Train the judge of every miniature score (notebook 04's `AttributeNet`, with `train_classifier`'s defaults) and write
the file the package ships, `hita_nb/data/attribute_net_{size}.safetensors`, with its recipe, held-out accuracy and
provenance in the header. About a minute on 2 cores.

    python scripts/train_judge.py                       # rewrites hita_nb/data/attribute_net_32.safetensors
    python scripts/train_judge.py --out /tmp/judge.safetensors
"""
import argparse, inspect, time
from pathlib import Path
from hita_nb.core import provenance
from hita_nb.data.attributes import train_classifier, classifier_accuracy, save_classifier, shipped_classifier_path


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--image-size', type=int, default=32)
    p.add_argument('--out', default='', help='file to write (default: the package file for --image-size)')
    a = p.parse_args(argv)
    recipe = {k: v.default for k, v in inspect.signature(train_classifier).parameters.items() if k in ('steps', 'batch', 'lr', 'seed')}
    t0 = time.time(); net = train_classifier(a.image_size, **recipe); minutes = (time.time() - t0) / 60
    acc = classifier_accuracy(net)
    out = Path(a.out) if a.out else shipped_classifier_path(a.image_size)
    prov = provenance(seeds=recipe['seed'])
    save_classifier(net, out, **recipe, accuracy=acc, minutes=round(minutes, 2),
                    provenance={k: prov[k] for k in ('commit', 'versions', 'cpu', 'threads', 'date')})
    print(f'{out}: held-out accuracy {acc}, trained in {minutes:.1f} min')


if __name__ == '__main__': main()
