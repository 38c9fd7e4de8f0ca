"""Linear regression in PyTorch: the article's program, corrected so it runs on torch 2.13."""

# --8<-- [start:code]
import torch
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(0)  # 固定初始权重 / fixed initial weights


# 定义模型 / define the model
class LinearRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        return self.linear(x)


# 初始化模型、损失函数和优化器 / model, loss function and optimizer
model = LinearRegression()
criterion = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.01)

# 训练数据：y = x - 1（浮点数）/ training data: y = x - 1 (floats)
x_train = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
y_train = torch.tensor([[0.0], [1.0], [2.0], [3.0]])

# 训练模型 / train
for epoch in range(100):
    model.zero_grad()
    y_pred = model(x_train)
    loss = criterion(y_pred, y_train)
    loss.backward()
    optimizer.step()
    if (epoch + 1) % 10 == 0:
        print(f"Epoch {epoch + 1}, Loss: {loss.item():.6f}")

# 评估模型 / evaluate at x = 5 (true value 4)
x_test = torch.tensor([[5.0]])
with torch.no_grad():
    y_pred = model(x_test)
print(f"Predicted value: {y_pred.item():.4f}")
# --8<-- [end:code]
