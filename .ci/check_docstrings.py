"""Every exported function, class and public method of mnist_cfg has a docstring (else the API docs show
"Call self as a function." or nothing). Exits 1 listing the ones without."""
import importlib, inspect, pkgutil, sys
import mnist_cfg

missing = []
for info in pkgutil.iter_modules(mnist_cfg.__path__):
    if info.name.startswith('_'): continue
    mod = importlib.import_module(f'mnist_cfg.{info.name}')
    for name in getattr(mod, '__all__', []):
        obj = getattr(mod, name)
        if not (inspect.isfunction(obj) or inspect.isclass(obj)): continue   # constants carry no docstring
        if not (obj.__doc__ or '').strip(): missing.append(f'{mod.__name__}.{name}')
        if inspect.isclass(obj):
            for k, v in vars(obj).items():
                if not k.startswith('_') and inspect.isfunction(v) and not (v.__doc__ or '').strip(): missing.append(f'{mod.__name__}.{name}.{k}')
if missing:
    print('no docstring: ' + ', '.join(missing)); sys.exit(1)
print('every exported name has a docstring')
