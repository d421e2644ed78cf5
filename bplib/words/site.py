"""Words of the course's website (website/build.py): key -> {"en", "zh"}.

The site shows them around the chapters: the menu, the search box, the link to the other
edition, the note under a slider cell. ``site.other_language`` is written in the language it
leads to, as language menus are.
"""

WORDS = {
    "site.home": {"en": "Home", "zh": "首页"},
    "site.chapters": {"en": "Chapters", "zh": "章节"},
    "site.glossary": {"en": "Glossary (English / 中文)", "zh": "术语对照表（English / 中文）"},
    "site.other_language": {"en": "中文", "zh": "English"},
    "site.twin": {
        "en": "本章中文版（this chapter in Chinese）",
        "zh": "本章英文版（this chapter in English）",
    },
    "site.twin_home": {"en": "中文版（the Chinese edition）", "zh": "英文版（the English edition）"},
    "site.search": {"en": "Search the course", "zh": "搜索课程"},
    "site.search_none": {"en": "Nothing found.", "zh": "没有找到。"},
    "site.previous": {"en": "Previous", "zh": "上一章"},
    "site.next": {"en": "Next", "zh": "下一章"},
    "site.live": {
        "en": "In JupyterLab (`make lab`) or in the app (`make app`), this cell shows live controls to "
        "drag and click. Here: the checked picture that follows it.",
        "zh": "在 JupyterLab（`make lab`）或网页应用（`make app`）里，这个单元会显示可以拖动、点击的控件。"
        "这里显示的是紧随其后、经过检验的那幅图。",
    },
    "site.figure": {"en": "Figure drawn by {code}", "zh": "由 {code} 画出的图"},
    "site.reading": {
        "en": "You need no Python to read the course here: each chapter shows its code, what that code "
        "printed and drew, and the `assert`s that check every claim. To run the code and drag the sliders "
        "yourself, install the course and open it in JupyterLab (`make lab`).",
        "zh": "在这里读课程不需要安装 Python：每一章都列出代码、代码打印和画出的结果，以及检验每个说法的 "
        "`assert`。想亲手运行代码、拖动滑块，请安装课程，在 JupyterLab 里打开（`make lab`）。",
    },
    "site.footer": {
        "en": "Made from the stored notebooks of bplib; nbval checks every output shown here on each change.",
        "zh": "本网站由 bplib 保存的 notebook 生成；这里的每一个输出在每次修改时都经 nbval 检验。",
    },
}
