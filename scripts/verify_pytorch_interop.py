#!/usr/bin/env python3
"""Checks BarlowTwins' PyTorch interop against real PyTorch (not run by CI, which has no torch).

For resnet18 and resnet50, with /usr/bin/python3 and Debian's python3-torch + python3-torchvision:
  1. torchvision model with random weights and BN statistics -> tv.pth (with fc, as torchvision saves it)
  2. ./barlow import --from tv.pth                              -> our backbone folder
  3. ./barlow export --format pytorch --probe 4                -> ours.pth + probe input + our features
  4. compare: torchvision(probe) vs our features               (import path: PyTorch -> us)
              fresh torchvision loading ours.pth (strict=False; only fc missing) vs our features,
              and its tensors vs the originals                 (export path: us -> PyTorch)
Usage: /usr/bin/python3 scripts/verify_pytorch_interop.py [--keep DIR]
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torchvision

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def barlow(*args):
    subprocess.run([os.path.join(REPO, "barlow"), *args], check=True)


def randomised(name):
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.2)
                m.momentum = 1.0
        for m in model.modules():  # trained networks keep residual branches small
            if isinstance(m, torchvision.models.resnet.BasicBlock):
                m.bn2.weight.uniform_(0.1, 0.4)
            elif isinstance(m, torchvision.models.resnet.Bottleneck):
                m.bn3.weight.uniform_(0.1, 0.4)
        model.train()
        model(torch.randn(4, 3, 64, 64))  # calibrate running statistics
    return model.eval()


def features(model, x):
    fc, model.fc = model.fc, torch.nn.Identity()
    with torch.no_grad():
        y = model(x)
    model.fc = fc
    return y


def check(name, work):
    reference = randomised(name)
    tv_path, folder, ours_path = (os.path.join(work, f"{name}-{s}") for s in ("tv.pth", "backbone", "ours.pth"))
    torch.save(reference.state_dict(), tv_path)
    barlow("import", "--from", tv_path, "--arch", name, "--out", folder)
    barlow("export", "--checkpoint", folder, "--format", "pytorch", "--out", ours_path, "--probe", "4")
    probe = torch.from_numpy(np.load(ours_path + ".probe-input.npy"))
    ours = torch.from_numpy(np.load(ours_path + ".probe-features.npy"))

    import_diff = (features(reference, probe) - ours).abs().max().item()

    exported = torch.load(ours_path)
    fresh = getattr(torchvision.models, name)(weights=None)
    result = fresh.load_state_dict(exported, strict=False)
    assert sorted(result.missing_keys) == ["fc.bias", "fc.weight"] and not result.unexpected_keys, result
    assert list(exported.keys()) == [k for k in reference.state_dict() if not k.startswith("fc.")], "key order differs"
    tensors_equal = all(torch.equal(v, reference.state_dict()[k]) for k, v in exported.items())
    export_diff = (features(fresh.eval(), probe) - ours).abs().max().item()

    print(f"{name}: import  max |torchvision - barlow| = {import_diff:.2e}")
    print(f"{name}: export  max |torchvision(our .pth) - barlow| = {export_diff:.2e}; tensors identical: {tensors_equal}; "
          f"max |feature| {ours.abs().max().item():.2f}")
    return import_diff < 1e-4 and export_diff < 1e-4 and tensors_equal


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="keep the files in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="barlow-verify-") as temporary:
        work = args.keep or temporary
        os.makedirs(work, exist_ok=True)
        print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, files in {work}")
        ok = all([check("resnet18", work), check("resnet50", work)])
    print("OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
