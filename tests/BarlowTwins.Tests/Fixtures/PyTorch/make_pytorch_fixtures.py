"""Regenerates the torch.save files the interop tests read (the tests never need Python).
Run with Debian's python3-torch + python3-torchvision: /usr/bin/python3 make_pytorch_fixtures.py

dtypes_p2.pth / _p4 / _p5      every dtype we read, a transposed (non-contiguous) view, a slice
                               with a storage offset sharing its storage, an nn.Parameter;
                               pickle protocols 2 (torch's default), 4 and 5.
training_checkpoint.pth        the authors' checkpoint layout ({'epoch', 'model', 'optimizer'},
                               keys 'module.backbone.*', 'module.projector.*', 'module.bn.*') for a
                               ResNet-18 of width 4 with a CIFAR stem on 1 channel, projector 16-16.
training_checkpoint.sums.json  sum of every tensor in 'model', to check what landed where.
"""
import json
from collections import OrderedDict

import torch
import torchvision


def dtypes():
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 4
    sd = OrderedDict()
    sd["f32"] = base
    sd["f16"] = (torch.arange(6, dtype=torch.float32) / 8).to(torch.float16)
    sd["bf16"] = (torch.arange(6, dtype=torch.float32) / 8).to(torch.bfloat16)
    sd["f64"] = torch.arange(6, dtype=torch.float64) / 3
    sd["num_batches_tracked"] = torch.tensor(1234567890123, dtype=torch.int64)
    sd["u8"] = torch.arange(250, 256, dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True])
    sd["transposed"] = base.t()            # shape 6x4, stride (1, 6)
    sd["slice"] = base[1:, 2:]             # shape 3x4, stride (6, 1), offset 8, same storage as f32
    sd["parameter"] = torch.nn.Parameter(torch.ones(2, 2))   # pickled through _rebuild_parameter
    return sd


def slim_resnet18(width=4):
    """torchvision's ResNet-18 state dict cut to `width` base channels, CIFAR stem, 1 input channel."""
    full = torchvision.models.resnet18(weights=None).state_dict()
    ratio = 64 // width
    g = torch.Generator().manual_seed(0)
    sd = OrderedDict()
    for key, value in full.items():
        if key.startswith("fc."):
            continue
        if key == "conv1.weight":
            shape = (width, 1, 3, 3)
        elif value.dim() == 4:
            shape = (value.shape[0] // ratio, value.shape[1] // ratio) + tuple(value.shape[2:])
        elif value.dim() == 1:
            shape = (value.shape[0] // ratio,)
        else:
            shape = ()
        if key.endswith("num_batches_tracked"):
            sd[key] = torch.tensor(7)
        elif key.endswith("running_var"):
            sd[key] = torch.rand(shape, generator=g) + 0.5
        else:
            sd[key] = torch.randn(shape, generator=g)
    return sd


def training_checkpoint():
    model = OrderedDict()
    for key, value in slim_resnet18().items():
        model["module.backbone." + key] = value
    g = torch.Generator().manual_seed(1)
    model["module.projector.0.weight"] = torch.randn(16, 32, generator=g)
    for name in ("weight", "bias", "running_mean"):
        model[f"module.projector.1.{name}"] = torch.randn(16, generator=g)
    model["module.projector.1.running_var"] = torch.rand(16, generator=g) + 0.5
    model["module.projector.1.num_batches_tracked"] = torch.tensor(7)
    model["module.projector.3.weight"] = torch.randn(16, 16, generator=g)
    model["module.bn.running_mean"] = torch.zeros(16)
    model["module.bn.running_var"] = torch.ones(16)
    model["module.bn.num_batches_tracked"] = torch.tensor(7)
    optimizer = {"state": {0: {"mu": torch.zeros(3)}},
                 "param_groups": [{"lr": 0.2, "weight_decay": 1.5e-6, "momentum": 0.9, "eta": 0.001,
                                   "weight_decay_filter": True, "lars_adaptation_filter": True, "params": [0, 1]}]}
    return dict(epoch=3, model=model, optimizer=optimizer), model


if __name__ == "__main__":
    torch.save(dtypes(), "dtypes_p2.pth")
    torch.save(dtypes(), "dtypes_p4.pth", pickle_protocol=4)
    torch.save(dtypes(), "dtypes_p5.pth", pickle_protocol=5)
    checkpoint, model = training_checkpoint()
    torch.save(checkpoint, "training_checkpoint.pth")
    with open("training_checkpoint.sums.json", "w") as f:
        json.dump({k: float(v.double().sum()) for k, v in model.items()}, f, indent=0)
