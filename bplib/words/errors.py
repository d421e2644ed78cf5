"""Chinese for the messages of bplib's errors (bad input to layers, checks, training, data): English -> 中文."""

ZH = {}
