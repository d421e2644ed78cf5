"""Chinese for the words of the course's website (website/): English -> 中文.

The site shows them around the chapters: the home page's line for readers, the link to the
other edition, the note under a slider cell, a figure's text alternative when bplib has not
described it, the footer. The theme's own words (menu, search, buttons) come in Chinese with
sphinx-book-theme; THEME_ZH below holds the few it lacks.
"""

ZH = {
    "Chapters": "章节",
    "Glossary (English / 中文)": "术语对照表（English / 中文）",
    "中文": "English",
    "This page in Chinese": "这一页的英文版",
    "In JupyterLab (`make lab`) or in the app (`make app`), this cell shows live controls to drag and click. Here: the checked picture that follows it.": "在 JupyterLab（`make lab`）或网页应用（`make app`）里，这个单元会显示可以拖动、点击的控件。这里显示的是紧随其后、经过检验的那幅图。",
    "A figure drawn by bplib; the text around it says what it shows.": "bplib 画的图；图的内容见上下文的说明。",
    "You need no Python to read the course here: each chapter shows its code, what that code printed and drew, and the `assert`s that check every claim. To run the code and drag the sliders yourself, install the course and open it in JupyterLab (`make lab`), or open a chapter on a JupyterHub or Binder with the rocket button at the top of its page.": "在这里读课程不需要安装 Python：每一章都列出代码、代码打印和画出的结果，以及检验每个说法的 `assert`。想亲手运行代码、拖动滑块，请安装课程，在 JupyterLab 里打开（`make lab`）；也可以点章节页顶部的火箭按钮，在 JupyterHub 或 Binder 上打开这一章。",
    "Show the output": "显示输出",
    "Hide the output": "隐藏输出",
    "Show or hide the output": "显示或隐藏输出",
    "Made from the stored notebooks of bplib; nbval checks every output shown here on each change.": "本网站由 bplib 保存的 notebook 生成；这里的每一个输出在每次修改时都经 nbval 检验。",
}

# The theme's own words that its Chinese catalogs (pydata-sphinx-theme, sphinx-book-theme, Sphinx)
# leave in English or in Taiwan's usage: website/conf.py puts them ahead of the theme's catalogs.
THEME_ZH = {
    "Search": "搜索",
    "Main": "主菜单",
    "Page": "本页",
    "Toggle primary sidebar": "显示或隐藏主菜单",
    "Toggle secondary sidebar": "显示或隐藏本页目录",
    "Launch interactive content": "运行这一章",
    "Launch on": "运行于",
    "logo": "标志",
    "Color mode": "颜色模式",
    "System Settings": "跟随系统",
    "Link to this heading": "指向这个标题的链接",
    "Print to PDF": "打印成 PDF",
}
