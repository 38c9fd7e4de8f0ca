"""Which epoch labels the article's PyTorch loop prints (its condition and its label)."""

# --8<-- [start:code]
labels = [epoch + 1 for epoch in range(100) if epoch % 10 == 0]
print(f"{len(labels)} lines, labels: {labels}")
# --8<-- [end:code]
