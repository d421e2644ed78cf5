"""Chinese for the words chapter 4 adds (prose-facing texts, and the comments and docstrings of the
listings it shows): English -> 中文."""

ZH = {
    # --- pictures and printouts (bplib/chapters/ch4_activations.py) ---
    "Backward from {start}: {step} of 4 steps done, x has no gradient yet.": (
        "反向传播从 {start} 开始：4 步中已完成 {step} 步，梯度还没有传到 x。"
    ),
    "{sentence}.": "{sentence}。",
    # --- listings: the book's bare layers (bplib/chapters/book_layers.py) ---
    (
        "The bare ReLU: y = x where x > 0, else 0. x: an array, any shape.\n\n"
        "Its backward writes its zeros into the ``dout`` it is given and returns that same array:\n"
        "the flaw chapter 4 shows (a gradient used twice arrives damaged the second time)."
    ): (
        "书中那样最简单的 ReLU：x > 0 处 y = x，其余位置为 0。x：数组，形状任意。\n\n"
        "它的 backward 把 0 直接写进传给它的 ``dout``，返回的也是这个数组：\n"
        "这正是第 4 章要演示的缺陷（同一个梯度用两次时，第二次拿到的已被改坏）。"
    ),
    "where the switch is off": "开关关闭的位置",
    "the flaw: this changes the caller's array": "缺陷就在这里：它改写了调用者的数组",
    (
        "The bare sigmoid: y = 1 / (1 + exp(-x)); backward(dout) -> dout * y * (1 - y), from y alone.\n"
        "(Very negative x makes exp(-x) overflow with a warning; bplib's Sigmoid does not.)"
    ): (
        "书中那样最简单的 sigmoid：y = 1 / (1 + exp(-x))；backward(dout) -> dout * y * (1 - y)，只用到 y。\n"
        "（x 是绝对值很大的负数时，exp(-x) 会溢出并发出警告；bplib 的 Sigmoid 不会。）"
    ),
    # --- listings: bplib's layers (bplib/layers.py) ---
    (
        "y = max(x, 0), any shape. backward(dout of x's shape) -> dx: dout where x > 0, else 0\n"
        "(also at exactly x = 0)."
    ): (
        "y = max(x, 0)，形状任意。backward(与 x 形状相同的 dout) -> dx：x > 0 处为 dout，其余为 0\n"
        "（x 恰好为 0 时也是 0）。"
    ),
    "True where x <= 0: the switch is off there": "x <= 0 处为 True：那里的开关是关着的",
    "= x with 0 where mask, and several times faster on big arrays": "等于把 x 在 mask 处置为 0，对大数组要快好几倍",
    "a new array: dout is left as it was": "生成一个新数组：dout 保持原样",
    (
        "y = 1 / (1 + exp(-x)), any shape. backward(dout of x's shape) -> dx = dout * y * (1 - y):\n"
        "it needs only the output y."
    ): (
        "y = 1 / (1 + exp(-x))，形状任意。backward(与 x 形状相同的 dout) -> dx = dout * y * (1 - y)：\n"
        "只需要输出 y。"
    ),
    "bplib.sigmoid: no overflow warning for large |x|": "bplib.sigmoid：|x| 很大时也不会发出溢出警告",
    # --- listings: the vanishing gradient (bplib/chapters/ch4_activations.py) ---
    (
        "Mean |gradient| reaching the input of each of ``depth`` Affine + activation layers.\n\n"
        "Weights are seeded normal, scaled sqrt(1/width) for sigmoid (Xavier) and\n"
        "sqrt(2/width) for ReLU (He), biases 0; the backward pass starts from a gradient of\n"
        "ones at the top. Returns an array of ``depth`` numbers, index 0 = the first layer\n"
        "(next to the data), index depth − 1 = the last (where backward starts)."
    ): (
        "把 ``depth`` 个“Affine 层 + 激活函数层”叠起来，求到达每一层输入的 |梯度| 平均值。\n\n"
        "权重取固定种子的正态分布随机数：sigmoid 乘以 sqrt(1/width)（Xavier 初始值），\n"
        "ReLU 乘以 sqrt(2/width)（He 初始值）；偏置为 0。反向传播从最上面一层的全 1 梯度开始。\n"
        "返回 ``depth`` 个数组成的数组：下标 0 是第一层（紧挨着数据），\n"
        "下标 depth − 1 是最后一层（反向传播从这里开始）。"
    ),
    # --- listings: the exercise's solution (bplib/chapters/solutions/ch4.py) ---
    (
        "y = tanh(x), any shape. tanh' = 1 - tanh², so backward needs only the output:\n"
        "backward(dout) -> dx = dout * (1 - y²)."
    ): (
        "y = tanh(x)，形状任意。tanh' = 1 - tanh²，所以 backward 只需要输出 y：\n"
        "backward(dout) -> dx = dout * (1 - y²)。"
    ),
}
