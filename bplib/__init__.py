"""bplib: the layers, checks and tools of an interactive course on backpropagation."""

from .data import MnistUnavailableError, fetch_mnist, load_mnist
from .functions import PROB_FLOOR, cross_entropy_error, sigmoid, softmax
from .gradcheck import TOLERANCE, CheckResult, check_layer, numerical_gradient, relative_error
from .layers import AddLayer, Affine, Layer, MulLayer, Relu, Sigmoid, SoftmaxWithLoss
from .network import Params, TwoLayerNet
from .training import SGD, History, explain_errors, plot_history, train
from .words import language, use_language

__version__ = "0.1.0"

__all__ = [
    "PROB_FLOOR",
    "TOLERANCE",
    "AddLayer",
    "Affine",
    "CheckResult",
    "Layer",
    "MnistUnavailableError",
    "MulLayer",
    "History",
    "Params",
    "Relu",
    "SGD",
    "Sigmoid",
    "SoftmaxWithLoss",
    "TwoLayerNet",
    "check_layer",
    "cross_entropy_error",
    "explain_errors",
    "fetch_mnist",
    "language",
    "load_mnist",
    "numerical_gradient",
    "plot_history",
    "relative_error",
    "sigmoid",
    "softmax",
    "train",
    "use_language",
]
