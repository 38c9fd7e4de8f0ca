"""Does a forward pass change the weights? (The article says it does.)"""

# --8<-- [start:code]
import torch

torch.manual_seed(0)
model = torch.nn.Linear(1, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
x = torch.tensor([[1.0], [2.0]])
y = torch.tensor([[0.0], [1.0]])

before = [p.detach().clone() for p in model.parameters()]
loss = torch.nn.functional.mse_loss(model(x), y)  # 前向传播 / forward pass
print("unchanged after forward: ", all(torch.equal(a, b) for a, b in zip(before, model.parameters())))
loss.backward()  # 反向传播只计算梯度 / backward pass: gradients only
print("unchanged after backward:", all(torch.equal(a, b) for a, b in zip(before, model.parameters())))
optimizer.step()  # 优化器更新参数 / the optimizer updates the parameters
print("unchanged after step:    ", all(torch.equal(a, b) for a, b in zip(before, model.parameters())))
# --8<-- [end:code]
