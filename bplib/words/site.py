"""Chinese for the words of the course's website (website/build.py): English -> 中文.

The site shows them around the chapters: the menu, the search box, the link to the other
edition, the note under a slider cell.
"""

ZH = {
    "Home": "首页",
    "Chapters": "章节",
    "Glossary (English / 中文)": "术语对照表（English / 中文）",
    "中文": "English",
    "本章中文版（this chapter in Chinese）": "本章英文版（this chapter in English）",
    "中文版（the Chinese edition）": "英文版（the English edition）",
    "Search the course": "搜索课程",
    "Nothing found.": "没有找到。",
    "Previous": "上一章",
    "Next": "下一章",
    "In JupyterLab (`make lab`) or in the app (`make app`), this cell shows live controls to drag and click. Here: the checked picture that follows it.": "在 JupyterLab（`make lab`）或网页应用（`make app`）里，这个单元会显示可以拖动、点击的控件。这里显示的是紧随其后、经过检验的那幅图。",
    "Figure drawn by {code}": "由 {code} 画出的图",
    "You need no Python to read the course here: each chapter shows its code, what that code printed and drew, and the `assert`s that check every claim. To run the code and drag the sliders yourself, install the course and open it in JupyterLab (`make lab`).": "在这里读课程不需要安装 Python：每一章都列出代码、代码打印和画出的结果，以及检验每个说法的 `assert`。想亲手运行代码、拖动滑块，请安装课程，在 JupyterLab 里打开（`make lab`）。",
    "Made from the stored notebooks of bplib; nbval checks every output shown here on each change.": "本网站由 bplib 保存的 notebook 生成；这里的每一个输出在每次修改时都经 nbval 检验。",
}
