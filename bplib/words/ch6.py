"""Chinese for the words chapter 6 adds (prose-facing texts, and the comments and docstrings of the
listings it shows): English -> 中文."""

ZH = {
    # --- figures and printouts (bplib/chapters/ch6_training.py, bplib/training.py) ---
    "The four steps of learning, in a cycle: 1 pick a mini-batch, 2 compute the gradient by "
    "backprop (one forward and one backward pass), 3 update every parameter, 4 repeat.": (
        "学习的四个步骤，构成一个循环：1 选出一个 mini-batch，2 用误差反向传播法求梯度"
        "（一次正向传播和一次反向传播），3 更新每个参数，4 重复。"
    ),
    "red: positive weight, blue: negative; each image has its own colour scale": (
        "红色：正的权重，蓝色：负的权重；每张图像有各自的色标"
    ),
    "{n} images of 28×28 first-layer weights, one per hidden unit; "
    "the weights range from {low:.3f} to {high:.3f}.": (
        "第 1 层的权重画成 {n} 张 28×28 的图像，隐藏层每个神经元一张；权重的范围是 {low:.3f} 到 {high:.3f}。"
    ),
    "{title}: {n} images, titled {titles}.": "{title}：共 {n} 张图像，标题依次为 {titles}。",
    "Confusion matrix of {total:,} test digits: {diagonal:,} correct (on the diagonal), "
    "{wrong:,} mistakes; the most frequent mistake reads {true} as {predicted}, {count} times.": (
        "{total:,} 个测试数字的混淆矩阵：答对 {diagonal:,} 个（在对角线上），答错 {wrong:,} 个；"
        "最常见的错误是把 {true} 认成 {predicted}，共 {count} 次。"
    ),
    "Training runs compared:": "几次训练的比较：",
    "{run}: test accuracy {test:.1%}, mean loss of the last {n} iterations {loss:.3f}.": (
        "{run}：测试准确率 {test:.1%}，最后 {n} 次迭代的平均损失 {loss:.3f}。"
    ),
    "{run}mini-batch loss from {first:.2f} to {end:.2f} (mean of the last {n} iterations); "
    "after {epochs:.2f} epochs, train accuracy {train:.1%}, test accuracy {test:.1%}.": (
        "{run}mini-batch 的损失从 {first:.2f} 变为 {end:.2f}（最后 {n} 次迭代的平均值）；"
        "{epochs:.2f} 个 epoch 之后，训练准确率 {train:.1%}，测试准确率 {test:.1%}。"
    ),
    # gradient-check practice
    "Gradient check: the error against the step h": "梯度确认：误差随步长 h 的变化",
    "step h (log scale)": "步长 h（对数刻度）",
    "relative error (log scale)": "相对误差（对数刻度）",
    "the book's h = 1e-4": "书中的 h = 1e-4",
    "{name} {error:.0e} at h = {h:.0e}": "{name} 在 h = {h:.0e} 时为 {error:.0e}",
    "Relative error of the numerical gradient against backprop for steps h from {large:.0e} to "
    "{small:.0e}, on log scales. Smallest error: {best}.": (
        "步长 h 从 {large:.0e} 减小到 {small:.0e} 时，数值微分求出的梯度与误差反向传播法求出的梯度之间的"
        "相对误差（两个轴都是对数刻度）。最小的误差：{best}。"
    ),
    "last layer": "最后一层",
    "largest relative error {error:.1e}": "最大相对误差 {error:.1e}",
    "elementwise_errors: shapes {a} and {b} differ": "elementwise_errors：形状 {a} 和 {b} 不同",
    "MultiLayerNet: sizes must be positive whole numbers, with at least one hidden layer; "
    "got {sizes}": "MultiLayerNet：各层的大小必须是正整数，而且至少要有一个隐藏层；传入的是 {sizes}",
    "MultiLayerNet: activation must be a layer class, such as Relu, got {activation!r}": (
        "MultiLayerNet：activation 必须是一个层的类，比如 Relu，但传入的是 {activation!r}"
    ),
    # the valley
    "The valley f(x, y) = x²/20 + y², from ({x:g}, {y:g}); + marks the minimum": (
        "山谷 f(x, y) = x²/20 + y²，从 ({x:g}, {y:g}) 出发；+ 标出最小值"
    ),
    "x (shallow direction)": "x（平缓的方向）",
    "y (steep direction)": "y（陡峭的方向）",
    "Paths on the valley f(x, y) = x²/20 + y²:": "在山谷 f(x, y) = x²/20 + y² 上走出的路径：",
    "{label}: after {steps} steps at ({x:.2f}, {y:.2f}), {distance:.2f} from the minimum; "
    "y changed sign {changes} times.": (
        "{label}：走了 {steps} 步之后位于 ({x:.2f}, {y:.2f})，离最小值 {distance:.2f}；y 的符号变了 {changes} 次。"
    ),
    # --- the listings chapter 6 shows: their docstrings and comments ---
    # TwoLayerNet (bplib/network.py)
    "Scores (logits), (N, output_size). Inference needs no softmax.": (
        "得分（logits），形状为 (N, output_size)。推理不需要 softmax。"
    ),
    "Gradients by backprop: one forward and one backward pass for all of them.\n\n"
    "The loss of that forward pass is kept as ``last_layer.loss``.": (
        "用误差反向传播法求梯度：一次正向传播加一次反向传播，就得到全部梯度。\n\n"
        "这次正向传播的损失保存在 ``last_layer.loss`` 中。"
    ),
    "Gradients by central differences: 2 forward passes per parameter (slow).\n\n"
    "``numerical_gradient`` nudges each parameter array in place, and the layers hold\n"
    "those same arrays, so a loss that ignores its argument sees every nudge.": (
        "用中心差分求梯度：每个参数要做 2 次正向传播（很慢）。\n\n"
        "``numerical_gradient`` 就地微调每个参数数组，而各层持有的正是这些数组，\n"
        "所以即使损失函数不理会自己的参数，也能感受到每一次微调。"
    ),
    "W1, b1 from Affine1, ...": "W1、b1 来自 Affine1，依此类推",
    # SGD (bplib/training.py)
    "Stochastic gradient descent: ``W <- W - lr * dL/dW`` for every parameter.\n\n"
    "The book's optimizer interface: ``update(params, grads)`` changes ``params`` in place;\n"
    "``params`` and ``grads`` map the same names (``'W1'``, ``'b1'``, ...) to arrays.": (
        "随机梯度下降法：对每个参数执行 ``W <- W - lr * dL/dW``。\n\n"
        "沿用书中优化器的接口：``update(params, grads)`` 就地修改 ``params``；\n"
        "``params`` 和 ``grads`` 用相同的名字（``'W1'``、``'b1'`` 等）对应各自的数组。"
    ),
    # the training loop of bplib.training.train
    "1. a mini-batch": "1. 选出一个 mini-batch",
    "2. the gradient, by backprop": "2. 用误差反向传播法求梯度",
    "3. the update": "3. 更新参数",
    "4. repeat; once per epoch, the accuracy on all the data": "4. 重复；每个 epoch 在全部数据上测一次准确率",
    # train_like_the_book and MultiLayerNet (bplib/chapters/ch6_training.py)
    "The book's training loop, bare: the four steps and nothing around them.\n\n"
    "Returns the loss of every iteration (iters,). No checks, no progress bar, no accuracy:\n"
    "``bplib.training.train`` adds those, and draws the same mini-batches for the same seed.": (
        "书中的训练循环，不加任何修饰：只有四个步骤。\n\n"
        "返回每次迭代的损失 (iters,)。没有检查，没有进度条，也不测准确率：\n"
        "这些由 ``bplib.training.train`` 加上；种子相同时，它抽取的 mini-batch 也相同。"
    ),
    "1. a mini-batch, drawn with replacement": "1. 选出一个 mini-batch（有放回地抽取）",
    "3. the update: a small step against the gradient": "3. 更新参数：沿梯度的反方向挪一小步",
    "4. repeat, with the next mini-batch": "4. 重复：换下一个 mini-batch",
    "input_size -> hidden_sizes[0] -> ... -> output_size: an Affine and an activation layer for each\n"
    "hidden layer, then an Affine and Softmax-with-Loss. x: (N, input_size); t: class indices (N,) or\n"
    "one-hot. activation: the activation layer's class (Relu by default), called once per hidden layer.\n\n"
    "Only the list of layers is new: predict, loss, accuracy and gradient are TwoLayerNet's, which\n"
    "walk whatever list ``layers`` holds and collect dW, db from each of its Affine layers.": (
        "input_size -> hidden_sizes[0] -> ... -> output_size：每个隐藏层有一个 Affine 层和一个激活函数层，\n"
        "最后是一个 Affine 层和 Softmax-with-Loss 层。x：(N, input_size)；t：类别索引 (N,) 或 one-hot 表示。\n"
        "activation：激活函数层的类（默认是 Relu），每个隐藏层调用它一次，得到一个新的层。\n\n"
        "新的只有层的列表：predict、loss、accuracy 和 gradient 都是 TwoLayerNet 原有的代码，\n"
        "``layers`` 里有多少层，它们就依次处理多少层，并从其中每个 Affine 层收集 dW 和 db。"
    ),
    "input_grad: the first layer skips the gradient of its input, the pixels, which nothing uses": (
        "input_grad：第一层不计算关于输入（像素）的梯度，没有任何地方用得到它"
    ),
    "an activation after every Affine but the last": "除了最后一个 Affine 层，每个 Affine 层后面都接一个激活函数层",
    "W1, b1, W2, b2, ...": "W1、b1、W2、b2……",
    # the reference solutions (bplib/chapters/solutions/ch6.py)
    "y = x where x > 0, else alpha * x; any shape. On each side of 0 the layer is a straight\n"
    "line, so its local derivative is that line's slope: backward(dout) -> dx = dout where x > 0,\n"
    "alpha * dout elsewhere (a new array: dout stays as it was).": (
        "x > 0 时 y = x，否则 y = alpha * x；形状任意。在 0 的两侧，这个层各是一条直线，\n"
        "所以它的局部导数就是那条直线的斜率：backward(dout) -> x > 0 处 dx = dout，\n"
        "其他地方 dx = alpha * dout（返回一个新数组，dout 保持原样）。"
    ),
    "where y = alpha * x": "这些位置上 y = alpha * x",
    "SGD with momentum: v <- momentum * v - lr * grad; W <- W + v.\n\n"
    "The velocity v (one array per parameter, zeros at first) remembers past steps, so\n"
    "steps that keep pointing the same way grow and zig-zags cancel out. Same interface\n"
    "as ``bplib.training.SGD``: ``update(params, grads)`` changes ``params`` in place.": (
        "带动量的 SGD：v <- momentum * v - lr * grad；W <- W + v。\n\n"
        "速度 v（每个参数一个数组，起初全为 0）记住了以往的步子，所以方向一直相同的步子会越走越大，\n"
        "来回摇摆的步子则相互抵消。接口和 ``bplib.training.SGD`` 相同：``update(params, grads)`` 就地修改 ``params``。"
    ),
    "one velocity per parameter: zeros at the first update": "每个参数一个速度：第一次更新时设为全 0",
}
