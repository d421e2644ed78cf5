// The search box: every word typed must appear in a section (any case); the sections whose
// heading holds the words come first. The index (search-index.js) is the current edition's
// sections as [url, heading, text]; plain substring search also finds Chinese words.
(function () {
  const box = document.getElementById("search");
  const list = document.getElementById("search-results");
  const root = document.documentElement.dataset.root;
  const entries = (window.BPLIB_SEARCH || {})[document.documentElement.dataset.lang] || [];
  const MAX = 20;

  function snippet(text, word) {
    const at = Math.max(text.toLowerCase().indexOf(word), 0);
    const start = Math.max(at - 50, 0);
    return (start > 0 ? "…" : "") + text.slice(start, start + 140) + (start + 140 < text.length ? "…" : "");
  }

  function show() {
    const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    list.replaceChildren();
    if (!words.length) return;
    const found = [];
    for (const [url, heading, text] of entries) {
      const all = (heading + " " + text).toLowerCase();
      if (!words.every((w) => all.includes(w))) continue;
      const inHeading = words.filter((w) => heading.toLowerCase().includes(w)).length;
      found.push({ url, heading, text, rank: inHeading });
    }
    found.sort((a, b) => b.rank - a.rank);
    for (const hit of found.slice(0, MAX)) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = root + hit.url;
      link.textContent = hit.heading;
      const context = document.createElement("span");
      context.textContent = snippet(hit.text, words[0]);
      item.append(link, context);
      list.append(item);
    }
    if (!found.length) {
      const item = document.createElement("li");
      item.className = "none";
      item.textContent = list.dataset.none;
      list.append(item);
    }
  }

  box.addEventListener("input", show);
  box.addEventListener("keydown", (event) => {
    const first = list.querySelector("a");
    if (event.key === "Enter" && first) window.location.href = first.href;
  });
})();
