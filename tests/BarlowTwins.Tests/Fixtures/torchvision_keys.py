"""Regenerates torchvision_<arch>_keys.txt: torchvision's ResNet state-dict keys and shapes
(fc removed). Run with Debian's python3-torchvision; the tests only read the .txt files."""
import torchvision

for name in ("resnet18", "resnet34", "resnet50"):
    sd = getattr(torchvision.models, name)(weights=None).state_dict()
    with open(f"torchvision_{name}_keys.txt", "w") as f:
        for key, value in sd.items():
            if not key.startswith("fc."):
                f.write(f"{key} {'x'.join(map(str, value.shape)) or 'scalar'}\n")
