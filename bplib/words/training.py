"""Words of chapters 4-6 and of training: key -> {"en", "zh"}.

Keys start with the part of bplib that shows them: ``ch4.`` (activation layers), ``ch5.``
(Affine and Softmax-with-Loss), ``ch6.`` (training a network) and ``train.`` (the trainer,
``bplib.training``). The English text is the English edition's, character for character;
``{fields}`` are filled by ``say``, their number formats written here.
"""

WORDS = {
    # --- chapter 4: activation layers (bplib/chapters/ch4_activations.py) ---
    "ch4.peak_at_zero": {"en": "0.25 at x = 0", "zh": "x = 0 处为 0.25"},
    "ch4.sigmoid_curves": {"en": "Sigmoid and its gradient", "zh": "sigmoid 函数及其梯度"},
    "ch4.relu_curves": {"en": "ReLU and its gradient", "zh": "ReLU 函数及其梯度"},
    "ch4.output_gradient": {"en": "output / gradient", "zh": "输出 / 梯度"},
    "ch4.relu_gradient_curve": {"en": "gradient (0 at x = 0)", "zh": "梯度（x = 0 处为 0）"},
    "ch4.relu_layers": {"en": "ReLU layers", "zh": "ReLU 层"},
    "ch4.sigmoid_layers": {"en": "Sigmoid layers", "zh": "Sigmoid 层"},
    "ch4.vanishing_title": {
        "en": "Gradient reaching each of {depth} layers",
        "zh": "传到 {depth} 层中每一层的梯度",
    },
    "ch4.vanishing_layer": {"en": "layer (1 = next to the data)", "zh": "第几层（1 = 紧挨着输入数据的层）"},
    "ch4.mean_gradient": {"en": "mean |gradient|", "zh": "|梯度| 的平均值"},
    "ch4.vanishing_line": {
        "en": "depth {depth}: mean |gradient| at layer 1 is {sigmoid:.2e} (sigmoid) vs {relu:.2e} (ReLU)",
        "zh": "共 {depth} 层：第 1 层的 |梯度| 平均值为 {sigmoid:.2e}（sigmoid），对比 {relu:.2e}（ReLU）",
    },
    "ch4.relu_node": {"en": "ReLU node", "zh": "ReLU 节点"},
    "ch4.switch_on_title": {"en": "switch on: the gradient passes", "zh": "开关为 ON：梯度直接通过"},
    "ch4.switch_off_title": {"en": "switch off: the gradient stops", "zh": "开关为 OFF：梯度传不过去"},
    "ch4.switch_on": {"en": "switch on", "zh": "开关为 ON"},
    "ch4.switch_off": {"en": "switch off", "zh": "开关为 OFF"},
    "ch4.relu_line": {
        "en": "x = {x:.2f} -> y = {y:.2f}; upstream {dout:.2f} -> dx = {dx:.2f} ({switch})",
        "zh": "x = {x:.2f} -> y = {y:.2f}；上游 {dout:.2f} -> dx = {dx:.2f}（{switch}）",
    },
    "ch4.sigmoid_node_title": {
        "en": 'The same, as one "sigmoid" node',
        "zh": "同样的计算，集约为一个“sigmoid”节点",
    },
    "ch4.sigmoid_steps_title": {
        "en": "Sigmoid as four nodes: backward step {step} of 4",
        "zh": "展开成四个节点的 sigmoid：反向传播第 {step} 步（共 4 步）",
    },
    "ch4.after_step_4": {"en": "(after step 4)", "zh": "（第 4 步之后）"},
    "ch4.collapsed_sends_back": {
        "en": 'one "sigmoid" node sends back dL/dy · y(1 − y) = {value}',
        "zh": "一个“sigmoid”节点传回 dL/dy · y(1 − y) = {value}",
    },
    "ch4.sigmoid_line": {
        "en": "x = {x:.2f}, y = {y:.4f}, upstream dL/dy = {dout:.2f}",
        "zh": "x = {x:.2f}，y = {y:.4f}，上游传来 dL/dy = {dout:.2f}",
    },
    # one row per backward step; node and rule come padded to 7 and 11 columns
    "ch4.sigmoid_step_row": {"en": "step {k} {node} {rule} {value}", "zh": "第 {k} 步 {node} {rule} {value}"},
    "ch4.passes_on": {"en": "passes on", "zh": "原样传递"},
    "ch4.not_yet": {"en": "(not yet)", "zh": "（还没到这一步）"},
    "ch4.collapsed_line": {
        "en": 'one "sigmoid" node: dL/dy · y(1 − y) = {value:+.4f}',
        "zh": "一个“sigmoid”节点：dL/dy · y(1 − y) = {value:+.4f}",
    },
    # --- chapter 5: Affine and Softmax-with-Loss (bplib/chapters/ch5_affine_softmax.py) ---
    "ch5.softmax_loss_title": {
        "en": "Softmax-with-Loss: true class {k}, loss L = {loss:.3f}",
        "zh": "Softmax-with-Loss：正确类别 {k}，损失 L = {loss:.3f}",
    },
    "ch5.class_axis": {"en": "class k (its score a_k)", "zh": "类别 k（其得分为 a_k）"},
    "ch5.probability_gradient": {"en": "probability / gradient", "zh": "概率 / 梯度"},
    "ch5.class_tick": {"en": "class {k} (a{k} = {a:.1f})", "zh": "类别 {k}（a{k} = {a:.1f}）"},
    "ch5.loss_line": {"en": "loss  = {loss:.4f}", "zh": "损失  = {loss:.4f}"},  # "=" under the rows' "="
    # the four lines of affine_shape_lines: each language pads its words to keep the columns
    "ch5.shapes_forward": {
        "en": "forward   Y = X·W + B   {x}·{w} + {b} -> {y}",
        "zh": "正向传播  Y = X·W + B   {x}·{w} + {b} -> {y}",
    },
    "ch5.shapes_dx": {
        "en": "backward  dX = dY·Wᵀ    {dy}·{wt} -> {x}, the shape of X",
        "zh": "反向传播  dX = dY·Wᵀ    {dy}·{wt} -> {x}，即 X 的形状",
    },
    "ch5.shapes_dw": {
        "en": "          dW = Xᵀ·dY    {xt}·{dy} -> {w}, the shape of W",
        "zh": "          dW = Xᵀ·dY    {xt}·{dy} -> {w}，即 W 的形状",
    },
    "ch5.shapes_db": {
        "en": "          dB = Σ rows   {dy} summed over axis 0 -> {b}, the shape of B",
        "zh": "          dB = Σ 各行   {dy} 沿第 0 轴求和 -> {b}，即 B 的形状",
    },
    "ch5.affine_shapes_title": {
        "en": "Affine shapes: N = {n}, input size {d}, output size {m}",
        "zh": "Affine 层的形状：N = {n}，输入大小 {d}，输出大小 {m}",
    },
    "ch5.softmax_graph_title": {
        "en": "Softmax-with-Loss, true class {k}: backward step {step} of {n}",
        "zh": "Softmax-with-Loss，正确类别 {k}：反向传播第 {step} 步（共 {n} 步）",
    },
    "ch5.backward_done": {
        "en": "step {n}: backward done; the gradients reaching a1, a2, a3 are y − t = {grads}",
        "zh": "第 {n} 步：反向传播完成；传到 a1、a2、a3 的梯度是 y − t = {grads}",
    },
    "ch5.loss_l_line": {"en": "loss L = {loss:.4f}", "zh": "损失 L = {loss:.4f}"},
    # --- chapter 6: training a network (bplib/chapters/ch6_training.py) ---
    "ch6.four_steps_title": {"en": "The four steps of learning", "zh": "学习的四个步骤"},
    "ch6.step1_head": {"en": "1  mini-batch", "zh": "1  选出 mini-batch"},
    "ch6.step1_body": {"en": "pick a few random\ntraining examples", "zh": "从训练数据中\n随机选出一部分"},
    "ch6.step2_head": {"en": "2  gradient", "zh": "2  计算梯度"},
    "ch6.step2_body": {
        "en": "backprop: one forward and\none backward pass",
        "zh": "误差反向传播法：\n一次正向传播和一次反向传播",
    },
    "ch6.step3_head": {"en": "3  update", "zh": "3  更新参数"},
    "ch6.step3_body": {
        "en": "W ← W − η · ∂L/∂W\nfor every parameter",
        "zh": "W ← W − η · ∂L/∂W\n每个参数都这样更新",
    },
    "ch6.step4_head": {"en": "4  repeat", "zh": "4  重复"},
    "ch6.step4_body": {"en": "until the loss\nstops falling", "zh": "直到损失\n不再下降"},
    "ch6.backprop_lives": {"en": "backprop lives\nin step 2", "zh": "误差反向传播法\n用在步骤 2"},
    # the header of the gradient check's table (the numbers below it keep their columns)
    "ch6.parameter": {"en": "parameter", "zh": "参数"},
    "ch6.shape": {"en": "shape", "zh": "形状"},
    "ch6.relative_error": {"en": "relative error", "zh": "相对误差"},
    "ch6.mean_difference": {"en": "mean |difference|", "zh": "|差值| 的平均值"},
    "ch6.unit": {"en": "unit {k}", "zh": "神经元 {k}"},
    "ch6.weights_title": {
        "en": "First-layer weights W1: one 28×28 image per hidden unit ({n} units)",
        "zh": "第 1 层的权重 W1：隐藏层每个神经元一张 28×28 的图像（共 {n} 个神经元）",
    },
    "ch6.weights_xlabel": {
        "en": "pixel column (red: positive weight, blue: negative)",
        "zh": "像素的列（红色：正的权重，蓝色：负的权重）",
    },
    "ch6.pixel_column": {"en": "pixel column", "zh": "像素的列"},
    "ch6.pixel_row": {"en": "pixel row", "zh": "像素的行"},
    "ch6.predicted_digit": {"en": "predicted digit", "zh": "预测的数字"},
    "ch6.true_digit": {"en": "true digit", "zh": "真实的数字"},
    "ch6.confusion_title": {
        "en": "Confusion matrix on {total:,} test digits ({diagonal:,} on the diagonal)",
        "zh": "{total:,} 个测试数字的混淆矩阵（对角线上 {diagonal:,} 个）",
    },
    "ch6.mistakes": {"en": "mistakes", "zh": "错误数"},
    # check_optimizer: what it prints and returns
    "ch6.check_optimizer_line": {
        "en": "check_optimizer({name}) with {settings}",
        "zh": "check_optimizer({name})，参数 {settings}",
    },
    "ch6.pass": {"en": "PASS: {steps} steps match {rule}", "zh": "通过：{steps} 步都符合 {rule}"},
    "ch6.fail": {"en": "FAIL: {problem}", "zh": "未通过：{problem}"},
    "ch6.not_written": {"en": "not written yet: {why}", "zh": "还没有写好：{why}"},
    "ch6.changed_grads": {
        "en": "update changed the gradient arrays it was given; it must only change params",
        "zh": "update 改动了传给它的梯度数组；它只应改动 params",
    },
    "ch6.on_network_params": {
        "en": "on a TwoLayerNet's params: {problem}",
        "zh": "在 TwoLayerNet 的 params 上：{problem}",
    },
    "ch6.missing_param": {
        "en": "after step {step}, params[{name}] is missing or changed shape",
        "zh": "第 {step} 步之后，params[{name}] 不见了或形状变了",
    },
    "ch6.param_off": {
        "en": "after step {step}, params[{name}] is off by up to {diff:.2e}",
        "zh": "第 {step} 步之后，params[{name}] 最多偏离了 {diff:.2e}",
    },
    # train again: the runs, their plot and the panel
    "ch6.run_settings": {
        "en": "lr {lr:g}, hidden {hidden}, batch {batch}, {iters} iters, init {init:g}, {activation}",
        "zh": (
            "学习率 {lr:g}，隐藏层 {hidden}，批大小 {batch}，"
            "{iters} 次迭代，权重初始值 {init:g}，{activation}"
        ),
    },
    "ch6.run": {"en": "run {n}: {settings}", "zh": "第 {n} 次训练：{settings}"},
    "ch6.run_legend": {"en": "{run}  →  test {test:.1%}", "zh": "{run}  →  测试准确率 {test:.1%}"},
    "ch6.loss_running_mean": {"en": "loss (running mean)", "zh": "损失（滑动平均）"},
    "ch6.accuracy_title": {
        "en": "accuracy: test solid, train dotted",
        "zh": "准确率：测试数据为实线，训练数据为点线",
    },
    "ch6.runs_compared": {"en": "Training runs compared", "zh": "几次训练的比较"},
    "ch6.runs_latest": {
        "en": "Training runs compared (the latest {shown} of {total})",
        "zh": "几次训练的比较（共 {total} 次，显示最近的 {shown} 次）",
    },
    "ch6.runs_none_yet": {
        "en": "Training runs compared: none yet, press Train",
        "zh": "几次训练的比较：还没有训练，请按“训练”",
    },
    "ch6.setting_lr": {"en": "learning rate", "zh": "学习率"},
    "ch6.setting_hidden_size": {"en": "hidden size", "zh": "隐藏层大小"},
    "ch6.setting_batch_size": {"en": "batch size", "zh": "批大小"},
    "ch6.setting_iters": {"en": "iterations", "zh": "迭代次数"},
    "ch6.setting_weight_init_std": {"en": "weight init", "zh": "权重初始值"},
    "ch6.setting_activation": {"en": "activation", "zh": "激活函数"},
    "ch6.train_button": {"en": "Train", "zh": "训练"},
    "ch6.clear_button": {"en": "Clear runs", "zh": "清除记录"},
    "ch6.press_train": {"en": "press Train", "zh": "请按“训练”"},
    "ch6.refused": {"en": "refused: see the message below", "zh": "被拒绝：原因见下方"},
    "ch6.panel_done": {
        "en": "done in {seconds:.1f} s, test accuracy {test:.2%}",
        "zh": "完成，用时 {seconds:.1f} 秒，测试准确率 {test:.2%}",
    },
    "ch6.panel_stopped": {"en": "stopped", "zh": "已停止"},
    # --- the trainer (bplib/training.py) ---
    "train.start": {
        "en": "training: {iters} iterations, {per_epoch} per epoch",
        "zh": "训练：{iters} 次迭代，每个 epoch {per_epoch} 次",
    },
    "train.epoch": {
        "en": (
            "epoch {epoch:6.2f}  iter {done:6d}  loss {loss:.4f}  train acc {train:.4f}  test acc {test:.4f}"
        ),
        "zh": (
            "epoch {epoch:6.2f}  迭代 {done:6d}  损失 {loss:.4f}  "
            "训练准确率 {train:.4f}  测试准确率 {test:.4f}"
        ),
    },
    "train.done": {"en": "done in {seconds:.1f} s", "zh": "完成，用时 {seconds:.1f} 秒"},
    "train.stopped": {"en": "stopped: {why}", "zh": "已停止：{why}"},
    "train.cannot_train": {"en": "Cannot train: {why}", "zh": "无法训练：{why}"},
    "train.bar": {"en": "training", "zh": "训练中"},
    "train.progress": {
        "en": "{done} / {total}   loss {loss:.3f}",
        "zh": "{done} / {total}   损失 {loss:.3f}",
    },
    "train.bar_done": {
        "en": "done in {seconds:.1f} s   test acc {test:.4f}",
        "zh": "完成，用时 {seconds:.1f} 秒   测试准确率 {test:.4f}",
    },
    "train.history_empty": {
        "en": "History({iters} iterations, no evaluation yet)",
        "zh": "History({iters} 次迭代，还没有测过准确率)",
    },
    "train.history": {
        "en": (
            "History({iters} iterations, {evals} evaluations; "
            "final train accuracy {train:.4f}, test accuracy {test:.4f})"
        ),
        "zh": (
            "History({iters} 次迭代，测了 {evals} 次准确率；"
            "最终训练准确率 {train:.4f}，测试准确率 {test:.4f})"
        ),
    },
    "train.train_curve": {"en": "{run}train", "zh": "{run}训练数据"},
    "train.test_curve": {"en": "{run}test", "zh": "{run}测试数据"},
    "train.iteration": {"en": "iteration", "zh": "迭代次数"},
    "train.epoch_axis": {"en": "epoch", "zh": "epoch 数"},
    "train.loss": {"en": "loss", "zh": "损失"},
    "train.minibatch_loss": {"en": "mini-batch loss", "zh": "mini-batch 的损失"},
    "train.accuracy": {"en": "accuracy", "zh": "准确率"},
}
