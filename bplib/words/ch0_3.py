"""Chinese for the words chapters 0-3 add (prose-facing texts, and the comments and docstrings of the
listings they show): English -> 中文."""

ZH = {
    # the graph kit's words (bplib.viz.graph.Graph.describe_step)
    "{first} and {last}": "{first} 和 {last}",
    # chapter 1's listing: the exercise's solution (bplib.chapters.solutions.SubLayer)
    "out = x - y (a coupon taken off a bill). x, y: numbers or arrays of one shape.\n"
    "backward(dout) -> (dx, dy) = (dout, -dout): y counts against the result, so its gradient flips sign.": (
        "out = x - y（从账单里扣掉一张优惠券）。x、y：数，或形状相同的数组。\n"
        "backward(dout) -> (dx, dy) = (dout, -dout)：y 越大，结果越小，所以它的梯度要变号。"
    ),
    # chapter 2's listings: the square node (bplib.viz.nodes.SquareLayer), the graph's backward pass
    # (bplib.viz.graph.Graph.backward) and the exercise's solution (solutions.CubeLayer)
    "y = x ** 2, any shape. backward: dx = dout * 2x.": "y = x ** 2，x 可以是任意形状。backward：dx = dout * 2x。",
    "the local derivative 2x needs the input": "局部导数 2x 要用到输入",
    "Run every node right to left, starting from d(output)/d(output) = dout.\n"
    "Returns {input name: gradient} (None for an input no node sends a gradient to).": (
        "从 d(输出)/d(输出) = dout 出发，从右往左执行每个节点。\n"
        "返回 {input: 梯度}，input 是各个输入的名字（没有任何节点向它传回梯度的输入，梯度为 None）。"
    ),
    "d(output)/d(node), and what each arrow carried back": "d(输出)/d(节点)，以及每个箭头传回的数",
    "right to left: every node a value feeds has already sent its part": (
        "从右往左：轮到一个节点时，用到它的值的节点都已经把梯度传回来了"
    ),
    "nothing flows back here (e.g. only into labels)": "没有梯度传到这里（比如它只通向监督标签）",
    "upstream gradient × the local derivative for input k": "上游传来的梯度 × 对第 k 个输入的局部导数",
    "a value feeding several nodes: the gradients of its branches add up": (
        "一个值送进几个节点时：各条分支传回的梯度相加"
    ),
    "what the drawing writes below the arrows": "图上写在箭头下方的数",
    "y = x ** 3, any shape. backward(dout) -> dx = dout * 3x² (the local derivative).": (
        "y = x ** 3，x 可以是任意形状。backward(dout) -> dx = dout * 3x²（乘以局部导数）。"
    ),
    "3x² needs the input": "求 3x² 要用到输入",
    # chapter 3's listings: the book's bare layers (bplib.chapters.book_layers), bplib's MulLayer
    # (bplib.layers) and the exercise's solution (solutions.DivLayer)
    "The bare multiply node: out = x * y; backward(dout) -> (dout * y, dout * x), the inputs swapped.": (
        "最简单的乘法节点：out = x * y；backward(dout) -> (dout * y, dout * x)，乘以翻转后的输入。"
    ),
    "The bare add node: out = x + y; backward(dout) -> (dout, dout), passed on unchanged.": (
        "最简单的加法节点：out = x + y；backward(dout) -> (dout, dout)，原样传下去。"
    ),
    "out = x * y. x, y: numbers or arrays that broadcast together; out: their broadcast shape.\n"
    "backward(dout of out's shape) -> (dx of x's shape, dy of y's shape).": (
        "out = x * y。x、y：数，或可以一起广播的数组；out：广播后的形状。\n"
        "backward(形状与 out 相同的 dout) -> (形状与 x 相同的 dx, 形状与 y 相同的 dy)。"
    ),
    "the multiply node needs both inputs for backward": "乘法节点的反向传播要用到两个输入",
    "swapped: dx uses y": "翻转：dx 用 y",
    "and dy uses x": "dy 用 x",
    "out = x / y (a bill split y ways). x, y: numbers or arrays of one shape, y never 0.\n"
    "backward(dout) -> (dx, dy) = (dout / y, -dout * x / y²): like the multiply node, it keeps its inputs.": (
        "out = x / y（一张账单由 y 个人分摊）。x、y：数，或形状相同的数组，y 不为 0。\n"
        "backward(dout) -> (dx, dy) = (dout / y, -dout * x / y²)：和乘法节点一样，它要保存自己的输入。"
    ),
    "∂(x/y)/∂x = 1/y": "∂(x/y)/∂x = 1/y",
    "∂(x/y)/∂y = -x/y²": "∂(x/y)/∂y = -x/y²",
    "Problem 1, with the count and the tax as inputs too": "问题 1：苹果个数和消费税也作为输入",
}
