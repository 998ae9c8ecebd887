/* The search page: Pagefind's JS API with Chinese labels, filters by 栏目 and 年份, newest-first sort. */
(function () {
  var form = document.getElementById("search-form");
  if (!form) return;
  var input = document.getElementById("search-q");
  var sectionSelect = document.getElementById("search-section");
  var yearSelect = document.getElementById("search-year");
  var sortSelect = document.getElementById("search-sort");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var PAGE = 10;
  var pagefind = null;
  var current = { state: null, token: 0 };

  function load() {
    if (pagefind) return Promise.resolve(pagefind);
    return import(form.getAttribute("data-bundle") + "pagefind.js").then(function (module) {
      pagefind = module;
      return pagefind.options({ baseUrl: form.getAttribute("data-base"), excerptLength: 40 }).then(function () {
        pagefind.init();
        return fillFilters().then(function () { return pagefind; });
      });
    });
  }

  function fillFilters() {
    return pagefind.filters().then(function (filters) {
      fill(sectionSelect, filters["栏目"] || {}, function (a, b) { return a < b ? -1 : 1; });
      fill(yearSelect, filters["年份"] || {}, function (a, b) { return a < b ? 1 : -1; });
    });
  }

  function fill(select, counts, order) {
    var wanted = select.getAttribute("data-wanted") || "";
    Object.keys(counts).sort(order).forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      option.textContent = name + "（" + counts[name] + "）";
      select.appendChild(option);
    });
    select.value = wanted;
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    sectionSelect.setAttribute("data-wanted", params.get("section") || "");
    yearSelect.setAttribute("data-wanted", params.get("year") || "");
    sortSelect.value = params.get("sort") === "date" ? "date" : "";
  }

  function writeUrl() {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    if (sectionSelect.value) params.set("section", sectionSelect.value);
    if (yearSelect.value) params.set("year", yearSelect.value);
    if (sortSelect.value) params.set("sort", sortSelect.value);
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  // Pagefind falls back to pages matching only part of a Chinese query (量子计算机 -> 量, 机关), so
  // candidates are checked against the words typed, in ranked batches, before they are shown.
  var CHECK = 100;

  // The index splits Chinese with its own dictionary (两个|机关) and the browser splits the query with
  // another (两|个|机关); a lone character such as 个 then has to start some other word on the page,
  // so many pages with the phrase were missed. Single characters inside a longer query are left to the
  // literal check below instead.
  function loosen(query) {
    if (!window.Intl || !Intl.Segmenter) return query;
    var segmenter = new Intl.Segmenter("zh", { granularity: "word" });
    return query.split(/\s+/).map(function (part) {
      var words = Array.from(segmenter.segment(part)).filter(function (s) { return s.isWordLike; })
        .map(function (s) { return s.segment; });
      var long = words.filter(function (w) { return w.length > 1; });
      return long.length && long.length < words.length ? long.join(" ") : part;
    }).join(" ");
  }

  function terms(query) {
    return query.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function matches(item, words) {
    var text = (((item.meta && item.meta.title) || "") + " " + (item.content || "")).toLowerCase();
    return words.every(function (word) { return text.indexOf(word) !== -1; });
  }

  function verify(state, count) {
    var batch = state.candidates.slice(state.checked, state.checked + count);
    state.checked += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      items.forEach(function (item) {
        if (!state.words.length || matches(item, state.words)) state.found.push(item);
      });
      return state;
    });
  }

  function run() {
    var query = input.value.trim();
    var filters = {};
    if (sectionSelect.value) filters["栏目"] = sectionSelect.value;
    if (yearSelect.value) filters["年份"] = yearSelect.value;
    if (!query && !Object.keys(filters).length) {
      status.textContent = "请输入要查找的词。";
      list.innerHTML = "";
      more.hidden = true;
      return;
    }
    var token = ++current.token;
    status.textContent = "正在搜索……";
    var options = { filters: filters };
    if (sortSelect.value === "date") options.sort = { date: "desc" };
    load().then(function () {
      return pagefind.search(query ? loosen(query) : null, options);
    }).then(function (search) {
      if (token !== current.token || !search) return null;
      current.state = { candidates: search.results, checked: 0, found: [], shown: 0, words: terms(query) };
      return verify(current.state, CHECK);
    }).then(function (state) {
      if (!state || token !== current.token) return;
      list.innerHTML = "";
      if (!state.found.length) {
        status.textContent = "未找到与“" + (query || "所选条件") + "”相关的文章。请换一个词，或减少筛选条件。";
        more.hidden = true;
        return;
      }
      state.query = query;
      count(state);
      showMore();
    }).catch(function (error) {
      // No index: 'build.py serve' does not build one, and a page saved without its pagefind/ folder has none.
      status.textContent = "搜索暂时无法使用：未能载入搜索索引（预览时不建立索引）。" + (error && error.message ? "（" + error.message + "）" : "");
    });
  }

  // The count is exact once every candidate has been checked; until then it is a lower bound.
  function count(state) {
    var exact = state.checked >= state.candidates.length;
    status.textContent = "找到" + (exact ? " " : "至少 ") + state.found.length + " 篇相关文章" +
      (state.query ? "（关键词：" + state.query + "）" : "") + "。";
  }

  function showMore() {
    var state = current.state;
    var token = current.token;
    var ready = state.found.length - state.shown >= PAGE || state.checked >= state.candidates.length
      ? Promise.resolve(state) : verify(state, CHECK);
    ready.then(function () {
      if (token !== current.token) return;
      count(state);
      state.found.slice(state.shown, state.shown + PAGE).forEach(function (item) { list.appendChild(render(item)); });
      state.shown = Math.min(state.found.length, state.shown + PAGE);
      more.hidden = state.shown >= state.found.length && state.checked >= state.candidates.length;
    });
  }

  function render(item) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = item.url;
    link.className = "result-title";
    link.textContent = item.meta.title || item.url;
    var info = document.createElement("p");
    info.className = "result-meta";
    info.textContent = [item.meta.date, item.meta.section].filter(Boolean).join("　");
    var excerpt = document.createElement("p");
    excerpt.className = "result-excerpt";
    excerpt.innerHTML = item.excerpt; // Pagefind escapes the text and adds only <mark> around matches
    li.appendChild(link);
    li.appendChild(info);
    li.appendChild(excerpt);
    return li;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    writeUrl();
    run();
  });
  [sectionSelect, yearSelect, sortSelect].forEach(function (select) {
    select.addEventListener("change", function () { writeUrl(); run(); });
  });
  more.addEventListener("click", showMore);

  readUrl();
  if (input.value || sectionSelect.getAttribute("data-wanted") || yearSelect.getAttribute("data-wanted")) {
    load().then(run);
  } else {
    load();
  }
  input.focus();
})();
