"""Words of the graphs, chapters 1-3, gradient checks and sliders: key -> {"en", "zh"}."""

WORDS = {
    # computational graphs (bplib.viz.graph) and the book's graphs (bplib.chapters.book_graphs)
    "graph.title": {"en": "computational graph", "zh": "计算图"},
    "graph.not_started": {
        "en": "forward pass done; backward not started",
        "zh": "正向传播已完成；反向传播还没开始",
    },
    "graph.step1": {
        "en": "step 1: start with d{out}/d{out} = {dout} on the output arrow",
        "zh": "第 1 步：在输出的箭头上从 d{out}/d{out} = {dout} 开始",
    },
    "graph.step": {
        "en": "step {k}: the '{label}' node gets {grad} and sends {sent}",
        "zh": "第 {k} 步：“{label}”节点收到 {grad}，向后传出 {sent}",
    },
    "graph.step_title": {
        "en": "{title}: backward step {step} of {n}",
        "zh": "{title}：反向传播第 {step} 步（共 {n} 步）",
    },
    "book.problem1": {
        "en": "Problem 1: {count} apples at {price} yen, tax ×{tax}",
        "zh": "问题 1：{count} 个苹果，每个 {price} 日元，消费税 ×{tax}",
    },
    "book.problem2": {"en": "Problem 2: apples and oranges", "zh": "问题 2：苹果和橘子"},
    "book.local": {
        "en": "Local computation: the + node only sees 200 and 4000",
        "zh": "局部计算：+ 节点只看到 200 和 4000",
    },
    "book.add_node": {"en": "add node: {x} + {y}", "zh": "加法节点：{x} + {y}"},
    "book.mul_node": {"en": "multiply node: {x} × {y}", "zh": "乘法节点：{x} × {y}"},
    "book.sigmoid_nodes": {"en": "sigmoid as four nodes", "zh": "用四个节点表示 sigmoid"},
    "book.basket": {"en": "a basket of {n} fruits", "zh": "装了 {n} 种水果的购物篮"},
    "label.apple_price": {"en": "apple price", "zh": "苹果单价"},
    "label.apple_count": {"en": "apple count", "zh": "苹果个数"},
    "label.orange_price": {"en": "orange price", "zh": "橘子单价"},
    "label.orange_count": {"en": "orange count", "zh": "橘子个数"},
    "label.tax": {"en": "tax", "zh": "消费税"},
    "label.others": {"en": "other things", "zh": "其他商品"},
    "label.payment": {"en": "payment", "zh": "支付金额"},
    "label.price_i": {"en": "price{i}", "zh": "单价{i}"},
    "label.count_i": {"en": "count{i}", "zh": "个数{i}"},
    # tables printed under the pictures (bplib.chapters.ch1_3_graphs, Graph.table)
    "table.input": {"en": "input", "zh": "输入"},
    "table.value": {"en": "value", "zh": "值"},
    "table.backprop": {"en": "backprop", "zh": "反向传播"},
    "table.finite_difference": {"en": "finite difference", "zh": "数值微分"},
    "table.gradient": {"en": "gradient", "zh": "梯度"},
    "table.formula": {"en": "formula (× upstream)", "zh": "公式（× 上游）"},
    "formula.apple": {"en": "apple_num · tax", "zh": "苹果个数 · 消费税"},
    "formula.apple_num": {"en": "apple · tax", "zh": "苹果单价 · 消费税"},
    "formula.orange": {"en": "orange_num · tax", "zh": "橘子个数 · 消费税"},
    "formula.orange_num": {"en": "orange · tax", "zh": "橘子单价 · 消费税"},
    "formula.tax": {
        "en": "apple · apple_num + orange · orange_num",
        "zh": "苹果单价 · 苹果个数 + 橘子单价 · 橘子个数",
    },
    "apple.payment": {"en": "payment = {price} yen", "zh": "支付金额 = {price} 日元"},
    "apple.payment_upstream": {
        "en": "payment = {price} yen, upstream gradient {upstream}",
        "zh": "支付金额 = {price} 日元，上游传来的梯度 {upstream}",
    },
    "passes.numerical": {
        "en": "numerical: 2 forward passes per input",
        "zh": "数值微分：每个输入 2 次正向传播",
    },
    "passes.backprop": {
        "en": "backprop: 1 forward + 1 backward pass",
        "zh": "反向传播：1 次正向传播 + 1 次反向传播",
    },
    "passes.xlabel": {"en": "number of inputs", "zh": "输入的个数"},
    "passes.ylabel": {"en": "passes through the graph", "zh": "遍历计算图的次数"},
    "passes.title": {"en": "Getting every gradient of a shopping basket", "zh": "求购物篮所有输入的梯度"},
    "chain.tangent": {"en": "tangent", "zh": "切线"},
    "chain.title": {
        "en": "z along x (y = {y}): the tangent's slope is {slope}",
        "zh": "z 随 x 变化（y = {y}）：切线的斜率是 {slope}",
    },
    "nodes.add": {
        "en": "add:      {x} + {b} = {z}; sends back {gx} and {gy} (upstream {upstream}, unchanged)",
        "zh": "加法节点：{x} + {b} = {z}；向回传 {gx} 和 {gy}（上游的 {upstream}，原样传递）",
    },
    "nodes.mul": {
        "en": "multiply: {x} × {b} = {z}; sends back {u} × {b} = {gx} and {u} × {a} = {gy} "
        "(the inputs swapped)",
        "zh": "乘法节点：{x} × {b} = {z}；向回传 {u} × {b} = {gx} 和 {u} × {a} = {gy}（输入翻转）",
    },
    # check_layer (bplib.gradcheck)
    "check.gradient": {"en": "gradient", "zh": "梯度"},
    "check.relative_error": {"en": "relative error", "zh": "相对误差"},
    "check.result": {"en": "result", "zh": "结果"},
    "check.tolerance": {"en": "(tolerance {tol})", "zh": "（容许误差 {tol}）"},
    "check.pass": {"en": "PASS", "zh": "通过"},
    "check.fail": {"en": "FAIL", "zh": "未通过"},
    "check.input": {"en": "input {k}", "zh": "输入 {k}"},
    "check.not_written": {"en": "FAIL: not written yet: {why}", "zh": "未通过：还没有写好：{why}"},
    # the first slider (bplib.viz.sliders.update_demo)
    "demo.line": {
        "en": "slope = {slope}: at x = 2 the line is at y = {y}",
        "zh": "斜率 = {slope}：在 x = 2 处，直线的高度 y = {y}",
    },
}
