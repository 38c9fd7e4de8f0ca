"""MSE and its gradient: what nn.MSELoss computes and what autograd returns.

On the article's four points (x = 1..4, y = x - 1) with the weight fixed at 0.5 and the
bias at 0.0 (float64), this checks that nn.MSELoss is the mean of the squared errors
without a factor 1/2, and that the gradients autograd computes equal the closed forms
-(2/n) * sum((y - f) * x) and -(2/n) * sum(y - f) derived on the page.
"""

# --8<-- [start:code]
import torch

x = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64)
y = x - 1  # 0, 1, 2, 3
theta = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)  # 权重 / weight
b = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)  # 偏置 / bias
n = x.numel()

f = theta * x + b  # f(x; θ) = θx + b
loss = torch.nn.MSELoss()(f, y)  # 默认 reduction="mean" / default reduction="mean"
loss.backward()  # 自动微分 / autograd: fills theta.grad and b.grad

r = (y - f).detach()  # 残差 / residuals y_i - f(x_i)
mean_sq = (r**2).sum() / n
half_sum = 0.5 * (r**2).sum()
grad_theta = -2 / n * (r * x).sum()  # -(2/n) Σ (y_i - f(x_i)) x_i
grad_b = -2 / n * r.sum()  # -(2/n) Σ (y_i - f(x_i))

print(f"nn.MSELoss            {loss.item():.6f}")
print(f"(1/n) Σ r²            {mean_sq.item():.6f}")
print(f"(1/2) Σ r²            {half_sum.item():.6f}")
print(f"autograd ∂L/∂θ        {theta.grad.item():.6f}")
print(f"-(2/n) Σ r·x          {grad_theta.item():.6f}")
print(f"autograd ∂L/∂b        {b.grad.item():.6f}")
print(f"-(2/n) Σ r            {grad_b.item():.6f}")
print("loss is the mean:     ", torch.allclose(loss, mean_sq))
print("gradients match:      ", torch.allclose(theta.grad, grad_theta) and torch.allclose(b.grad, grad_b))
# --8<-- [end:code]
