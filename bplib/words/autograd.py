"""Chinese for the words of chapter 7, automatic differentiation (bplib/autograd.py): English -> 中文.

Terms: 自动微分, 反向模式, 拓扑排序, 梯度累加, 动态计算图（define-by-run）, 张量 (``Tensor`` stays
``Tensor`` in code). A message that repeats PyTorch's ends with PyTorch's English in parentheses, so
that a web search finds the same situation there.
"""

ZH = {
    # --- Tensor and its operations (bplib.autograd) ---
    "only floating-point tensors can require gradients, not {dtype}: use floats, or requires_grad=False": "只有浮点数张量才能求梯度，这里的 dtype 是 {dtype}：请改用浮点数，或者设 requires_grad=False（Only Tensors of floating point and complex dtype can require gradients）",
    "'{op}': shapes {a} and {b} cannot broadcast": "“{op}”：形状 {a} 和 {b} 无法广播",
    "**: the exponent must be a number, not {kind}": "**：指数必须是一个数，但传入的是 {kind}",
    "dot: cannot multiply shapes {a} and {b}: need (N, D) @ (D, M)": "dot：形状 {a} 和 {b} 无法相乘，需要 (N, D) @ (D, M)",
    "sum: no axis {axis} in shape {shape}": "sum：形状 {shape} 中没有轴 {axis}",
    "reshape: shape {old} cannot become {new}": "reshape：形状 {old} 无法变成 {new}",
    "update: a step of shape {step} does not fit shape {shape}": "更新参数：形状为 {step} 的更新量与形状 {shape} 不符",
    "exp: exp({x}) is too large for {dtype}": "exp：exp({x}) 太大，超出了 {dtype} 的范围",
    "log: needs every input > 0, got {x}": "log：每个输入都必须 > 0，但其中有 {x}",
    # --- backward (反向模式) ---
    "backward: a tensor of {dtype} has no gradient; only floating-point tensors have one": "backward：dtype 为 {dtype} 的张量没有梯度；只有浮点数张量才有",
    "backward: this tensor needs no gradient: no input of it requires one, or no_grad() is on": "backward：这个张量不需要梯度，因为它的输入都不需要梯度，或者它是在 no_grad() 里算出来的（element 0 of tensors does not require grad and does not have a grad_fn）",
    "backward: an earlier backward already freed this graph; backward(retain_graph=True) keeps it for a second pass": "backward：之前的一次反向传播已经释放了这个计算图；第一次调用 backward(retain_graph=True) 才能再反向传播一次（Trying to backward through the graph a second time）",
    "backward: shape {shape} is not one number; pass grad=, the upstream gradient": "backward：形状为 {shape} 的张量不是一个数；请用 grad= 传入上游传来的梯度（grad can be implicitly created only for scalar outputs）",
    "backward: grad has shape {got}, but the tensor has shape {shape}": "backward：grad 的形状是 {got}，但张量的形状是 {shape}",
    "grad_fn of '{op}' returned {n} gradients for {k} inputs": "“{op}”的 grad_fn 返回了 {n} 个梯度，但它有 {k} 个输入",
    "grad_fn of '{op}' returned a gradient of shape {got} for an input of shape {shape}": "“{op}”的 grad_fn 为形状 {shape} 的输入返回了形状为 {got} 的梯度",
    # --- check_op, the gradient check of one operation ---
    "output": "输出",
    "no gradient reached {name}: does grad_fn return one for every input?": "没有梯度传到 {name}：grad_fn 是否为每个输入都返回了梯度？",
}
