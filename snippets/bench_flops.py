"""Counted FLOPs per step, and the evidence that both frameworks build the same models."""

# --8<-- [start:code]
import contextlib
import io

with contextlib.redirect_stdout(io.StringIO()):  # 它的摘要上面已经显示 / its summary is shown above
    import bench_workloads as w

for name in w.BATCH:
    torch_model, keras_model = w.torch_model(name), w.keras_model(name)
    # 每层参数的形状：Keras 的卷积核是 (kh, kw, in, out)，全连接核是 (in, out)；
    # PyTorch 依次是 (out, in, kh, kw) 与 (out, in)，这里换成 Keras 的顺序再比较
    # parameter shapes per layer, in Keras' order: conv kernels (kh, kw, in, out), dense (in, out)
    order = {4: (2, 3, 1, 0), 2: (1, 0), 1: (0,)}
    shapes_t = [tuple(p.shape[i] for i in order[p.dim()]) for p in torch_model.parameters()]
    shapes_k = [tuple(v.shape) for v in keras_model.weights]
    assert shapes_t == shapes_k, (name, shapes_t, shapes_k)
    flops = w.torch_flops(name)
    print(f"{name:6s} parameters {w.parameters(name):7,d}  layers {shapes_k}")
    print(f"{'':6s} FLOP per inference {flops['infer']:13,d}  per training step {flops['train']:13,d}"
          f"  ratio {flops['train'] / flops['infer']:.2f}")
# --8<-- [end:code]
