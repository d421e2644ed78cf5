"""Chinese for the words chapter 5 adds (prose-facing texts, and the comments and docstrings of the
listings it shows): English -> 中文."""

ZH = {
    # --- update_affine_index: the gradients one entry at a time (bplib/chapters/ch5_affine_softmax.py) ---
    "∂L/∂W: entry (i, j) is Xᵢ · ∂L/∂Yⱼ": "∂L/∂W：第 (i, j) 个元素是 Xᵢ · ∂L/∂Yⱼ",
    "∂L/∂X: row i of W times ∂L/∂Y, added up": "∂L/∂X：W 的第 i 行与 ∂L/∂Y 逐项相乘再相加",
    "The Affine layer's gradients entry by entry, X = {x}, ∂L/∂Y = {dy}: {formulas}.": (
        "逐个元素计算 Affine 层的梯度，X = {x}，∂L/∂Y = {dy}：{formulas}。"
    ),
    "update_affine_index: i must be 1 or 2 and j 1, 2 or 3, got i={i!r}, j={j!r}": (
        "update_affine_index：i 必须是 1 或 2，j 必须是 1、2 或 3，实际是 i={i!r}，j={j!r}"
    ),
    "row i of W (input Xᵢ)": "W 的第 i 行（输入 Xᵢ）",
    "column j of W (output Yⱼ)": "W 的第 j 列（输出 Yⱼ）",
    # --- update_affine_shapes: the backward formulas of a batch as blocks of their shapes ---
    "dX = dY · Wᵀ": "dX = dY · Wᵀ",
    "each row of dY against each row of W": "dY 的每一行与 W 的每一行逐项相乘再相加",
    "dW = Xᵀ · dY": "dW = Xᵀ · dY",
    "the product adds up the N examples": "矩阵乘积把 N 个数据的贡献加在一起",
    "dB = dY summed over its rows": "dB = dY 的各行之和",
    "B was added to each of the N rows": "B 加到了全部 N 行上",
    # --- the listings the chapter shows: bplib.layers, bplib.chapters.book_layers, solutions ---
    "The bare Affine layer: out = x · W + b. x: (N, D); W: (D, M); b: (M,); out: (N, M).\n"
    "backward(dout (N, M)) -> dx (N, D), and keeps dW (D, M) and db (M,).": (
        "不加任何检查的 Affine 层：out = x · W + b。x：(N, D)；W：(D, M)；b：(M,)；out：(N, M)。\n"
        "backward(dout (N, M)) -> dx (N, D)，并保存 dW (D, M) 和 db (M,)。"
    ),
    "b was added to every row: its gradient sums them": "b 加到了每一行上，所以它的梯度是各行之和",
    "out = x @ W + b.  x: (N, D), or (N, d1, d2, ...) with d1*d2*... = D (e.g. images\n"
    "(N, 1, 28, 28), read as N rows of 784), or one row (D,); W: (D, M); b: (M,);\n"
    "out: (N, M), or (M,) for one row. backward(dout of out's shape) -> dx of x's shape,\n"
    "and keeps dW (D, M) and db (M,).\n"
    "\n"
    "``input_grad=False`` skips dx (returns None): the first layer of a network\n"
    "never needs the gradient of the data.": (
        "out = x @ W + b。x：(N, D)，或 (N, d1, d2, ...)，其中 d1*d2*... = D（例如图像\n"
        "(N, 1, 28, 28)，看作 N 行、每行 784 个数），或者单独一行 (D,)；W：(D, M)；b：(M,)；\n"
        "out：(N, M)，单独一行时为 (M,)。backward(与 out 形状相同的 dout) -> 与 x 形状相同的 dx，\n"
        "并保存 dW (D, M) 和 db (M,)。\n"
        "\n"
        "``input_grad=False`` 时不计算 dx（返回 None）：网络的第一层\n"
        "从来不需要数据的梯度。"
    ),
    "x as a matrix (N, D), or a clear error if its rows are not as wide as W is tall.": (
        "把 x 变成矩阵 (N, D)；如果每行的宽度和 W 的行数不一致，就给出清楚的错误信息。"
    ),
    "x as rows (N, D)": "把 x 排成若干行 (N, D)",
    "entry (i, j): the sum over n of x[n, i] * dout[n, j]": "第 (i, j) 个元素：x[n, i] * dout[n, j] 对 n 求和",
    "b was added to every row": "b 加到了每一行上",
    "entry (n, i): the sum over j of W[i, j] * dout[n, j]": "第 (n, i) 个元素：W[i, j] * dout[n, j] 对 j 求和",
    "The bare Softmax-with-Loss: softmax, then the mean cross-entropy error.\n"
    "\n"
    "forward(x (N, C), t one-hot (N, C)) -> the loss; backward() -> (y - t) / N, of x's shape.\n"
    "Like the book's, backward ignores ``dout``: this layer is always last, where dout is 1.": (
        "不加任何检查的 Softmax-with-Loss 层：先做 softmax，再求交叉熵误差的平均值。\n"
        "\n"
        "forward(x (N, C), t 为 one-hot 表示 (N, C)) -> 损失；backward() -> (y - t) / N，形状与 x 相同。\n"
        "和书中一样，backward 不理会 ``dout``：这一层总在最后，那里的 dout 是 1。"
    ),
    "Softmax followed by the mean cross-entropy error, as one layer.\n"
    "\n"
    "forward(x, t) -> loss, a float >= 0. x: scores (N, C), or one row (C,). t: class indices\n"
    "(N,), or rows (N, C) that are one-hot or probabilities (each >= 0, summing to 1): labels\n"
    "and one-hot rows give the same loss and gradient; other rows are refused.\n"
    "backward(dout=1.0) -> dout * (y - t) / N, of x's shape.": (
        "softmax 加上交叉熵误差的平均值，合成一层。\n"
        "\n"
        "forward(x, t) -> 损失，一个 >= 0 的浮点数。x：得分 (N, C)，或单独一行 (C,)。t：类别索引\n"
        "(N,)，或形状为 (N, C) 的行，每行是 one-hot 表示或概率（各元素 >= 0，和为 1）：用类别\n"
        "索引和用 one-hot 行，得到的损失和梯度相同；其他的行一律拒绝。\n"
        "backward(dout=1.0) -> dout * (y - t) / N，形状与 x 相同。"
    ),
    "(N, C) finite floats": "(N, C)，有限的浮点数",
    "labels become one-hot rows": "类别索引变成 one-hot 行",
    "log(softmax(x)), never log(0)": "log(softmax(x))，永远不会出现 log(0)",
    "softmax(x)": "即 softmax(x)",
    "the cross-entropy error, per example": "交叉熵误差，按数据个数取平均",
    "Affine's backward pass: each array drawn as a block of its shape": "Affine 层的反向传播：每个数组画成一个与它形状相同的方块",
}
