// The course's additions to sphinx-book-theme: Chinese search words, search results a screen
// reader announces, formulas a keyboard can scroll, search from a disk (file://).

// Sphinx's search splits a query at spaces and signs, which leaves a Chinese phrase whole; the
// Chinese index holds words (jieba). Split Chinese into words too, and drop single characters
// that the index leaves out (unless nothing else is left). searchtools.js keeps this splitQuery.
var splitQuery = (query) => {
  const words = [];
  const zh = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter("zh", { granularity: "word" }) : null;
  for (const part of query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)) {
    if (!part) continue;
    if (zh && /\p{Script=Han}/u.test(part)) {
      for (const { segment, isWordLike } of zh.segment(part)) if (isWordLike) words.push(segment);
    } else {
      words.push(part);
    }
  }
  const long = words.filter((w) => !/^\p{Script=Han}$/u.test(w));
  return long.length ? long : words;
};

// From a disk, browsers refuse fetch(): show the results without the text snippets it would fetch.
if (window.location.protocol === "file:") DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;

document.addEventListener("DOMContentLoaded", () => {
  // Search results: one polite announcement of the summary ("found 7 pages ..."), not the list.
  const status = document.createElement("p");
  status.id = "search-status";
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.append(status);
  new MutationObserver(() => {
    const summary = document.querySelector("#search-results .search-summary");
    const text = summary ? summary.textContent.trim() : "";
    if (text && text !== status.textContent) status.textContent = text;
  }).observe(document.body, { subtree: true, childList: true, characterData: true });

  // A formula wider than the screen scrolls; let the keyboard reach it (as the theme does for code).
  const mathjax = window.MathJax && MathJax.startup && MathJax.startup.promise;
  if (mathjax) {
    mathjax.then(() => {
      const tabStops = () =>
        document.querySelectorAll('mjx-container[display="true"]').forEach((math) => {
          if (math.scrollWidth > math.clientWidth) math.tabIndex = 0;
        });
      tabStops();
      window.addEventListener("resize", tabStops);
    });
  }
});
