"""Chinese for the words of chapter 7, automatic differentiation (bplib/autograd.py, and check_op in
bplib/gradcheck.py): English -> 中文.

Terms: 自动微分, 反向模式, 拓扑排序, 梯度累加, 动态计算图（define-by-run）, 张量 (``Tensor`` stays
``Tensor`` in code). A message that repeats PyTorch's ends with PyTorch's English in parentheses, so
that a web search finds the same situation there.
"""

ZH = {
    # --- Tensor and its operations (bplib.autograd) ---
    "a {dtype} tensor has no gradient: use floats, or requires_grad=False": "dtype 为 {dtype} 的张量不能有梯度：请改用浮点数，或者设 requires_grad=False（Only Tensors of floating point and complex dtype can require gradients）",
    "'{op}': shapes {a} and {b} cannot broadcast": "“{op}”：形状 {a} 和 {b} 无法广播",
    "**: the exponent must be a number, not {kind}": "**：指数必须是一个数，但传入的是 {kind}",
    "dot: shapes {a} and {b} do not fit (N, D) @ (D, M)": "dot：形状 {a} 和 {b} 不符合 (N, D) @ (D, M)，无法相乘",
    "sum: no axis {axis} in shape {shape}": "sum：形状 {shape} 中没有轴 {axis}",
    "reshape: shape {old} cannot become {new}": "reshape：形状 {old} 无法变成 {new}",
    "update: a step of shape {step} does not fit {shape}": "更新参数：形状为 {step} 的更新量与形状 {shape} 不符",
    "exp: exp({x}) is too large for {dtype}": "exp：exp({x}) 太大，超出了 {dtype} 的范围",
    "log: needs every input > 0, got {x}": "log：每个输入都必须 > 0，但其中有 {x}",
    # --- backward (反向模式) ---
    "backward: no gradient is needed here (no input requires one, or no_grad() was on)": "backward：这里不需要梯度，因为没有哪个输入需要梯度，或者它是在 no_grad() 里算出来的（element 0 of tensors does not require grad and does not have a grad_fn）",
    "backward: an earlier backward freed this graph; keep it with retain_graph=True": "backward：之前的一次反向传播已经释放了这个计算图；第一次调用时设 retain_graph=True 才能保留它（Trying to backward through the graph a second time）",
    "backward of shape {shape}: pass grad=, the upstream gradient": "backward：形状为 {shape} 的张量不是一个数，请用 grad= 传入上游传来的梯度（grad can be implicitly created only for scalar outputs）",
    "backward: grad of shape {got} for a tensor of {shape}": "backward：grad 的形状是 {got}，但张量的形状是 {shape}",
    "grad_fn of '{op}' returned {n} gradients for {k} inputs": "“{op}”的 grad_fn 返回了 {n} 个梯度，但它有 {k} 个输入",
    "grad_fn of '{op}' sent a gradient of shape {got} to an input of shape {shape}": "“{op}”的 grad_fn 给形状为 {shape} 的输入传回了形状为 {got} 的梯度",
    # --- check_op, the gradient check of one operation (bplib.gradcheck) ---
    "the operation returned {kind}, not a Tensor": "这个运算返回的是 {kind}，而不是 Tensor",
    "grad_fn wrote into dout; it must leave the gradient it is given as it was": "grad_fn 改写了 dout；传给它的梯度必须保持原样",
    "no gradient reached {name}: does grad_fn return one for every input?": "没有梯度传到 {name}：grad_fn 是否为每个输入都返回了梯度？",
}
