"""Counted FLOPs per step, and the evidence that both frameworks build the same models."""

# --8<-- [start:code]
import contextlib
import io

with contextlib.redirect_stdout(io.StringIO()):  # 它的摘要上面已经显示 / its summary is shown above
    import bench_workloads as w

for name in w.BATCH:
    torch_model, keras_model = w.torch_model(name), w.keras_model(name)
    counts = (w.parameters(name), sum(p.numel() for p in torch_model.parameters()),
              sum(int(v.numpy().size) for v in keras_model.trainable_weights))
    assert len(set(counts)) == 1, (name, counts)  # 手算、PyTorch、Keras / by hand, PyTorch, Keras
    # 每层参数的形状：Keras 的卷积核是 (kh, kw, in, out)，全连接核是 (in, out)；
    # PyTorch 依次是 (out, in, kh, kw) 与 (out, in)，这里换成 Keras 的顺序，按集合比较（函数式
    # Keras 模型按图的顺序列出层）。Transformer 例外：PyTorch 把 Q、K、V 投影存成一个矩阵。
    # parameter shapes in Keras' order, conv kernels (kh, kw, in, out) and dense (in, out), compared
    # as multisets (a functional Keras model lists its layers in graph order); not for the
    # Transformer, whose Q, K, V projections PyTorch keeps in one matrix
    order = {4: (2, 3, 1, 0), 2: (1, 0), 1: (0,)}
    shapes_t = [tuple(p.shape[i] for i in order[p.dim()]) for p in torch_model.parameters()]
    shapes_k = [tuple(v.shape) for v in keras_model.trainable_weights]
    assert name == "transformer" or sorted(shapes_t) == sorted(shapes_k), (name, shapes_t, shapes_k)
    flops = w.torch_flops(name)
    print(f"{name:11s} parameters {counts[0]:10,d} in {len(shapes_k)} weight tensors")
    print(f"{'':11s} FLOP per inference {flops['infer']:15,d}  per training step {flops['train']:15,d}"
          f"  ratio {flops['train'] / flops['infer']:.2f}")
# --8<-- [end:code]
