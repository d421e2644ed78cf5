"""TwoLayerNet: Affine -> Relu (or Sigmoid) -> Affine -> SoftmaxWithLoss; Params, its parameters by name."""

from collections import OrderedDict
from collections.abc import MutableMapping

import numpy as np

from .gradcheck import numerical_gradient
from .layers import Affine, Relu, Sigmoid, SoftmaxWithLoss
from .words import say


class Params(MutableMapping):
    """The network's parameters by name, bound to the layers that use them.

    ``params['W1'] -= lr * grad`` updates in place, as in the book. Rebinding,
    ``params['W1'] = new_array``, reaches the layer too (the book's dict would keep
    the old array in the layer); a new array of the wrong shape is refused.
    """

    def __init__(self, bindings):
        self._bindings = bindings  # name -> (layer, attribute)

    def __getitem__(self, name):
        layer, attr = self._bindings[name]
        return getattr(layer, attr)

    def __setitem__(self, name, value):
        if name not in self._bindings:
            raise KeyError(
                say("no parameter {name!r}; the parameters are {names}", name=name, names=list(self))
            )
        layer, attr = self._bindings[name]
        old = getattr(layer, attr)
        value = np.asarray(value, dtype=old.dtype)
        if value.shape != old.shape:
            raise ValueError(
                say(
                    "params[{name!r}] must keep its shape {shape}, got {got}",
                    name=name,
                    shape=old.shape,
                    got=value.shape,
                )
            )
        setattr(layer, attr, value)

    def __delitem__(self, name):
        raise TypeError(say("parameters cannot be deleted from a network"))

    def __iter__(self):
        return iter(self._bindings)

    def __len__(self):
        return len(self._bindings)

    def __repr__(self):
        return "Params(" + ", ".join(f"{k}: {self[k].shape}" for k in self) + ")"

    @classmethod
    def of_affine_layers(cls, layers):
        """W1, b1 bound to the first Affine layer of ``layers`` (a dict, in forward order), W2, b2 to
        the second, and so on: the parameters of a network, however many layers it has."""
        bindings = {}
        for k, affine in enumerate(affine_layers(layers), start=1):
            bindings[f"W{k}"], bindings[f"b{k}"] = (affine, "W"), (affine, "b")
        return cls(bindings)


def affine_layers(layers):
    """The Affine layers of ``layers`` (a dict of layers), in forward order: the ones with parameters."""
    return [layer for layer in layers.values() if isinstance(layer, Affine)]


class TwoLayerNet:
    """input_size -> hidden_size -> output_size. x: (N, input_size) or (N, 1, 28, 28);
    t: class indices (N,) or one-hot (N, output_size).

    float64 by default, as in the book (gradient checks agree to about 1e-10); pass
    ``dtype=np.float32`` to train faster (chapter 6 measures how much).
    """

    def __init__(
        self,
        input_size,
        hidden_size,
        output_size,
        weight_init_std=0.01,
        activation="relu",
        dtype=np.float64,
        seed=None,
    ):
        for name, n in (
            ("input_size", input_size),
            ("hidden_size", hidden_size),
            ("output_size", output_size),
        ):
            if int(n) != n or n < 1:
                raise ValueError(
                    say("TwoLayerNet: {name} must be a positive whole number, got {n}", name=name, n=n)
                )
        if activation not in ("relu", "sigmoid"):
            raise ValueError(
                say(
                    "TwoLayerNet: activation must be 'relu' or 'sigmoid', got {activation!r}",
                    activation=activation,
                )
            )
        rng = np.random.default_rng(seed)

        def weights(rows, cols):
            return (weight_init_std * rng.standard_normal((rows, cols))).astype(dtype)

        act = Relu() if activation == "relu" else Sigmoid()
        self.layers = OrderedDict()  # in forward order, as in the book
        self.layers["Affine1"] = Affine(
            weights(input_size, hidden_size), np.zeros(hidden_size, dtype), input_grad=False
        )
        self.layers["Relu1" if activation == "relu" else "Sigmoid1"] = act
        self.layers["Affine2"] = Affine(weights(hidden_size, output_size), np.zeros(output_size, dtype))
        self.last_layer = SoftmaxWithLoss()
        self.params = Params.of_affine_layers(self.layers)  # W1, b1, W2, b2

    @property
    def lastLayer(self):
        """The book's name for ``last_layer``."""
        return self.last_layer

    def predict(self, x):
        """Scores (logits), (N, output_size). Inference needs no softmax."""
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x, t, chunk=2000):
        """Fraction of rows whose highest score is the true class (a Python float).

        Scores ``chunk`` rows at a time: the hidden activations of a chunk stay in the CPU
        cache (10% faster on all of MNIST), and memory stays small for any number of rows.
        """
        x, t = np.asarray(x), np.asarray(t)
        t = np.argmax(t, axis=1) if t.ndim != 1 else t
        if len(t) != len(x) or len(x) == 0:
            raise ValueError(
                say(
                    "accuracy: x has {rows} rows and t has {labels} labels; need the same, > 0",
                    rows=len(x),
                    labels=len(t),
                )
            )
        hits = 0
        for i in range(0, len(x), chunk):
            hits += np.count_nonzero(np.argmax(self.predict(x[i : i + chunk]), axis=1) == t[i : i + chunk])
        return hits / len(x)

    def numerical_gradient(self, x, t):
        """Gradients by central differences: 2 forward passes per parameter (slow).

        ``numerical_gradient`` nudges each parameter array in place, and the layers hold
        those same arrays, so a loss that ignores its argument sees every nudge.
        """
        loss_W = lambda W: self.loss(x, t)
        return {key: numerical_gradient(loss_W, self.params[key]) for key in self.params}

    def gradient(self, x, t):
        """Gradients by backprop: one forward and one backward pass for all of them.

        The loss of that forward pass is kept as ``last_layer.loss``.
        """
        self.loss(x, t)
        dout = self.last_layer.backward(1.0)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)
        grads = {}
        for k, affine in enumerate(affine_layers(self.layers), start=1):  # W1, b1 from Affine1, ...
            grads[f"W{k}"], grads[f"b{k}"] = affine.dW, affine.db
        return grads
