"""Chinese for the words of chapter 7, automatic differentiation (bplib/autograd.py): English -> 中文."""

ZH = {}
