"""Chinese for the words of MNIST's loading (bplib/data.py): what a download prints and why it failed."""

ZH = {}
