"""The article's PyTorch listing exactly as printed in the seed (section 5.2)."""

# --8<-- [start:code]
import torch
import torch.nn as nn
import torch.optim as optim

# 定义模型
class LinearRegression(nn.Module):
    def __init__(self):
        super(LinearRegression, self).__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        return self.linear(x)

# 初始化模型、损失函数和优化器
model = LinearRegression()
criterion = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.01)

# 训练模型
x_train = torch.tensor([[1], [2], [3], [4]], requires_grad=False)
y_train = torch.tensor([[0], [1], [2], [3]], requires_grad=False)

for epoch in range(100):
    model.zero_grad()
    y_pred = model(x_train)
    loss = criterion(y_pred, y_train)
    loss.backward()
    optimizer.step()
    if epoch % 10 == 0:
        print(f'Epoch {epoch+1}, Loss: {loss.item()}')

# 评估模型
x_test = torch.tensor([[5]], requires_grad=False)
y_test = torch.tensor([[4]], requires_grad=False)
y_pred = model(x_test)
print(f'Predicted value: {y_pred.item()}')
# --8<-- [end:code]
